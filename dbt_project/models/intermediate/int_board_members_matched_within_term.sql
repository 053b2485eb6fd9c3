-- The member rows that are the same person as another member row of the
-- same district and term (either board), with `person_key`: which person
-- they are. Every other member row is a person of its own, on one board.
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
-- Only the rows that match another row are here (a third of the rows on
-- real rosters: the persons on both boards): a row is one when its id_key,
-- or its name + birth date, is on more than one row of the district and
-- term (two aggregates, not two self-joins of all rows). int_structure_districts
-- counts every other row as a person of its own.
-- Nearly every person is one group of rows with the same id_key and the
-- same name + birth date (no row of the group matches a row outside it):
-- such a group is the person, without chaining. Only the other rows (one
-- without an ID, a name typed differently) are chained, by a recursive CTE
-- on row numbers, not on long keys: at the nation (4.7 million matched rows
-- of 14.8 million) chaining every matched row by its member_key ran out of
-- DuckDB's 5 GB.

with recursive

-- an id_key, or a name + birth date, on more than one row of a district and
-- term, and on how many (an equality with a NULL side is never true, so
-- NULLs are left out)
repeated_id_keys as (

    select
        district_code,
        term,
        id_key,
        count(*) as rows_with_id_key

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
        birth_date,
        count(*) as rows_with_name_and_birth_date

    from {{ ref('int_board_members_matched_to_previous') }} as members

    where name is not null and birth_date is not null

    group by district_code, term, name, birth_date

    having count(*) > 1

),

-- the member rows whose id_key, or name + birth date, is on another row of
-- the district and term
members_matching_another as (

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
        coalesce(repeated_id_keys.rows_with_id_key, 1) as rows_with_id_key,
        coalesce(
            repeated_names_and_birth_dates.rows_with_name_and_birth_date, 1
        ) as rows_with_name_and_birth_date

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

    where
        repeated_id_keys.id_key is not null
        or repeated_names_and_birth_dates.name is not null

),

-- rows with the same id_key, name and birth date: when as many rows have
-- the id_key and as many the name + birth date, the three are the same rows
rows_with_all_three as (

    select
        district_code,
        term,
        id_key,
        name,
        birth_date,
        count(*) as rows_with_all_three

    from members_matching_another

    where id_key is not null and name is not null and birth_date is not null

    group by district_code, term, id_key, name, birth_date

),

classified_members as (

    select
        members_matching_another.*,
        coalesce(
            members_matching_another.rows_with_id_key
            = rows_with_all_three.rows_with_all_three
            and members_matching_another.rows_with_name_and_birth_date
            = rows_with_all_three.rows_with_all_three,
            false
        ) as is_one_group

    from members_matching_another

    left join rows_with_all_three
        on
            members_matching_another.district_code
            = rows_with_all_three.district_code
            and members_matching_another.term = rows_with_all_three.term
            and members_matching_another.id_key = rows_with_all_three.id_key
            and members_matching_another.name = rows_with_all_three.name
            and members_matching_another.birth_date
            = rows_with_all_three.birth_date

),

-- a person who is one such group: the smallest member_key of its rows
one_group_person_keys as (

    select
        district_code,
        term,
        id_key,
        min(member_key) as person_key

    from classified_members

    where is_one_group

    group by district_code, term, id_key

),

-- the other rows, chained; numbered, so that the chaining joins and keeps
-- small integers, not long keys (any numbering will do: person_key is
-- taken from the member keys afterwards; in member_key order because Spark
-- SQL numbers no unordered window, and these rows are few). They match no
-- row of a group above (that row would have their id_key, or name + birth
-- date).
numbered_members as (

    select
        row_number() over (order by member_key) as member_number,
        member_key,
        district_code,
        term,
        id_key,
        name,
        birth_date

    from classified_members

    where not is_one_group

),

same_person_pairs as (

    -- same id_key
    select
        left_members.member_number,
        right_members.member_number as matched_member_number

    from numbered_members as left_members

    inner join numbered_members as right_members
        on
            left_members.district_code = right_members.district_code
            and left_members.term = right_members.term
            and left_members.id_key = right_members.id_key
            and left_members.member_number <> right_members.member_number

    union

    -- same name and same birth date
    select
        left_members.member_number,
        right_members.member_number as matched_member_number

    from numbered_members as left_members

    inner join numbered_members as right_members
        on
            left_members.district_code = right_members.district_code
            and left_members.term = right_members.term
            and left_members.name = right_members.name
            and left_members.birth_date = right_members.birth_date
            and left_members.member_number <> right_members.member_number

),

-- every row each row reaches through the pairs (itself included). `union`
-- ends the recursion once no new (row, reached row) turns up; Spark SQL
-- allows only `union all` in a recursive CTE, so there each walk carries the
-- rows it has passed and never revisits one (the groups chained here are a
-- few rows each: one person's rows in one district and term).
reachable_members as (
{% if target.type == 'spark' %}
    select
        member_number,
        member_number as reached_member_number,
        concat('|', cast(member_number as string), '|') as walked

    from numbered_members

    union all

    select
        reachable_members.member_number,
        same_person_pairs.matched_member_number as reached_member_number,
        concat(
            reachable_members.walked,
            cast(same_person_pairs.matched_member_number as string), '|'
        ) as walked

    from reachable_members

    inner join same_person_pairs
        on
            reachable_members.reached_member_number
            = same_person_pairs.member_number

    where
        instr(
            reachable_members.walked,
            concat(
                '|', cast(same_person_pairs.matched_member_number as string), '|'
            )
        ) = 0
{% else %}
    select
        member_number,
        member_number as reached_member_number

    from numbered_members

    union

    select
        reachable_members.member_number,
        same_person_pairs.matched_member_number as reached_member_number

    from reachable_members

    inner join same_person_pairs
        on
            reachable_members.reached_member_number
            = same_person_pairs.member_number
{% endif %}
),

-- one number per chained group: the smallest it reaches
chained_groups as (

    select
        member_number,
        min(reached_member_number) as group_number

    from reachable_members

    group by 1

),

chained_members as (

    select
        numbered_members.member_key,
        chained_groups.group_number

    from numbered_members

    inner join chained_groups
        on numbered_members.member_number = chained_groups.member_number

),

-- a chained group's person: the smallest member_key of its rows
chained_group_person_keys as (

    select
        group_number,
        min(member_key) as person_key

    from chained_members

    group by 1

),

chained_person_keys as (

    select
        chained_members.member_key,
        chained_group_person_keys.person_key

    from chained_members

    inner join chained_group_person_keys
        on
            chained_members.group_number
            = chained_group_person_keys.group_number

),

people as (

    select
        classified_members.*,
        one_group_person_keys.person_key

    from classified_members

    inner join one_group_person_keys
        on
            classified_members.district_code
            = one_group_person_keys.district_code
            and classified_members.term = one_group_person_keys.term
            and classified_members.id_key = one_group_person_keys.id_key

    where classified_members.is_one_group

    union all

    -- every chained row reaches itself, so every one has its person_key
    select
        classified_members.*,
        chained_person_keys.person_key

    from classified_members

    inner join chained_person_keys
        on classified_members.member_key = chained_person_keys.member_key

    where not classified_members.is_one_group

),

final as (

    select
        member_key,
        person_key,
        board_id,
        district_code,
        body,
        term,
        id_key,
        name,
        birth_date,
        role_code

    from people

)

select * from final
