with

source as (

    select * from {{ source('raw', 'elections') }}

),

renamed as (

    select
        district_code,
        body,
        cast(term as integer) as term,
        cast(election_date as date) as election_date,
        seats,
        registered_voters,
        ballots_cast,
        source_file,
        source_sheet,
        source_row

    from source

)

select * from renamed
