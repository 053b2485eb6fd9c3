-- One row per board (every election): the counts behind the structure
-- shares of board_structure and board_structure_rollup. The totals of
-- int_boards_summarised (also behind board_composition, so the same
-- continuing / new members) plus members at 高中(中专)及以上 (level ≥ 2).

with

boards as (

    select * from {{ ref('int_boards_summarised') }}

),

members as (

    select * from {{ ref('int_board_members_matched_to_previous') }}

),

high_school_totals as (

    select
        board_id,
        count(case when education_level >= 2 then 1 end)
            as high_school_members

    from members

    group by 1

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
        coalesce(high_school_totals.high_school_members, 0)
            as high_school_members,
        boards.continuing_members,
        boards.new_members

    from boards

    left join high_school_totals
        on boards.board_id = high_school_totals.board_id

)

select * from final
