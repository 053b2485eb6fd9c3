-- District structure pooled per subdistrict (街道) × term: 一肩挑 share per
-- unit (districts with 一肩挑 ÷ districts with both boards), 交叉任职 share
-- over distinct persons, the secretaries' and directors' mean age,
-- education level and college share, each against the subdistrict's
-- latest earlier term. The pooling is int_structure_district_rollups.

with

rollups as (

    select * from {{ ref('int_structure_district_rollups') }}

),

final as (

    select
        rollup_id,
        group_name as subdistrict,
        term,
        prev_term,
        districts,
        districts_with_both_boards,
        yijiantiao_districts,
        yijiantiao_share,
        yijiantiao_share_prev,
        yijiantiao_share_shift_pp,
        cross_people,
        distinct_people,
        cross_share,
        cross_share_prev,
        cross_share_shift_pp,
        secretaries,
        secretary_mean_age,
        secretary_mean_age_prev,
        secretary_age_shift,
        secretary_mean_edu_level,
        secretary_mean_edu_level_prev,
        secretary_edu_level_shift,
        secretary_college_share,
        secretary_college_share_prev,
        secretary_college_share_shift_pp,
        directors,
        director_mean_age,
        director_mean_age_prev,
        director_age_shift,
        director_mean_edu_level,
        director_mean_edu_level_prev,
        director_edu_level_shift,
        director_college_share,
        director_college_share_prev,
        director_college_share_shift_pp

    from rollups

    where grouping_level = 'subdistrict'

)

select * from final
