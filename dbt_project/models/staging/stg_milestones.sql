with

source as (

    select * from {{ source('raw', 'milestones') }}

),

renamed as (

    select
        district_code,
        body,
        cast(term as integer) as term,
        stage,
        cast(stage_order as integer) as stage_order,
        cast(planned_date as date) as planned_date,
        cast(actual_date as date) as actual_date,
        source_file,
        source_sheet,
        source_row

    from source

)

select * from renamed
