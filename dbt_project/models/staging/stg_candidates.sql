with

source as (

    select * from {{ source('raw', 'candidates') }}

),

renamed as (

    select
        district_code,
        body,
        cast(term as integer) as term,
        -- keyed hash of the ID number, made by the loader; the ID itself is never stored
        id_key,
        name,
        gender,
        cast(birth_date as date) as birth_date,
        birth_date_source,
        education_level,
        education_fulltime_level,
        political_status,
        is_party_member,
        role,
        role_code,
        votes,
        elected,
        source_file,
        source_sheet,
        source_row

    from source

)

select * from renamed
