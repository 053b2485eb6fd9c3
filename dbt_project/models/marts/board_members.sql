-- One row per board member: who sits on which board, age (周岁 on the
-- election day) and continuing (连任) or not. Names only; no ID number, no
-- birth date.

with

members as (

    select * from {{ ref('int_board_members_matched_to_previous') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

final as (

    select
        members.board_id,
        members.district_code,
        districts.district_name,
        districts.subdistrict,
        members.body,
        members.term,
        members.name,
        members.gender,
        members.age,
        members.education_level,
        case members.education_level
            when 1 then '初中及以下'
            when 2 then '高中/中专'
            when 3 then '大专'
            when 4 then '本科'
            when 5 then '硕士'
            when 6 then '博士'
        end as education_label,
        members.is_party_member,
        members.role,
        members.role_code,
        members.is_continuing

    from members

    left join districts
        on members.district_code = districts.district_code

)

select * from final
