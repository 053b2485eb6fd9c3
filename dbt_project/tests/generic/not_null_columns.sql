{#
    not_null_columns: no NULL in any of `column_names`, checked in ONE query (one scan of
    the model) instead of one `not_null` test — one dbt node, ≈ 25 ms of dbt's own work and
    a full scan — per column. Applied at model level:

        data_tests:
          - not_null_columns:
              arguments:
                column_names: [district_code, body, term]

    Failing rows: one per column that has NULLs — (column_name, null_rows) — so dbt's
    "Got 2 results" counts columns, and the rows (the compiled SQL, `store_failures`, and
    the error of `boardshift build`) name them.
    A key column is listed too; it keeps its own per-column `unique` test (our style).
#}
{% test not_null_columns(model, column_names) %}
{%- if column_names is string or column_names | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "not_null_columns on " ~ model ~ ": column_names must be a non-empty list") }}
{%- endif %}
with null_counts as (
    -- one pass over the model: a NULL count per column
    select
    {%- for column in column_names %}
        sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
),

column_list as (
    {%- for column in column_names %}
    select '{{ column }}' as column_name
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

per_column as (
    -- null_counts is read once (a single row): no second scan of the model
    select
        column_list.column_name,
        case column_list.column_name
        {%- for column in column_names %}
            when '{{ column }}' then null_counts.null_rows_{{ loop.index }}
        {%- endfor %}
        end as null_rows
    from column_list
    cross join null_counts
)

select column_name, null_rows
from per_column
where null_rows > 0
{% endtest %}
