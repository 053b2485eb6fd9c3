{#
    accepted_values_columns: every listed column holds only its accepted values (NULL is
    accepted, as in dbt's `accepted_values`), checked in ONE query (one scan of the model)
    instead of one `accepted_values` test — one dbt node, ≈ 25 ms of dbt's own work and a
    scan — per column. Applied at model level; each column maps to its values, or to
    `{values: [...], quote: false}` for values that are not text (as dbt's `quote: false`):

        data_tests:
          - accepted_values_columns:
              arguments:
                values_by_column:
                  body: [party, residents]
                  education_level: {values: [1, 2, 3, 4, 5, 6], quote: false}

    The bad rows are a CTE read once per column: `as materialized` where the engine has
    the keyword (DuckDB, Postgres 12+), so that the model is scanned once; elsewhere a
    plain CTE (the same result; the engine may scan the model once per column).

    Failing rows: one per column and value not accepted — (column_name, value, rows), the
    value as text — so dbt's "Got 2 results" counts bad values, as dbt's accepted_values
    does, and the rows (the compiled SQL, `store_failures`, and the error of
    `boardshift build`) name them.
#}
{% test accepted_values_columns(model, values_by_column) %}
{%- if values_by_column is not mapping or values_by_column | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "accepted_values_columns on " ~ model ~ ": values_by_column must be a non-empty "
        ~ "mapping of column to values") }}
{%- endif %}
{%- set checks = [] %}
{%- for column, spec in values_by_column.items() %}
    {%- if spec is mapping %}
        {%- set values = spec.get("values") %}
        {%- set quote = spec.get("quote", true) is not false %}
    {%- else %}
        {%- set values = spec %}
        {%- set quote = true %}
    {%- endif %}
    {%- if values is string or values is not iterable or values | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "accepted_values_columns on " ~ model ~ ": " ~ column
            ~ " needs a non-empty list of values") }}
    {%- endif %}
    {%- set listed = [] %}
    {%- for value in values %}
        {%- do listed.append("'" ~ (value | string | replace("'", "''")) ~ "'" if quote
                             else value | string) %}
    {%- endfor %}
    {#- the same test as dbt's accepted_values: NULL `not in (…)` is NULL, so NULL passes #}
    {%- do checks.append({"column": column,
                          "outside": column ~ " not in (" ~ listed | join(", ") ~ ")"}) %}
{%- endfor %}
with bad_rows as {{ materialized_if_supported() }} (
    -- one pass over the model, keeping only rows with a value outside its list (normally
    -- none): each bad value as text, NULL where the column is fine
    select
    {%- for check in checks %}
        case when {{ check.outside }} then cast({{ check.column }} as {{ dbt.type_string() }}) end
            as bad_{{ loop.index }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
    where
    {%- for check in checks %}
        {{ "or " if not loop.first }}{{ check.outside }}
    {%- endfor %}
),

bad_values as (
    -- one row per bad cell, read from the (small) bad_rows, not from the model again
    {%- for check in checks %}
    select '{{ check.column }}' as column_name, bad_{{ loop.index }} as value
    from bad_rows
    where bad_{{ loop.index }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select column_name, value, count(*) as rows
from bad_values
group by column_name, value
{% endtest %}

