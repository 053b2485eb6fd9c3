{#
    Key of one board: district_code|body|term, e.g. `0101|party|2021`.
    NULL when any part is NULL (so a missing previous term gives a NULL key).
    The guard is explicit: dbt.concat is `||` on DuckDB (NULL in, NULL out)
    but concat() on engines that read NULL as ''.
#}
{% macro board_id(district_code, body, term) -%}
    case
        when
            {{ district_code }} is not null and {{ body }} is not null
            and {{ term }} is not null
            then {{ dbt.concat([
                district_code, "'|'", body, "'|'",
                dbt.cast(term, dbt.type_string())
            ]) }}
    end
{%- endmacro %}
