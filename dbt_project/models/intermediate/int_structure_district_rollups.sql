-- The district structure (一肩挑, 交叉任职, secretary and director profile)
-- pooled per subdistrict (街道) × term and per city district (区) × term:
-- one row per grouping_level × group × term, with the same group's latest
-- earlier term for the shifts. Read by district_structure_rollup and
-- city_district_structure_rollup (one SQL for both levels).
--   一肩挑 share  = districts with 一肩挑 ÷ districts with both boards
--                   (per unit, not per person);
--   交叉任职 share = cross-serving persons ÷ distinct persons, summed over
--                   the districts with both boards;
--   secretary / director means and shares are over the persons, pooled.

{% set roles = [('secretary', 'secretaries'), ('director', 'directors')] %}

with

district_structure as (

    select * from {{ ref('int_structure_districts') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

grouped_districts as (

    select
        'subdistrict' as grouping_level,
        districts.subdistrict as group_name,
        district_structure.*

    from district_structure

    left join districts
        on district_structure.district_code = districts.district_code

    union all

    select
        'city_district' as grouping_level,
        districts.city_district as group_name,
        district_structure.*

    from district_structure

    left join districts
        on district_structure.district_code = districts.district_code

),

pooled as (

    select
        grouping_level,
        group_name,
        term,
        count(*) as districts,
        count(is_yijiantiao) as districts_with_both_boards,
        count(case when is_yijiantiao then 1 end) as yijiantiao_districts,
        cast(coalesce(sum(cross_people), 0) as {{ dbt.type_bigint() }})
            as cross_people,
        cast(coalesce(sum(distinct_people), 0) as {{ dbt.type_bigint() }})
            as distinct_people,
        {% for role, plural in roles %}
        cast(sum({{ plural }}) as {{ dbt.type_bigint() }}) as {{ plural }},
        sum({{ plural }}_with_age) as {{ plural }}_with_age,
        sum({{ role }}_age_total) as {{ role }}_age_total,
        sum({{ plural }}_with_education) as {{ plural }}_with_education,
        sum({{ role }}_edu_level_total) as {{ role }}_edu_level_total,
        sum(college_{{ plural }}) as college_{{ plural }}{{ "," if not loop.last }}
        {% endfor %}

    from grouped_districts

    group by 1, 2, 3

),

measures as (

    select
        grouping_level,
        group_name,
        coalesce(group_name, '') as group_key,
        term,
        lag(term) over (
            partition by grouping_level, group_name
            order by term
        ) as prev_term,
        districts,
        districts_with_both_boards,
        yijiantiao_districts,
        {{ safe_divide('yijiantiao_districts', 'districts_with_both_boards') }}
            as yijiantiao_share,
        cross_people,
        distinct_people,
        {{ safe_divide('cross_people', 'distinct_people') }} as cross_share,
        {% for role, plural in roles %}
        {{ plural }},
        {{ safe_divide(role ~ '_age_total', plural ~ '_with_age') }}
            as {{ role }}_mean_age,
        {{ safe_divide(role ~ '_edu_level_total', plural ~ '_with_education') }}
            as {{ role }}_mean_edu_level,
        {{ safe_divide('college_' ~ plural, plural ~ '_with_education') }}
            as {{ role }}_college_share{{ "," if not loop.last }}
        {% endfor %}

    from pooled

),

final as (

    select
        {{ dbt.concat([
            "current_terms.grouping_level", "'|'", "current_terms.group_key",
            "'|'", dbt.cast("current_terms.term", dbt.type_string())
        ]) }} as grouping_rollup_id,
        current_terms.grouping_level,
        current_terms.group_name,
        {{ dbt.concat([
            "current_terms.group_key", "'|'",
            dbt.cast("current_terms.term", dbt.type_string())
        ]) }} as rollup_id,
        current_terms.term,
        current_terms.prev_term,
        current_terms.districts,
        current_terms.districts_with_both_boards,
        current_terms.yijiantiao_districts,
        current_terms.yijiantiao_share,
        previous_terms.yijiantiao_share as yijiantiao_share_prev,
        (current_terms.yijiantiao_share - previous_terms.yijiantiao_share)
        * 100 as yijiantiao_share_shift_pp,
        current_terms.cross_people,
        current_terms.distinct_people,
        current_terms.cross_share,
        previous_terms.cross_share as cross_share_prev,
        (current_terms.cross_share - previous_terms.cross_share) * 100
            as cross_share_shift_pp,
        {% for role, plural in roles %}
        current_terms.{{ plural }},
        current_terms.{{ role }}_mean_age,
        previous_terms.{{ role }}_mean_age as {{ role }}_mean_age_prev,
        current_terms.{{ role }}_mean_age
        - previous_terms.{{ role }}_mean_age as {{ role }}_age_shift,
        current_terms.{{ role }}_mean_edu_level,
        previous_terms.{{ role }}_mean_edu_level
            as {{ role }}_mean_edu_level_prev,
        current_terms.{{ role }}_mean_edu_level
        - previous_terms.{{ role }}_mean_edu_level
            as {{ role }}_edu_level_shift,
        current_terms.{{ role }}_college_share,
        previous_terms.{{ role }}_college_share
            as {{ role }}_college_share_prev,
        (
            current_terms.{{ role }}_college_share
            - previous_terms.{{ role }}_college_share
        ) * 100 as {{ role }}_college_share_shift_pp{{ "," if not loop.last }}
        {% endfor %}

    from measures as current_terms

    left join measures as previous_terms
        on
            current_terms.grouping_level = previous_terms.grouping_level
            and current_terms.group_key = previous_terms.group_key
            and current_terms.prev_term = previous_terms.term

)

select * from final
