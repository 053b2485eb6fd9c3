{#
    `materialized`, for `with name as materialized (…)`, on the engines that have the
    keyword (DuckDB, Postgres 12+); nothing elsewhere (Spark SQL rejects it). Used by
    the generic test accepted_values_columns.
#}
{% macro materialized_if_supported() -%}
    {{ return(adapter.dispatch('materialized_if_supported')()) }}
{%- endmacro %}

{% macro default__materialized_if_supported() -%}
{%- endmacro %}

{% macro duckdb__materialized_if_supported() -%}
    materialized
{%- endmacro %}

{% macro postgres__materialized_if_supported() -%}
    materialized
{%- endmacro %}
