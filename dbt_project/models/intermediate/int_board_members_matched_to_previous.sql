-- One row per board member, at its own board's election: age in 周岁 on that
-- election day, education flags, the person match keys, the previous term,
-- and the 连任 flag: continuing when the previous-term board of the same
-- district and body has a member with the same id_key (both non-null), or
-- the same name and the same birth date (all non-null); new (新进)
-- otherwise. NULL when the board has no previous term.
--
-- One model, not an aged model and a flagged copy of it: at the nation
-- (14.8 million member rows) writing the aged rows and reading them back
-- took ≈ 9 s of the two models' 29 s (now 20 s in one).
--
-- The two rules are two `exists`, each on equalities only (an equality with
-- a NULL side is never true), OR-ed: DuckDB runs each as one semi (mark)
-- hash join on the previous boards' member rows, with no distinct key sets
-- to build first and never a repeated member row. Not one correlated
-- `exists … or …`, whose plan depends on the engine; an engine that runs an
-- `exists` in a select list row by row (Postgres) would rather have two left
-- joins to the previous boards' distinct keys. Boards are joined on
-- (district_code, body, term), not on the concatenated board_id.

with

boards as (

    select * from {{ ref('int_boards_paired_with_previous') }}

),

-- the previous boards' members, as keys (read apart from the member rows
-- below, so the wide rows are not held twice): the member rows of the terms
-- that are some board's previous term (at the nation 2015 and 2018, not
-- 2021: the two lookups' hash tables a third smaller, ≈ 1 s of the model's
-- 15). Only boards with an election are anyone's previous board, and every
-- member row of one is here.
previous_board_members as (

    select
        district_code,
        body,
        term,
        id_key,
        name,
        birth_date

    from {{ ref('stg_board_members') }}

    where term in (select boards.prev_term from boards)

),

members_at_election as (

    select
        boards.board_id,
        board_members.district_code,
        board_members.body,
        board_members.term,
        boards.election_date,
        board_members.id_key,
        board_members.name,
        board_members.birth_date,
        board_members.gender,
        board_members.education_level,
        board_members.political_status,
        board_members.is_party_member,
        board_members.role,
        board_members.role_code,
        board_members.source_file,
        board_members.source_sheet,
        board_members.source_row,
        boards.prev_term

    from {{ ref('stg_board_members') }} as board_members

    inner join boards
        on
            board_members.district_code = boards.district_code
            and board_members.body = boards.body
            and board_members.term = boards.term

),

aged as (

    select
        board_id,
        district_code,
        body,
        term,
        election_date,
        id_key,
        name,
        birth_date,
        gender,
        -- 周岁: full years on the election day; one less if the birthday
        -- has not come yet that year (born 29 Feb: birthday counts as 1 Mar)
        cast(
            extract(year from election_date) - extract(year from birth_date)
            - case
                when
                    extract(month from election_date) * 100
                    + extract(day from election_date)
                    < extract(month from birth_date) * 100
                    + extract(day from birth_date)
                    then 1
                else 0
            end
            as integer
        ) as age,
        education_level,
        education_level >= 3 as is_college,
        education_level >= 4 as is_bachelor,
        political_status,
        is_party_member,
        role,
        role_code,
        source_file,
        source_sheet,
        source_row,
        prev_term

    from members_at_election

),

flagged as (

    select
        current_members.*,
        case
            when current_members.prev_term is null then null
            else
                exists (
                    select 1
                    from previous_board_members as same_id_key
                    where
                        same_id_key.district_code
                        = current_members.district_code
                        and same_id_key.body = current_members.body
                        and same_id_key.term = current_members.prev_term
                        and same_id_key.id_key = current_members.id_key
                )
                or exists (
                    select 1
                    from previous_board_members as same_name_and_birth_date
                    where
                        same_name_and_birth_date.district_code
                        = current_members.district_code
                        and same_name_and_birth_date.body
                        = current_members.body
                        and same_name_and_birth_date.term
                        = current_members.prev_term
                        and same_name_and_birth_date.name
                        = current_members.name
                        and same_name_and_birth_date.birth_date
                        = current_members.birth_date
                )
        end as is_continuing

    from aged as current_members

)

select * from flagged
