-- One row per district × term that has at least one board (an election of
-- either body): board sizes, distinct and cross-serving (交叉任职) persons,
-- 一肩挑, and the totals behind the secretary (书记) and director (主任)
-- profile, with the district's latest earlier term. Persons are those of
-- int_board_members_matched_within_term (the one person-matching rule): its
-- rows are the member rows that are the same person as another row; every
-- other member row is a person of its own, on one board only.
-- Cross-serving persons and 一肩挑 need both boards: they are NULL when the
-- district has no election of one body in that term.
-- The member rows are read where they are used, not through one CTE: DuckDB
-- holds a CTE read more than once whole.

with

elections as (

    select * from {{ ref('stg_elections') }}

),

district_terms as (

    select
        district_code,
        term,
        count(case when body = 'party' then 1 end) > 0 as has_party_board,
        count(case when body = 'residents' then 1 end) > 0
            as has_residents_board

    from elections

    group by 1, 2

),

-- member rows (seats filled) per board, in one pass
member_counts as (

    select
        district_code,
        term,
        count(case when body = 'party' then 1 end) as party_board_members,
        count(case when body = 'residents' then 1 end)
            as residents_committee_members,
        count(*) as member_rows

    from {{ ref('int_board_members_matched_to_previous') }} as members

    group by 1, 2

),

-- the persons on more than one member row, and the boards they are on
persons_on_several_rows as (

    select
        district_code,
        term,
        person_key,
        count(*) as member_rows,
        count(case when body = 'party' then 1 end) as party_board_rows,
        count(case when body = 'residents' then 1 end)
            as residents_committee_rows

    from {{ ref('int_board_members_matched_within_term') }} as matched

    group by 1, 2, 3

),

persons_on_several_rows_counts as (

    select
        district_code,
        term,
        cast(sum(member_rows) as {{ dbt.type_bigint() }}) as member_rows,
        count(*) as people,
        count(
            case
                when party_board_rows > 0 and residents_committee_rows > 0
                    then 1
            end
        ) as cross_people

    from persons_on_several_rows

    group by 1, 2

),

-- distinct persons: each row not matched to another is a person of its own;
-- only a person on several rows can be on both boards
person_counts as (

    select
        member_counts.district_code,
        member_counts.term,
        member_counts.party_board_members,
        member_counts.residents_committee_members,
        member_counts.member_rows
        - coalesce(persons_on_several_rows_counts.member_rows, 0)
        + coalesce(persons_on_several_rows_counts.people, 0)
            as distinct_people,
        coalesce(persons_on_several_rows_counts.cross_people, 0)
            as cross_people

    from member_counts

    left join persons_on_several_rows_counts
        on
            member_counts.district_code
            = persons_on_several_rows_counts.district_code
            and member_counts.term = persons_on_several_rows_counts.term

),

-- 一肩挑: the secretary is the residents' committee director, the same
-- person: so both are rows matched to another row
matched_secretaries as (

    select * from {{ ref('int_board_members_matched_within_term') }}
    where body = 'party' and role_code = 'secretary'

),

matched_directors as (

    select * from {{ ref('int_board_members_matched_within_term') }}
    where body = 'residents' and role_code = 'director'

),

yijiantiao_district_terms as (

    select distinct
        matched_secretaries.district_code,
        matched_secretaries.term

    from matched_secretaries

    inner join matched_directors
        on
            matched_secretaries.district_code = matched_directors.district_code
            and matched_secretaries.term = matched_directors.term
            and matched_secretaries.person_key = matched_directors.person_key

),

secretaries as (

    select * from {{ ref('int_board_members_matched_to_previous') }}
    where body = 'party' and role_code = 'secretary'

),

directors as (

    select * from {{ ref('int_board_members_matched_to_previous') }}
    where body = 'residents' and role_code = 'director'

),

secretary_totals as (

    select
        district_code,
        term,
        count(*) as secretaries,
        count(age) as secretaries_with_age,
        cast(sum(age) as {{ dbt.type_bigint() }}) as secretary_age_total,
        count(education_level) as secretaries_with_education,
        cast(
            sum(education_level) as {{ dbt.type_bigint() }}
        ) as secretary_edu_level_total,
        count(case when is_college then 1 end) as college_secretaries

    from secretaries

    group by 1, 2

),

director_totals as (

    select
        district_code,
        term,
        count(*) as directors,
        count(age) as directors_with_age,
        cast(sum(age) as {{ dbt.type_bigint() }}) as director_age_total,
        count(education_level) as directors_with_education,
        cast(
            sum(education_level) as {{ dbt.type_bigint() }}
        ) as director_edu_level_total,
        count(case when is_college then 1 end) as college_directors

    from directors

    group by 1, 2

),

with_previous_term as (

    select
        *,
        has_party_board and has_residents_board as has_both_boards,
        lag(term) over (
            partition by district_code
            order by term
        ) as prev_term

    from district_terms

),

final as (

    select
        {{ district_term_id('with_previous_term.district_code', 'with_previous_term.term') }}
            as district_term_id,
        {{ district_term_id('with_previous_term.district_code', 'with_previous_term.prev_term') }}
            as prev_district_term_id,
        with_previous_term.district_code,
        with_previous_term.term,
        with_previous_term.prev_term,
        with_previous_term.has_party_board,
        with_previous_term.has_residents_board,
        with_previous_term.has_both_boards,
        coalesce(person_counts.party_board_members, 0) as party_board_members,
        coalesce(person_counts.residents_committee_members, 0)
            as residents_committee_members,
        case
            when with_previous_term.has_both_boards
                then coalesce(person_counts.distinct_people, 0)
        end as distinct_people,
        case
            when with_previous_term.has_both_boards
                then coalesce(person_counts.cross_people, 0)
        end as cross_people,
        case
            when with_previous_term.has_both_boards
                then yijiantiao_district_terms.district_code is not null
        end as is_yijiantiao,
        coalesce(secretary_totals.secretaries, 0) as secretaries,
        coalesce(secretary_totals.secretaries_with_age, 0)
            as secretaries_with_age,
        secretary_totals.secretary_age_total,
        coalesce(secretary_totals.secretaries_with_education, 0)
            as secretaries_with_education,
        secretary_totals.secretary_edu_level_total,
        coalesce(secretary_totals.college_secretaries, 0)
            as college_secretaries,
        coalesce(director_totals.directors, 0) as directors,
        coalesce(director_totals.directors_with_age, 0) as directors_with_age,
        director_totals.director_age_total,
        coalesce(director_totals.directors_with_education, 0)
            as directors_with_education,
        director_totals.director_edu_level_total,
        coalesce(director_totals.college_directors, 0) as college_directors

    from with_previous_term

    left join person_counts
        on
            with_previous_term.district_code = person_counts.district_code
            and with_previous_term.term = person_counts.term

    left join yijiantiao_district_terms
        on
            with_previous_term.district_code
            = yijiantiao_district_terms.district_code
            and with_previous_term.term = yijiantiao_district_terms.term

    left join secretary_totals
        on
            with_previous_term.district_code = secretary_totals.district_code
            and with_previous_term.term = secretary_totals.term

    left join director_totals
        on
            with_previous_term.district_code = director_totals.district_code
            and with_previous_term.term = director_totals.term

)

select * from final
