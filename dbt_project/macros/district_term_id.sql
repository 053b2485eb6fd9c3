{#
    Key of one district in one term (both boards together):
    district_code|term, e.g. `0101|2021`. NULL when any part is NULL (so a
    missing previous term gives a NULL key; explicit, as in board_id).
#}
{% macro district_term_id(district_code, term) -%}
    case
        when {{ district_code }} is not null and {{ term }} is not null
            then {{ dbt.concat([
                district_code, "'|'", dbt.cast(term, dbt.type_string())
            ]) }}
    end
{%- endmacro %}
