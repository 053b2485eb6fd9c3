-- Composition of every board (district × body × term), also boards with no
-- previous term. Ages in 周岁 on the board's own election day.

{% set education_levels = [1, 2, 3, 4, 5, 6] %}

with

boards as (

    select * from {{ ref('int_boards_summarised') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

composition as (

    select
        boards.board_id,
        boards.district_code,
        districts.district_name,
        districts.subdistrict,
        boards.body,
        boards.term,
        boards.election_date,
        boards.members,
        boards.members_with_age,
        {{ safe_divide('boards.age_total', 'boards.members_with_age') }}
            as mean_age,
        boards.median_age,
        boards.age_35_and_under,
        boards.age_36_45,
        boards.age_46_55,
        boards.age_56_and_over,
        boards.women,
        {{ safe_divide('boards.women', 'boards.members_with_gender') }}
            as women_share,
        boards.party_members,
        {{ safe_divide(
            'boards.party_members', 'boards.members_with_political_status'
        ) }} as party_member_share,
        {% for level in education_levels %}
        boards.edu_level_{{ level }},
        {% endfor %}
        boards.edu_unknown,
        {{ safe_divide(
            'boards.college_members', 'boards.members_with_education'
        ) }} as college_share,
        {{ safe_divide(
            'boards.bachelor_members', 'boards.members_with_education'
        ) }} as bachelor_share,
        boards.prev_term,
        boards.continuing_members,
        boards.new_members,
        {{ safe_divide('boards.new_members', 'boards.members') }}
            as new_member_share

    from boards

    left join districts
        on boards.district_code = districts.district_code

)

select * from composition
