-- One row per board (every election): the counts behind the structure
-- shares of board_structure and board_structure_rollup. The totals of
-- int_boards_summarised (also behind board_composition, so the same
-- continuing / new members) plus members at 高中(中专)及以上 (level ≥ 2),
-- the sum of that model's counts of levels 2 to 6 (the member rows are not
-- read again: at the nation a scan of 14.8 million rows).

with

boards as (

    select * from {{ ref('int_boards_summarised') }}

),

final as (

    select
        boards.board_id,
        boards.prev_board_id,
        boards.district_code,
        boards.body,
        boards.term,
        boards.prev_term,
        boards.members,
        boards.members_with_gender,
        boards.women,
        boards.members_with_political_status,
        boards.party_members,
        boards.members_with_age,
        boards.age_35_and_under,
        boards.age_36_45,
        boards.age_46_55,
        boards.age_56_and_over,
        boards.members_with_education,
        boards.bachelor_members,
        {% for level in [2, 3, 4, 5, 6] -%}
            boards.edu_level_{{ level }}{{ ' +' if not loop.last }}
        {% endfor -%}
            as high_school_members,
        boards.continuing_members,
        boards.new_members

    from boards

)

select * from final
