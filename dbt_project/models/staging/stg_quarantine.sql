with

source as (

    select * from {{ source('raw', 'quarantine') }}

),

renamed as (

    select
        table_name,
        source_file,
        source_sheet,
        source_row,
        reason_code,
        reason,
        -- raw cells, may hold ID numbers: not passed on to the marts
        original_values

    from source

)

select * from renamed
