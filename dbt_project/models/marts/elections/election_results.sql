-- One row per election (district × body × term): seats, candidates and the
-- 差额 margin, the 20% margin rule of the Party election rules, turnout
-- (参选率), the elected candidates' vote shares and 全票当选, and how the
-- elected candidates compare with the board roster.

with

elections as (

    select * from {{ ref('int_elections_summarised') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

measured as (

    select
        board_id as election_id,
        district_code,
        body,
        term,
        election_date,
        seats,
        candidates,
        elected,
        members,
        {{ safe_divide('candidates - seats', 'seats') }} as margin_ratio,
        -- ceil(1.2 × seats) in integers: ceil(6 × seats / 5), no float error
        cast(
            floor((seats * 6 + 4) / 5.0) as {{ dbt.type_int() }}
        ) as party_rule_min_candidates,
        candidates * 5 >= seats * 6 as meets_party_20pct_rule,
        registered_voters,
        ballots_cast,
        {{ safe_divide('ballots_cast', 'registered_voters') }} as turnout,
        elected_with_votes,
        {{ safe_divide('elected_votes_min', 'ballots_cast') }}
            as min_vote_share,
        {{ safe_divide(
            'elected_votes_total',
            'nullif(elected_with_votes, 0) * ballots_cast'
        ) }} as mean_vote_share,
        unanimous_elected,
        members_not_candidates,
        elected_not_members

    from elections

),

final as (

    select
        measured.election_id,
        measured.district_code,
        districts.district_name,
        districts.subdistrict,
        measured.body,
        measured.term,
        measured.election_date,
        measured.seats,
        measured.candidates,
        measured.elected,
        measured.members,
        measured.margin_ratio,
        measured.party_rule_min_candidates,
        measured.meets_party_20pct_rule,
        measured.registered_voters,
        measured.ballots_cast,
        measured.turnout,
        measured.elected_with_votes,
        measured.min_vote_share,
        measured.mean_vote_share,
        measured.unanimous_elected,
        measured.members_not_candidates,
        measured.elected_not_members

    from measured

    left join districts
        on measured.district_code = districts.district_code

)

select * from final
