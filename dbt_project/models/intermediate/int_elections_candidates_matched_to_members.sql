-- Candidates and board members of the same election (district × body × term)
-- matched person to person. One row per person: a candidate matched to a
-- member (both sides), a member who matches no candidate, or a candidate
-- who matches no member. Matching runs in three passes, each on the rows the
-- earlier passes left unmatched, one to one:
--   1. same id_key (both non-null);
--   2. same name and birth date (all non-null);
--   3. same name (non-null).
-- Personal data (names): stays out of the marts except member-level ones.

with

candidates as (

    select * from {{ ref('stg_candidates') }}

),

board_members as (

    select * from {{ ref('stg_board_members') }}

),

candidate_rows as (

    select
        {{ board_id('district_code', 'body', 'term') }} as board_id,
        row_number() over (
            order by
                district_code, body, term, source_file, source_sheet,
                source_row, name
        ) as candidate_row,
        district_code,
        body,
        term,
        id_key,
        name,
        birth_date,
        role,
        votes,
        elected,
        source_file,
        source_sheet,
        source_row

    from candidates

),

member_rows as (

    select
        {{ board_id('district_code', 'body', 'term') }} as board_id,
        row_number() over (
            order by
                district_code, body, term, source_file, source_sheet,
                source_row, name
        ) as member_row,
        district_code,
        body,
        term,
        id_key,
        name,
        birth_date,
        role,
        source_file,
        source_sheet,
        source_row

    from board_members

),

pairs_by_id_key as (

    {{ pair_rows_one_to_one(
        'candidate_rows', 'member_rows', ['id_key'], 'id_key'
    ) }}

),

candidates_left_after_id_key as (

    select * from candidate_rows
    where candidate_row not in (select candidate_row from pairs_by_id_key)

),

members_left_after_id_key as (

    select * from member_rows
    where member_row not in (select member_row from pairs_by_id_key)

),

pairs_by_name_and_birth_date as (

    {{ pair_rows_one_to_one(
        'candidates_left_after_id_key', 'members_left_after_id_key',
        ['name', 'birth_date'], 'name_birth_date'
    ) }}

),

candidates_left_after_birth_date as (

    select * from candidates_left_after_id_key
    where
        candidate_row not in (
            select candidate_row from pairs_by_name_and_birth_date
        )

),

members_left_after_birth_date as (

    select * from members_left_after_id_key
    where
        member_row not in (
            select member_row from pairs_by_name_and_birth_date
        )

),

pairs_by_name as (

    {{ pair_rows_one_to_one(
        'candidates_left_after_birth_date', 'members_left_after_birth_date',
        ['name'], 'name'
    ) }}

),

pairs as (

    select * from pairs_by_id_key
    union all
    select * from pairs_by_name_and_birth_date
    union all
    select * from pairs_by_name

),

candidates_with_their_member as (

    select
        candidate_rows.*,
        pairs.member_row,
        pairs.matched_by

    from candidate_rows

    left join pairs
        on candidate_rows.candidate_row = pairs.candidate_row

),

final as (

    select
        coalesce(
            member_rows.board_id, candidates_with_their_member.board_id
        ) as board_id,
        coalesce(
            member_rows.district_code,
            candidates_with_their_member.district_code
        ) as district_code,
        coalesce(member_rows.body, candidates_with_their_member.body) as body,
        coalesce(member_rows.term, candidates_with_their_member.term) as term,
        coalesce(member_rows.name, candidates_with_their_member.name) as name,
        candidates_with_their_member.candidate_row is not null as is_candidate,
        member_rows.member_row is not null as is_member,
        candidates_with_their_member.matched_by,
        candidates_with_their_member.elected,
        candidates_with_their_member.votes,
        candidates_with_their_member.role as candidate_role,
        member_rows.role as member_role,
        candidates_with_their_member.source_file as candidate_source_file,
        candidates_with_their_member.source_sheet as candidate_source_sheet,
        candidates_with_their_member.source_row as candidate_source_row,
        member_rows.source_file as member_source_file,
        member_rows.source_sheet as member_source_sheet,
        member_rows.source_row as member_source_row

    from candidates_with_their_member

    full outer join member_rows
        on candidates_with_their_member.member_row = member_rows.member_row

)

select * from final
