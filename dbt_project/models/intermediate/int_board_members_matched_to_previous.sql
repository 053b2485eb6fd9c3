-- Each board member, flagged continuing (连任) when the previous-term board of
-- the same district and body has a member with the same id_key (both
-- non-null), or the same name and the same birth date (all non-null);
-- new (新进) otherwise. NULL when the board has no previous term.

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
        on members.board_id = boards.board_id

),

flagged as (

    select
        current_members.*,
        case
            when current_members.prev_board_id is null then null
            when exists (
                select 1
                from members as previous_members
                where
                    previous_members.board_id = current_members.prev_board_id
                    and (
                        previous_members.id_key = current_members.id_key
                        or (
                            previous_members.name = current_members.name
                            and previous_members.birth_date
                            = current_members.birth_date
                        )
                    )
            ) then true
            else false
        end as is_continuing

    from members_with_previous_board as current_members

)

select * from flagged
