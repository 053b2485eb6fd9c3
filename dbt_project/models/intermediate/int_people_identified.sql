-- One row per board member, with `person_key`: which person the row is,
-- among all member rows of the same district and term (both boards).
--
-- THE person-matching rule of the structure measures (一肩挑, 交叉任职):
-- two member rows of the same district and term are the same person when
--   * they have the same id_key (both non-null), or
--   * they have the same name and the same birth date (all non-null),
-- whatever else differs (so a row with an id_key and a row with only name +
-- birth date match when name and birth date agree; the same name with
-- another birth date does not match). It is the rule that
-- int_board_members_matched_to_previous applies across terms.
-- Matches chain (A = B by id_key, B = C by name + birth date → one person):
-- person_key is the smallest member_key of the chained group.
--
-- Only rows that match another row take part in the chaining (a recursive
-- CTE is held in memory whole); every other row is a person of its own.

with recursive

members as (

    select * from {{ ref('int_board_members_aged') }}

),

keyed_members as (

    select
        -- one loaded row: its board and where it was read
        {{ dbt.concat([
            "board_id", "'|'", "coalesce(source_file, '')", "'|'",
            "coalesce(source_sheet, '')", "'|'",
            "coalesce(" ~ dbt.cast("source_row", dbt.type_string()) ~ ", '')"
        ]) }} as member_key,
        board_id,
        district_code,
        body,
        term,
        id_key,
        name,
        birth_date,
        role_code,
        age,
        education_level,
        is_college

    from members

),

same_person_pairs as (

    -- same id_key (an equality with a NULL side is never true)
    select
        left_members.member_key,
        right_members.member_key as matched_member_key

    from keyed_members as left_members

    inner join keyed_members as right_members
        on
            left_members.district_code = right_members.district_code
            and left_members.term = right_members.term
            and left_members.id_key = right_members.id_key
            and left_members.member_key <> right_members.member_key

    union

    -- same name and same birth date
    select
        left_members.member_key,
        right_members.member_key as matched_member_key

    from keyed_members as left_members

    inner join keyed_members as right_members
        on
            left_members.district_code = right_members.district_code
            and left_members.term = right_members.term
            and left_members.name = right_members.name
            and left_members.birth_date = right_members.birth_date
            and left_members.member_key <> right_members.member_key

),

members_matching_another as (

    select distinct member_key from same_person_pairs

),

reachable_members (member_key, reached_member_key) as (

    select
        member_key,
        member_key as reached_member_key

    from members_matching_another

    union

    select
        reachable_members.member_key,
        same_person_pairs.matched_member_key as reached_member_key

    from reachable_members

    inner join same_person_pairs
        on reachable_members.reached_member_key = same_person_pairs.member_key

),

person_keys as (

    select
        member_key,
        min(reached_member_key) as person_key

    from reachable_members

    group by 1

),

final as (

    select
        keyed_members.member_key,
        coalesce(person_keys.person_key, keyed_members.member_key) as person_key,
        keyed_members.board_id,
        keyed_members.district_code,
        keyed_members.body,
        keyed_members.term,
        keyed_members.id_key,
        keyed_members.name,
        keyed_members.birth_date,
        keyed_members.role_code,
        keyed_members.age,
        keyed_members.education_level,
        keyed_members.is_college

    from keyed_members

    left join person_keys
        on keyed_members.member_key = person_keys.member_key

)

select * from final
