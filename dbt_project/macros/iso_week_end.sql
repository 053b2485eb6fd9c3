{#
    The Sunday that ends the ISO week (Monday–Sunday) of a date, as a DATE.
    Used for the first week of a term and for the week of the as-of date
    (int_progress_weeks).
#}
{% macro iso_week_end(date_expression) -%}
    cast(
        {{ dbt.dateadd('day', 6, dbt.date_trunc('week', date_expression)) }}
        as date
    )
{%- endmacro %}
