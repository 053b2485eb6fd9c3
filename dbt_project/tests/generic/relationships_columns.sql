{#
    relationships_columns: every row of the model whose `column_names` are all non-NULL has a
    row of `to` with the same values in the same columns — dbt's `relationships`, for a key
    of several columns (an election: district_code, body, term). A table need not carry a
    concatenated key column only to be tested (at a whole country's size, building and
    storing `board_id` on the 21 M rows of the candidate ↔ member pairing took 3–10 s):

        data_tests:
          - relationships_columns:
              arguments:
                column_names: [district_code, body, term]
                to: ref('int_elections_summarised')

    Failing rows: one per key of the model not in `to` — the key's columns and its rows.
#}
{% test relationships_columns(model, column_names, to) %}
{%- if column_names is string or column_names | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "relationships_columns on " ~ model ~ ": column_names must be a non-empty list") }}
{%- endif %}
-- the missing keys are grouped after the anti-join: only failing rows are counted
select
    {%- for column in column_names %}
    child.{{ column }},
    {%- endfor %}
    count(*) as child_rows
from {{ model }} as child
where
    {%- for column in column_names %}
    child.{{ column }} is not null and
    {%- endfor %}
    not exists (
        select 1
        from {{ to }} as parent
        where
        {%- for column in column_names %}
            {{ 'and ' if not loop.first }}parent.{{ column }} = child.{{ column }}
        {%- endfor %}
    )
group by
    {%- for column in column_names %}
    child.{{ column }}{{ "," if not loop.last }}
    {%- endfor %}
{% endtest %}
