{#
    One matching pass between the candidates and the board members of the
    same election (int_elections_candidates_matched_to_members): pairs rows of
    `candidates` and `members` (relations with board_id, candidate_row /
    member_row and the key columns) that have equal, non-null `keys` on the
    same board. One to one: when several rows on a side share the same key,
    the n-th candidate row (in row order) pairs with the n-th member row.
    Used three times (id_key; name + birth date; name).
#}
{% macro pair_rows_one_to_one(candidates, members, keys, matched_by) -%}
    {%- set key_list = keys | join(', ') -%}
    select
        ranked_candidates.board_id,
        ranked_candidates.candidate_row,
        ranked_members.member_row,
        '{{ matched_by }}' as matched_by

    from (
        select
            *,
            row_number() over (
                partition by board_id, {{ key_list }} order by candidate_row
            ) as key_rank
        from {{ candidates }}
        where
            {% for key in keys %}{{ key }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    ) as ranked_candidates

    inner join (
        select
            *,
            row_number() over (
                partition by board_id, {{ key_list }} order by member_row
            ) as key_rank
        from {{ members }}
        where
            {% for key in keys %}{{ key }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    ) as ranked_members
        on
            ranked_candidates.board_id = ranked_members.board_id
            {% for key in keys %}
            and ranked_candidates.{{ key }} = ranked_members.{{ key }}
            {% endfor %}
            and ranked_candidates.key_rank = ranked_members.key_rank
{%- endmacro %}
