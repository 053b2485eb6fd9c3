with

source as (

    select * from {{ source('raw', 'load_report') }}

),

renamed as (

    select
        table_name,
        source_file,
        source_sheet,
        file_format,
        encoding,
        rows_read,
        rows_loaded,
        rows_quarantined,
        ignored_columns

    from source

)

select * from renamed
