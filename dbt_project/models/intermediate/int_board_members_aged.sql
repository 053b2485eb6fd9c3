-- One row per board member, joined to the election of its own board:
-- age in 周岁 on that election day, education flags, person match keys.

with

board_members as (

    select * from {{ ref('stg_board_members') }}

),

elections as (

    select * from {{ ref('stg_elections') }}

),

members_at_election as (

    select
        board_members.district_code,
        board_members.body,
        board_members.term,
        elections.election_date,
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
        board_members.source_row

    from board_members

    inner join elections
        on
            board_members.district_code = elections.district_code
            and board_members.body = elections.body
            and board_members.term = elections.term

),

aged as (

    select
        {{ board_id('district_code', 'body', 'term') }} as board_id,
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
        source_row

    from members_at_election

)

select * from aged
