{#
    numerator / denominator in double precision; NULL when the denominator is
    0 or NULL. Not dbt.type_float(): that is a 4-byte FLOAT on DuckDB.
#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double precision) / nullif({{ denominator }}, 0)
{%- endmacro %}
