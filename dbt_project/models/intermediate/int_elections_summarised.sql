-- One row per election (district × body × term, from the elections): the
-- counts and totals that election_results turns into ratios and that
-- election_results_rollup pools per subdistrict. Candidate figures are NULL
-- when the election has no candidate rows; the roster comparison is NULL
-- unless the election has both candidate rows and member rows.
-- The matched people (a row per person) are read where they are used, not
-- through one CTE: DuckDB holds a CTE read more than once whole.

with

elections as (

    select * from {{ ref('stg_elections') }}

),

election_rows as (

    select
        {{ board_id('district_code', 'body', 'term') }} as board_id,
        district_code,
        body,
        term,
        election_date,
        seats,
        registered_voters,
        ballots_cast

    from elections

),

people_totals as (

    select
        district_code,
        body,
        term,
        count(case when is_candidate then 1 end) as candidates,
        count(case when is_candidate and elected then 1 end) as elected,
        count(case when is_member then 1 end) as members,
        count(
            case when is_candidate and elected and votes is not null then 1 end
        ) as elected_with_votes,
        min(case when is_candidate and elected then votes end)
            as elected_votes_min,
        cast(
            sum(case when is_candidate and elected then votes end)
            as {{ dbt.type_bigint() }}
        ) as elected_votes_total,
        count(case when is_member and not is_candidate then 1 end)
            as members_not_candidates,
        count(case when is_candidate and elected and not is_member then 1 end)
            as elected_not_members

    from {{ ref('int_elections_candidates_matched_to_members') }} as people

    group by district_code, body, term

),

unanimous as (

    select
        people.district_code,
        people.body,
        people.term,
        count(*) as unanimous_elected

    from {{ ref('int_elections_candidates_matched_to_members') }} as people

    inner join election_rows
        on
            people.district_code = election_rows.district_code
            and people.body = election_rows.body
            and people.term = election_rows.term

    where
        people.is_candidate
        and people.elected
        and people.votes = election_rows.ballots_cast

    group by people.district_code, people.body, people.term

),

final as (

    select
        election_rows.board_id,
        election_rows.district_code,
        election_rows.body,
        election_rows.term,
        election_rows.election_date,
        election_rows.seats,
        election_rows.registered_voters,
        election_rows.ballots_cast,
        nullif(coalesce(people_totals.candidates, 0), 0) as candidates,
        case
            when coalesce(people_totals.candidates, 0) > 0
                then people_totals.elected
        end as elected,
        coalesce(people_totals.members, 0) as members,
        case
            when coalesce(people_totals.candidates, 0) > 0
                then people_totals.elected_with_votes
        end as elected_with_votes,
        people_totals.elected_votes_min,
        people_totals.elected_votes_total,
        case
            when
                coalesce(people_totals.candidates, 0) > 0
                and election_rows.ballots_cast is not null
                then coalesce(unanimous.unanimous_elected, 0)
        end as unanimous_elected,
        case
            when
                coalesce(people_totals.candidates, 0) > 0
                and coalesce(people_totals.members, 0) > 0
                then people_totals.members_not_candidates
        end as members_not_candidates,
        case
            when
                coalesce(people_totals.candidates, 0) > 0
                and coalesce(people_totals.members, 0) > 0
                then people_totals.elected_not_members
        end as elected_not_members

    from election_rows

    left join people_totals
        on
            election_rows.district_code = people_totals.district_code
            and election_rows.body = people_totals.body
            and election_rows.term = people_totals.term

    left join unanimous
        on
            election_rows.district_code = unanimous.district_code
            and election_rows.body = unanimous.body
            and election_rows.term = unanimous.term

)

select * from final
