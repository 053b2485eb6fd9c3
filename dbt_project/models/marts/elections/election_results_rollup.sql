-- Elections pooled per subdistrict (街道) × body × term: the 差额 margin as
-- Σ candidates ÷ Σ seats over the elections where both are known, turnout as
-- Σ ballots ÷ Σ registered over the elections where both are known (not
-- averages of ratios), and counts of elections meeting the 20% rule.

with

elections as (

    select * from {{ ref('election_results') }}

),

pooled as (

    select
        subdistrict,
        body,
        term,
        count(*) as elections,
        count(margin_ratio) as elections_with_margin,
        cast(
            sum(case when margin_ratio is not null then seats end)
            as {{ dbt.type_bigint() }}
        ) as seats,
        cast(
            sum(case when margin_ratio is not null then candidates end)
            as {{ dbt.type_bigint() }}
        ) as candidates,
        count(case when meets_party_20pct_rule then 1 end)
            as elections_meeting_party_20pct_rule,
        count(turnout) as elections_with_turnout,
        cast(
            sum(case when turnout is not null then registered_voters end)
            as {{ dbt.type_bigint() }}
        ) as registered_voters,
        cast(
            sum(case when turnout is not null then ballots_cast end)
            as {{ dbt.type_bigint() }}
        ) as ballots_cast,
        cast(sum(unanimous_elected) as {{ dbt.type_bigint() }})
            as unanimous_elected,
        count(members_not_candidates) as elections_with_roster_compared,
        cast(sum(members_not_candidates) as {{ dbt.type_bigint() }})
            as members_not_candidates,
        cast(sum(elected_not_members) as {{ dbt.type_bigint() }})
            as elected_not_members

    from elections

    group by 1, 2, 3

),

final as (

    select
        -- districts without a subdistrict pool under '' in the key
        {{ dbt.concat([
            "coalesce(subdistrict, '')", "'|'", "body", "'|'",
            dbt.cast("term", dbt.type_string())
        ]) }} as rollup_id,
        subdistrict,
        body,
        term,
        elections,
        elections_with_margin,
        seats,
        candidates,
        {{ safe_divide('candidates', 'seats') }} as candidates_per_seat,
        {{ safe_divide('candidates - seats', 'seats') }} as margin_ratio,
        elections_meeting_party_20pct_rule,
        elections_with_turnout,
        registered_voters,
        ballots_cast,
        {{ safe_divide('ballots_cast', 'registered_voters') }} as turnout,
        unanimous_elected,
        elections_with_roster_compared,
        members_not_candidates,
        elected_not_members

    from pooled

)

select * from final
