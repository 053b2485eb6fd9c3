{#
    Key of one board: district_code|body|term, e.g. `0101|party|2021`.
    NULL when any part is NULL (so a missing previous term gives a NULL key).
#}
{% macro board_id(district_code, body, term) -%}
    {{ district_code }} || '|' || {{ body }} || '|'
    || cast({{ term }} as {{ dbt.type_string() }})
{%- endmacro %}
