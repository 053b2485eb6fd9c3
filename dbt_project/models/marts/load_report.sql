-- What the loader read, file by file, for the dashboard and the exports.

with

load_report as (

    select * from {{ ref('stg_load_report') }}

),

final as (

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

    from load_report

)

select * from final
