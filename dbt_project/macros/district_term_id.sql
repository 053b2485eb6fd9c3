{#
    Key of one district in one term (both boards together):
    district_code|term, e.g. `0101|2021`. NULL when any part is NULL (so a
    missing previous term gives a NULL key).
#}
{% macro district_term_id(district_code, term) -%}
    {{ district_code }} || '|' || cast({{ term }} as {{ dbt.type_string() }})
{%- endmacro %}
