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
-- CTE is held in memory whole): those whose id_key, or name + birth date, is
-- on more than one row of the district and term (two aggregates, not two
-- self-joins of all rows); every other row is a person of its own.
-- The member rows are read where they are used, not through one CTE: DuckDB
-- holds a CTE read more than once whole (at the nation, 14.8 million wide
-- rows spilled to disk: the model took 50 s, now 19 s).

with recursive

-- an id_key, or a name + birth date, on more than one row of a district and
-- term (an equality with a NULL side is never true, so NULLs are left out)
repeated_id_keys as (

    select
        district_code,
        term,
        id_key

    from {{ ref('int_board_members_matched_to_previous') }} as members

    where id_key is not null

    group by district_code, term, id_key

    having count(*) > 1

),

repeated_names_and_birth_dates as (

    select
        district_code,
        term,
        name,
        birth_date

    from {{ ref('int_board_members_matched_to_previous') }} as members

    where name is not null and birth_date is not null

    group by district_code, term, name, birth_date

    having count(*) > 1

),

-- every member row keyed, and whether it matches another row: its id_key,
-- or its name + birth date, is on another row of the district and term
keyed_members as (

    select
        -- one loaded row: its board and where it was read
        {{ dbt.concat([
            "members.board_id", "'|'", "coalesce(members.source_file, '')", "'|'",
            "coalesce(members.source_sheet, '')", "'|'",
            "coalesce(" ~ dbt.cast("members.source_row", dbt.type_string()) ~ ", '')"
        ]) }} as member_key,
        members.board_id,
        members.district_code,
        members.body,
        members.term,
        members.id_key,
        members.name,
        members.birth_date,
        members.role_code,
        members.age,
        members.education_level,
        members.is_college,
        repeated_id_keys.id_key is not null
        or repeated_names_and_birth_dates.name is not null
            as matches_another

    from {{ ref('int_board_members_matched_to_previous') }} as members

    left join repeated_id_keys
        on
            members.district_code = repeated_id_keys.district_code
            and members.term = repeated_id_keys.term
            and members.id_key = repeated_id_keys.id_key

    left join repeated_names_and_birth_dates
        on
            members.district_code
            = repeated_names_and_birth_dates.district_code
            and members.term = repeated_names_and_birth_dates.term
            and members.name = repeated_names_and_birth_dates.name
            and members.birth_date = repeated_names_and_birth_dates.birth_date

),

-- the rows that match another row (usually few): only they are chained
members_matching_another as (

    select * from keyed_members
    where matches_another

),

same_person_pairs as (

    -- same id_key
    select
        left_members.member_key,
        right_members.member_key as matched_member_key

    from members_matching_another as left_members

    inner join members_matching_another as right_members
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

    from members_matching_another as left_members

    inner join members_matching_another as right_members
        on
            left_members.district_code = right_members.district_code
            and left_members.term = right_members.term
            and left_members.name = right_members.name
            and left_members.birth_date = right_members.birth_date
            and left_members.member_key <> right_members.member_key

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

    -- a row that matches no other row is a person of its own
    select
        member_key,
        member_key as person_key,
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

    from keyed_members

    where not matches_another

    union all

    select
        members_matching_another.member_key,
        coalesce(
            person_keys.person_key, members_matching_another.member_key
        ) as person_key,
        members_matching_another.board_id,
        members_matching_another.district_code,
        members_matching_another.body,
        members_matching_another.term,
        members_matching_another.id_key,
        members_matching_another.name,
        members_matching_another.birth_date,
        members_matching_another.role_code,
        members_matching_another.age,
        members_matching_another.education_level,
        members_matching_another.is_college

    from members_matching_another

    left join person_keys
        on members_matching_another.member_key = person_keys.member_key

)

select * from final
