-- Rows the loader refused, for the dashboard and the exports. The original
-- cell values stay in staging: they may hold ID numbers and birth dates.

with

quarantine as (

    select * from {{ ref('stg_quarantine') }}

),

final as (

    select
        table_name,
        source_file,
        source_sheet,
        source_row,
        reason_code,
        reason

    from quarantine

)

select * from final
