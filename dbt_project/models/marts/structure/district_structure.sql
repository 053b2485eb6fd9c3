-- Structure of the two boards of a district (居民区) in one term, taken
-- together: 一肩挑 (the Party secretary is also the residents' committee
-- director), cross-serving persons (交叉任职), and the secretary's and the
-- director's age and education, each with the district's previous term.
-- Persons are matched by int_board_members_matched_within_term (same id_key,
-- else same name and birth date).

with

district_terms as (

    select * from {{ ref('int_structure_districts') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

profiles as (

    select
        *,
        {{ safe_divide('cross_people', 'distinct_people') }} as cross_share,
        -- one secretary / director per district: their own age and level
        -- (the mean, should a roster name more than one)
        {{ safe_divide('secretary_age_total', 'secretaries_with_age') }}
            as secretary_age,
        {{ safe_divide(
            'secretary_edu_level_total', 'secretaries_with_education'
        ) }} as secretary_edu_level,
        {{ safe_divide('director_age_total', 'directors_with_age') }}
            as director_age,
        {{ safe_divide(
            'director_edu_level_total', 'directors_with_education'
        ) }} as director_edu_level

    from district_terms

),

final as (

    select
        current_terms.district_term_id,
        current_terms.district_code,
        districts.district_name,
        districts.subdistrict,
        districts.city_district,
        current_terms.term,
        current_terms.prev_term,
        current_terms.has_both_boards,
        current_terms.party_board_members,
        current_terms.residents_committee_members,
        current_terms.distinct_people,
        current_terms.cross_people,
        current_terms.cross_share,
        previous_terms.cross_share as cross_share_prev,
        (current_terms.cross_share - previous_terms.cross_share) * 100
            as cross_share_shift_pp,
        current_terms.is_yijiantiao,
        previous_terms.is_yijiantiao as is_yijiantiao_prev,
        current_terms.secretaries,
        current_terms.secretary_age,
        previous_terms.secretary_age as secretary_age_prev,
        current_terms.secretary_edu_level,
        previous_terms.secretary_edu_level as secretary_edu_level_prev,
        current_terms.directors,
        current_terms.director_age,
        previous_terms.director_age as director_age_prev,
        current_terms.director_edu_level,
        previous_terms.director_edu_level as director_edu_level_prev

    from profiles as current_terms

    left join profiles as previous_terms
        on current_terms.prev_district_term_id = previous_terms.district_term_id

    left join districts
        on current_terms.district_code = districts.district_code

)

select * from final
