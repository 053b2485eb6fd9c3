-- 一降一升 per board: each district × body × term that has an earlier term,
-- compared with the board of the latest earlier term (prev_term).

with

boards as (

    select * from {{ ref('int_boards_summarised') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

board_pairs as (

    select
        new_boards.board_id,
        new_boards.district_code,
        new_boards.body,
        new_boards.term,
        new_boards.prev_term,
        previous_boards.members as members_prev,
        new_boards.members as members_new,
        {{ safe_divide(
            'previous_boards.age_total', 'previous_boards.members_with_age'
        ) }} as mean_age_prev,
        {{ safe_divide(
            'new_boards.age_total', 'new_boards.members_with_age'
        ) }} as mean_age_new,
        {{ safe_divide(
            'previous_boards.college_members',
            'previous_boards.members_with_education'
        ) }} as college_share_prev,
        {{ safe_divide(
            'new_boards.college_members', 'new_boards.members_with_education'
        ) }} as college_share_new,
        {{ safe_divide(
            'previous_boards.education_level_total',
            'previous_boards.members_with_education'
        ) }} as mean_edu_level_prev,
        {{ safe_divide(
            'new_boards.education_level_total',
            'new_boards.members_with_education'
        ) }} as mean_edu_level_new

    from boards as new_boards

    inner join boards as previous_boards
        on new_boards.prev_board_id = previous_boards.board_id

),

shifts as (

    select
        *,
        mean_age_new - mean_age_prev as age_shift,
        (college_share_new - college_share_prev) * 100
            as college_share_shift_pp,
        mean_edu_level_new - mean_edu_level_prev as edu_level_shift

    from board_pairs

),

flagged as (

    select
        *,
        {{ is_age_down('age_shift') }} as age_down,
        {{ is_edu_up(
            'college_share_new', 'college_share_prev',
            'mean_edu_level_new', 'mean_edu_level_prev'
        ) }} as edu_up

    from shifts

),

final as (

    select
        flagged.board_id,
        flagged.district_code,
        districts.district_name,
        districts.subdistrict,
        flagged.body,
        flagged.term,
        flagged.prev_term,
        flagged.members_prev,
        flagged.members_new,
        flagged.mean_age_prev,
        flagged.mean_age_new,
        flagged.age_shift,
        flagged.college_share_prev,
        flagged.college_share_new,
        flagged.college_share_shift_pp,
        flagged.mean_edu_level_prev,
        flagged.mean_edu_level_new,
        flagged.edu_level_shift,
        flagged.age_down,
        flagged.edu_up,
        {{ shift_status('flagged.age_down', 'flagged.edu_up') }} as status

    from flagged

    left join districts
        on flagged.district_code = districts.district_code

)

select * from final
