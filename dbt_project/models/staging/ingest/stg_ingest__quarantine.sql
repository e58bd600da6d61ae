with source as (
    select * from {{ source('ingest', 'raw_quarantine') }}
),

renamed as (
    select
        -- ids
        file_id,
        dataset,
        file_name,
        row_number,
        -- reason
        field,
        reason
        -- raw_json is left out on purpose: it may hold the rejected row's identifiers
    from source
)

select * from renamed
