-- Each board member, flagged continuing (连任) when the previous-term board of
-- the same district and body has a member with the same id_key (both
-- non-null), or the same name and the same birth date (all non-null);
-- new (新进) otherwise. NULL when the board has no previous term.
--
-- The two rules are two equality joins to the previous board's distinct keys
-- (hash joins, which can spill), not one correlated `exists … or …`, whose
-- plan depends on the engine. Boards are joined on (district_code, body,
-- term), not on the concatenated board_id. The key sets are distinct, so a
-- member row is never repeated.

with

members as (

    select * from {{ ref('int_board_members_aged') }}

),

boards as (

    select * from {{ ref('int_boards_paired_with_previous') }}

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

-- the previous board's members as keys of its board: an id_key, or a
-- name + birth date (an equality with a NULL side is never true)
board_id_keys as (

    select distinct
        district_code,
        body,
        term,
        id_key

    from members

    where id_key is not null

),

board_names_and_birth_dates as (

    select distinct
        district_code,
        body,
        term,
        name,
        birth_date

    from members

    where name is not null and birth_date is not null

),

flagged as (

    select
        current_members.*,
        case
            when current_members.prev_term is null then null
            else
                same_id_key.id_key is not null
                or same_name_and_birth_date.name is not null
        end as is_continuing

    from members_with_previous_board as current_members

    left join board_id_keys as same_id_key
        on
            current_members.district_code = same_id_key.district_code
            and current_members.body = same_id_key.body
            and current_members.prev_term = same_id_key.term
            and current_members.id_key = same_id_key.id_key

    left join board_names_and_birth_dates as same_name_and_birth_date
        on
            current_members.district_code
            = same_name_and_birth_date.district_code
            and current_members.body = same_name_and_birth_date.body
            and current_members.prev_term = same_name_and_birth_date.term
            and current_members.name = same_name_and_birth_date.name
            and current_members.birth_date
            = same_name_and_birth_date.birth_date

)

select * from flagged
