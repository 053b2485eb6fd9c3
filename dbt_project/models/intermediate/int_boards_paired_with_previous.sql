-- One row per board (district × body × term, from the elections), with the
-- board of the same district and body of the latest earlier term.
-- (district_code, body, term) is unique in elections, so the row before in
-- term order is the latest earlier term.

with

elections as (

    select * from {{ ref('stg_elections') }}

),

boards_with_previous_term as (

    select
        district_code,
        body,
        term,
        election_date,
        lag(term) over (
            partition by district_code, body
            order by term
        ) as prev_term,
        lag(election_date) over (
            partition by district_code, body
            order by term
        ) as prev_election_date

    from elections

),

paired as (

    select
        {{ board_id('district_code', 'body', 'term') }} as board_id,
        {{ board_id('district_code', 'body', 'prev_term') }} as prev_board_id,
        district_code,
        body,
        term,
        prev_term,
        election_date,
        prev_election_date

    from boards_with_previous_term

)

select * from paired
