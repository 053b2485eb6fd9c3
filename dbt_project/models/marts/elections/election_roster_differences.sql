-- Member level: one row per person who is on only one side of an election:
-- on the board but never a candidate (`board_only`), or elected but not on
-- the board (`elected_only`). Only elections with both candidate rows and
-- member rows are compared. Names only; no ID number, no birth date.

with

people as (

    select * from {{ ref('int_elections_candidates_matched_to_members') }}

),

elections as (

    select * from {{ ref('int_elections_summarised') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

one_sided as (

    select
        elections.board_id,
        people.district_code,
        people.body,
        people.term,
        people.name,
        case
            when people.is_member then 'board_only'
            else 'elected_only'
        end as side,
        case
            when people.is_member then people.member_role
            else people.candidate_role
        end as role,
        people.votes,
        case
            when people.is_member then people.member_source_file
            else people.candidate_source_file
        end as source_file,
        case
            when people.is_member then people.member_source_sheet
            else people.candidate_source_sheet
        end as source_sheet,
        case
            when people.is_member then people.member_source_row
            else people.candidate_source_row
        end as source_row

    from people

    inner join elections
        on
            people.district_code = elections.district_code
            and people.body = elections.body
            and people.term = elections.term

    where
        -- compared only when the election has both lists
        elections.members_not_candidates is not null
        and (
            (people.is_member and not people.is_candidate)
            or (people.is_candidate and people.elected and not people.is_member)
        )

),

final as (

    select
        {{ dbt.concat([
            "one_sided.side", "'|'", "one_sided.source_file", "'|'",
            "coalesce(one_sided.source_sheet, '')", "'|'",
            dbt.cast("one_sided.source_row", dbt.type_string())
        ]) }} as difference_id,
        one_sided.board_id,
        one_sided.district_code,
        districts.district_name,
        districts.subdistrict,
        one_sided.body,
        one_sided.term,
        one_sided.name,
        one_sided.side,
        one_sided.role,
        one_sided.votes,
        one_sided.source_file,
        one_sided.source_sheet,
        one_sided.source_row

    from one_sided

    left join districts
        on one_sided.district_code = districts.district_code

)

select * from final
