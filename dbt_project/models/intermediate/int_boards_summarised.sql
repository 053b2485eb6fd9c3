-- One row per board (every election, also boards with no member rows):
-- member counts and the totals the marts turn into means and shares.
-- Totals (not means) are kept so the rollup can pool members.

{% set education_levels = [1, 2, 3, 4, 5, 6] %}

with

boards as (

    select * from {{ ref('int_boards_paired_with_previous') }}

),

members as (

    select * from {{ ref('int_board_members_matched_to_previous') }}

),

member_totals as (

    select
        board_id,
        count(*) as members,
        count(age) as members_with_age,
        cast(sum(age) as {{ dbt.type_bigint() }}) as age_total,
        percentile_cont(0.5) within group (order by age) as median_age,
        count(case when age <= 35 then 1 end) as age_35_and_under,
        count(case when age between 36 and 45 then 1 end) as age_36_45,
        count(case when age between 46 and 55 then 1 end) as age_46_55,
        count(case when age >= 56 then 1 end) as age_56_and_over,
        count(gender) as members_with_gender,
        count(case when gender = 'F' then 1 end) as women,
        count(is_party_member) as members_with_political_status,
        count(case when is_party_member then 1 end) as party_members,
        count(education_level) as members_with_education,
        cast(
            sum(education_level) as {{ dbt.type_bigint() }}
        ) as education_level_total,
        {% for level in education_levels %}
        count(
            case when education_level = {{ level }} then 1 end
        ) as edu_level_{{ level }},
        {% endfor %}
        count(case when education_level is null then 1 end) as edu_unknown,
        count(case when is_college then 1 end) as college_members,
        count(case when is_bachelor then 1 end) as bachelor_members,
        count(case when is_continuing then 1 end) as continuing_members

    from members

    group by 1

),

summarised as (

    select
        boards.board_id,
        boards.prev_board_id,
        boards.district_code,
        boards.body,
        boards.term,
        boards.prev_term,
        boards.election_date,
        coalesce(member_totals.members, 0) as members,
        coalesce(member_totals.members_with_age, 0) as members_with_age,
        member_totals.age_total,
        member_totals.median_age,
        coalesce(member_totals.age_35_and_under, 0) as age_35_and_under,
        coalesce(member_totals.age_36_45, 0) as age_36_45,
        coalesce(member_totals.age_46_55, 0) as age_46_55,
        coalesce(member_totals.age_56_and_over, 0) as age_56_and_over,
        coalesce(member_totals.members_with_gender, 0) as members_with_gender,
        coalesce(member_totals.women, 0) as women,
        coalesce(
            member_totals.members_with_political_status, 0
        ) as members_with_political_status,
        coalesce(member_totals.party_members, 0) as party_members,
        coalesce(
            member_totals.members_with_education, 0
        ) as members_with_education,
        member_totals.education_level_total,
        {% for level in education_levels %}
        coalesce(
            member_totals.edu_level_{{ level }}, 0
        ) as edu_level_{{ level }},
        {% endfor %}
        coalesce(member_totals.edu_unknown, 0) as edu_unknown,
        coalesce(member_totals.college_members, 0) as college_members,
        coalesce(member_totals.bachelor_members, 0) as bachelor_members,
        case
            when boards.prev_board_id is not null
                then coalesce(member_totals.continuing_members, 0)
        end as continuing_members,
        case
            when boards.prev_board_id is not null
                then
                    coalesce(member_totals.members, 0)
                    - coalesce(member_totals.continuing_members, 0)
        end as new_members

    from boards

    left join member_totals
        on boards.board_id = member_totals.board_id

)

select * from summarised
