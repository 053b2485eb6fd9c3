-- Each board member, flagged continuing (连任) when the previous-term board of
-- the same district and body has a member with the same id_key (both
-- non-null), or the same name and the same birth date (all non-null);
-- new (新进) otherwise. NULL when the board has no previous term.
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

members as (

    select * from {{ ref('int_board_members_aged') }}

),

boards as (

    select * from {{ ref('int_boards_paired_with_previous') }}

),

-- the previous boards' members, as keys (read apart from `members`, so the
-- wide member rows are not held twice)
previous_board_members as (

    select
        district_code,
        body,
        term,
        id_key,
        name,
        birth_date

    from {{ ref('int_board_members_aged') }}

),

members_with_previous_board as (

    select
        members.*,
        boards.prev_term,
        boards.prev_board_id

    from members

    inner join boards
        on
            members.district_code = boards.district_code
            and members.body = boards.body
            and members.term = boards.term

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

    from members_with_previous_board as current_members

)

select * from flagged
