with

source as (

    select * from {{ source('raw', 'districts') }}

),

renamed as (

    select
        district_code,
        district_name,
        subdistrict,
        city_district,
        source_file,
        source_sheet,
        source_row

    from source

)

select * from renamed
