-- Candidates and board members of the same election (district × body × term)
-- matched person to person. One row per person: a candidate matched to a
-- member (both sides), a member who matches no candidate, or a candidate
-- who matches no member. Matching runs in three passes, each on the rows the
-- earlier passes left unmatched, one to one (the n-th candidate row with the
-- n-th member row of the same key, in row order: source_file, source_sheet,
-- source_row, name):
--   1. same id_key (both non-null);
--   2. same name and birth date (all non-null);
--   3. same name (non-null).
-- Each pass is one full outer join (macro pair_rows_one_to_one); only the
-- rows whose key is on another row of their side are ranked (the n-th with
-- the n-th), the others are rank 1. In the first pass no key repeats: the
-- loader keeps one row per person (id_key) and board, so that pass ranks
-- nothing and reads the staging views once (at the nation, looking for
-- repeated id_keys among 21 M candidates and 14.8 M members: the model
-- alone 31 → 25 s); were an id_key on two rows of one side, it would pair
-- each with each, and the test
-- assert_pairing_holds_each_candidate_and_member_row_once fails the build.
-- The first pass reads the staging views themselves, not CTEs of them. The second
-- and third passes pair rows of the same name, so they take only the rows
-- left unmatched whose election and name are also left on the other side
-- (few: most rows pair by id_key); the other rows left are people on one
-- side. Which rows those are is found apart from the first pass, by anti
-- joins on the id_key, so that its 21 M rows are read once, as the table is
-- written, and never held (at the nation the model alone 25 → 16 s, no
-- spill; it spilled ≈ 5 GB when the first pass was a CTE read three times).
-- The election is its three columns: no concatenated board_id on 21 M rows
-- (int_elections_summarised gives each election its board_id).
-- Personal data (names): stays out of the marts except member-level ones.

with

paired_by_id_key as (

    {{ pair_rows_one_to_one(
        ref('stg_candidates'), ref('stg_board_members'), ['id_key'], 'id_key',
        keys_unique=true
    ) }}

),

-- the later passes pair only rows of one election with the same name that
-- the first pass left on both sides. Nearly every member pairs by id_key (at
-- the nation 29,595 of 14.8 M are left), so the members left are found first
-- and only the candidates with one of their names are looked at
members_left_after_id_key as (

    select
        members.district_code,
        members.body,
        members.term,
        members.id_key,
        members.name,
        members.birth_date,
        members.role,
        members.source_file,
        members.source_sheet,
        members.source_row

    from {{ ref('stg_board_members') }} as members

    left join {{ ref('stg_candidates') }} as candidates
        on
            members.district_code = candidates.district_code
            and members.body = candidates.body
            and members.term = candidates.term
            and members.id_key = candidates.id_key

    where candidates.id_key is null

),

member_names_left_after_id_key as (

    select distinct
        district_code,
        body,
        term,
        name

    from members_left_after_id_key

    where name is not null

),

-- the candidates left whose name is also left among the members: all that
-- the later passes take from the candidates' side
candidates_left_to_pair_by_name as (

    select
        candidates.district_code,
        candidates.body,
        candidates.term,
        candidates.id_key,
        candidates.name,
        candidates.birth_date,
        candidates.role,
        candidates.votes,
        candidates.elected,
        candidates.source_file,
        candidates.source_sheet,
        candidates.source_row

    from {{ ref('stg_candidates') }} as candidates

    inner join member_names_left_after_id_key
        on
            candidates.district_code
            = member_names_left_after_id_key.district_code
            and candidates.body = member_names_left_after_id_key.body
            and candidates.term = member_names_left_after_id_key.term
            and candidates.name = member_names_left_after_id_key.name

    left join {{ ref('stg_board_members') }} as members
        on
            candidates.district_code = members.district_code
            and candidates.body = members.body
            and candidates.term = members.term
            and candidates.id_key = members.id_key

    where members.id_key is null

),

names_left_on_both_sides as (

    select distinct
        district_code,
        body,
        term,
        name

    from candidates_left_to_pair_by_name

),

members_left_to_pair_by_name as (

    select members_left_after_id_key.*

    from members_left_after_id_key

    inner join names_left_on_both_sides
        on
            members_left_after_id_key.district_code
            = names_left_on_both_sides.district_code
            and members_left_after_id_key.body = names_left_on_both_sides.body
            and members_left_after_id_key.term = names_left_on_both_sides.term
            and members_left_after_id_key.name = names_left_on_both_sides.name

),

-- what the first pass leaves as it is: its pairs, and the people on one
-- side only (no row of the other side with their name is left), streamed
-- into the table as the join makes them
kept_after_id_key as (

    select paired_by_id_key.*

    from paired_by_id_key

    left join names_left_on_both_sides
        on
            paired_by_id_key.matched_by is null
            and paired_by_id_key.district_code
            = names_left_on_both_sides.district_code
            and paired_by_id_key.body = names_left_on_both_sides.body
            and paired_by_id_key.term = names_left_on_both_sides.term
            and paired_by_id_key.name = names_left_on_both_sides.name

    where names_left_on_both_sides.name is null

),

paired_by_name_and_birth_date as (

    {{ pair_rows_one_to_one(
        'candidates_left_to_pair_by_name', 'members_left_to_pair_by_name',
        ['name', 'birth_date'], 'name_birth_date'
    ) }}

),

candidates_left_after_birth_date as (

    select
        district_code,
        body,
        term,
        candidate_id_key as id_key,
        candidate_name as name,
        candidate_birth_date as birth_date,
        candidate_role as role,
        votes,
        elected,
        candidate_source_file as source_file,
        candidate_source_sheet as source_sheet,
        candidate_source_row as source_row

    from paired_by_name_and_birth_date
    where not is_member

),

members_left_after_birth_date as (

    select
        district_code,
        body,
        term,
        member_id_key as id_key,
        member_name as name,
        member_birth_date as birth_date,
        member_role as role,
        member_source_file as source_file,
        member_source_sheet as source_sheet,
        member_source_row as source_row

    from paired_by_name_and_birth_date
    where not is_candidate

),

-- the third pass keeps its unmatched rows: they are the people on one side
paired_by_name as (

    {{ pair_rows_one_to_one(
        'candidates_left_after_birth_date', 'members_left_after_birth_date',
        ['name'], 'name'
    ) }}

),

people as (

    select * from kept_after_id_key

    union all

    select * from paired_by_name_and_birth_date
    where matched_by is not null

    union all

    select * from paired_by_name

),

final as (

    select
        district_code,
        body,
        term,
        name,
        is_candidate,
        is_member,
        matched_by,
        elected,
        votes,
        candidate_role,
        member_role,
        candidate_source_file,
        candidate_source_sheet,
        candidate_source_row,
        member_source_file,
        member_source_sheet,
        member_source_row

    from people

)

select * from final
