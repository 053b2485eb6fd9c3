{#
    Use a custom schema as-is (`staging`, `intermediate`) instead of dbt's
    default `<target_schema>_<custom_schema>` (`main_staging`). Models without
    a custom schema (the marts) go to the target schema, `main` on DuckDB.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
