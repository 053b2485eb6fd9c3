-- Board structure pooled per subdistrict (街道) × body × term over all
-- members of the subdistrict's boards of that term (member-weighted, not an
-- average of board shares), against the subdistrict's latest earlier term
-- of the same body. Also 连任 / 新进: continuing and new members (as in
-- board_composition) and the share of new members, over the boards that
-- have a previous term.

{% set shares = structure_shares() %}
{% set totals = [
    'members', 'members_with_gender', 'women',
    'members_with_political_status', 'party_members', 'members_with_age',
    'age_35_and_under', 'age_36_45', 'age_46_55', 'age_56_and_over',
    'members_with_education', 'bachelor_members', 'high_school_members',
    'continuing_members', 'new_members',
] %}

with

boards as (

    select * from {{ ref('int_structure_board_totals') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

pooled as (

    select
        districts.subdistrict,
        boards.body,
        boards.term,
        count(*) as districts,
        -- continuing / new members: NULL when no board has a previous term
        {% for total in totals %}
        cast(sum(boards.{{ total }}) as {{ dbt.type_bigint() }})
            as {{ total }}{{ "," if not loop.last }}
        {% endfor %}

    from boards

    left join districts
        on boards.district_code = districts.district_code

    group by 1, 2, 3

),

pooled_shares as (

    select
        -- a district without subdistrict pools under '' in the key
        {{ dbt.concat([
            "coalesce(subdistrict, '')", "'|'", "body", "'|'",
            dbt.cast("term", dbt.type_string())
        ]) }} as rollup_id,
        subdistrict,
        body,
        term,
        lag(term) over (
            partition by subdistrict, body
            order by term
        ) as prev_term,
        districts,
        members,
        continuing_members,
        new_members,
        {{ safe_divide('new_members', 'continuing_members + new_members') }}
            as new_member_share,
        {% for share in shares %}
        {% if share.residents_only %}
        case
            when body = 'residents'
                then {{ safe_divide(share.numerator, share.denominator) }}
        end as {{ share.name }}{{ "," if not loop.last }}
        {% else %}
        {{ safe_divide(share.numerator, share.denominator) }}
            as {{ share.name }}{{ "," if not loop.last }}
        {% endif %}
        {% endfor %}

    from pooled

),

final as (

    select
        current_terms.rollup_id,
        current_terms.subdistrict,
        current_terms.body,
        current_terms.term,
        current_terms.prev_term,
        current_terms.districts,
        current_terms.members,
        previous_terms.members as members_prev,
        {% for share in shares %}
        current_terms.{{ share.name }},
        previous_terms.{{ share.name }} as {{ share.name }}_prev,
        (current_terms.{{ share.name }} - previous_terms.{{ share.name }})
        * 100 as {{ share.name }}_shift_pp,
        {% endfor %}
        current_terms.continuing_members,
        current_terms.new_members,
        current_terms.new_member_share

    from pooled_shares as current_terms

    left join pooled_shares as previous_terms
        on
            coalesce(current_terms.subdistrict, '')
            = coalesce(previous_terms.subdistrict, '')
            and current_terms.body = previous_terms.body
            and current_terms.prev_term = previous_terms.term

)

select * from final
