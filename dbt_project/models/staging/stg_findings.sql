with

source as (

    select * from {{ source('raw', 'findings') }}

),

renamed as (

    select
        table_name,
        source_file,
        source_sheet,
        source_row,
        column_name,
        value,
        finding_code,
        message

    from source

)

select * from renamed
