-- int_elections_candidates_matched_to_members holds every candidate row and
-- every member row exactly once (as one side of a pair, or alone). Its first
-- pass joins on id_key without ranking, because the loader keeps one row per
-- person and board (a second row of the same person is quarantined:
-- duplicate_person); an id_key on two rows of one side of an election would
-- pair each row with each and give that side more rows here than it has.
-- Fails with one row per side whose count differs: (side, rows_in_model,
-- rows_loaded). Two counts: a scan of two boolean columns.

with

counted as (

    select
        count(case when is_candidate then 1 end) as candidate_rows,
        count(case when is_member then 1 end) as member_rows

    from {{ ref('int_elections_candidates_matched_to_members') }}

),

loaded as (

    select
        (select count(*) from {{ ref('stg_candidates') }}) as candidate_rows,
        (select count(*) from {{ ref('stg_board_members') }}) as member_rows

),

sides as (

    select
        'candidates' as side,
        counted.candidate_rows as rows_in_model,
        loaded.candidate_rows as rows_loaded

    from counted
    cross join loaded

    union all

    select
        'board_members' as side,
        counted.member_rows as rows_in_model,
        loaded.member_rows as rows_loaded

    from counted
    cross join loaded

)

select * from sides
where rows_in_model <> rows_loaded
