-- 一降一升 per subdistrict × body × term, pooled over all members of the
-- districts in one_down_one_up for that subdistrict, body and term (not an
-- average of district averages). Each district's previous side is its own
-- prev_term board; prev_term here is the latest of those.

with

district_shifts as (

    select * from {{ ref('one_down_one_up') }}

),

boards as (

    select * from {{ ref('int_boards_summarised') }}

),

district_totals as (

    select
        district_shifts.subdistrict,
        district_shifts.body,
        district_shifts.term,
        district_shifts.prev_term,
        district_shifts.district_code,
        district_shifts.status,
        previous_boards.members as members_prev,
        new_boards.members as members_new,
        previous_boards.members_with_age as members_with_age_prev,
        new_boards.members_with_age as members_with_age_new,
        previous_boards.age_total as age_total_prev,
        new_boards.age_total as age_total_new,
        previous_boards.members_with_education
            as members_with_education_prev,
        new_boards.members_with_education as members_with_education_new,
        previous_boards.college_members as college_members_prev,
        new_boards.college_members as college_members_new,
        previous_boards.education_level_total
            as education_level_total_prev,
        new_boards.education_level_total as education_level_total_new

    from district_shifts

    inner join boards as new_boards
        on district_shifts.board_id = new_boards.board_id

    inner join boards as previous_boards
        on new_boards.prev_board_id = previous_boards.board_id

),

pooled as (

    select
        subdistrict,
        body,
        term,
        max(prev_term) as prev_term,
        count(distinct district_code) as districts,
        cast(sum(members_prev) as {{ dbt.type_bigint() }}) as members_prev,
        cast(sum(members_new) as {{ dbt.type_bigint() }}) as members_new,
        {{ safe_divide('sum(age_total_prev)', 'sum(members_with_age_prev)') }}
            as mean_age_prev,
        {{ safe_divide('sum(age_total_new)', 'sum(members_with_age_new)') }}
            as mean_age_new,
        {{ safe_divide(
            'sum(college_members_prev)', 'sum(members_with_education_prev)'
        ) }} as college_share_prev,
        {{ safe_divide(
            'sum(college_members_new)', 'sum(members_with_education_new)'
        ) }} as college_share_new,
        {{ safe_divide(
            'sum(education_level_total_prev)',
            'sum(members_with_education_prev)'
        ) }} as mean_edu_level_prev,
        {{ safe_divide(
            'sum(education_level_total_new)',
            'sum(members_with_education_new)'
        ) }} as mean_edu_level_new,
        count(case when status = 'one_down_one_up' then 1 end)
            as districts_one_down_one_up,
        count(case when status = 'age_down_only' then 1 end)
            as districts_age_down_only,
        count(case when status = 'edu_up_only' then 1 end)
            as districts_edu_up_only,
        count(case when status = 'neither' then 1 end)
            as districts_neither

    from district_totals

    group by 1, 2, 3

),

shifts as (

    select
        *,
        mean_age_new - mean_age_prev as age_shift,
        (college_share_new - college_share_prev) * 100
            as college_share_shift_pp,
        mean_edu_level_new - mean_edu_level_prev as edu_level_shift

    from pooled

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
        -- a district without subdistrict pools under '' in the key
        {{ dbt.concat([
            "coalesce(subdistrict, '')", "'|'", "body", "'|'",
            dbt.cast("term", dbt.type_string())
        ]) }} as rollup_id,
        subdistrict,
        body,
        term,
        prev_term,
        districts,
        members_prev,
        members_new,
        mean_age_prev,
        mean_age_new,
        age_shift,
        college_share_prev,
        college_share_new,
        college_share_shift_pp,
        mean_edu_level_prev,
        mean_edu_level_new,
        edu_level_shift,
        age_down,
        edu_up,
        {{ shift_status('age_down', 'edu_up') }} as status,
        districts_one_down_one_up,
        districts_age_down_only,
        districts_edu_up_only,
        districts_neither

    from flagged

)

select * from final
