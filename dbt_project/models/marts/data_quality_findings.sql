-- Data-quality findings on loaded rows, for the dashboard and the exports.
-- The value is blanked for the ID number and birth date columns.

with

findings as (

    select * from {{ ref('stg_findings') }}

),

final as (

    select
        table_name,
        source_file,
        source_sheet,
        source_row,
        column_name,
        case
            when column_name in ('id_number', 'birth_date') then null
            else value
        end as value,
        finding_code,
        message

    from findings

)

select * from final
