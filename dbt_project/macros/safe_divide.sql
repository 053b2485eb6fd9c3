{#
    numerator / denominator in double precision; NULL when the denominator is
    0 or NULL. Not dbt.type_float(): that is a 4-byte FLOAT on DuckDB (and on
    Spark). Spark SQL spells the 8-byte type `double`.
#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double precision) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro spark__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}
