with source as (
    select * from {{ source('ingest', 'raw_file_registry') }}
),

renamed as (
    select
        -- ids
        file_id,
        dataset,
        source as source_name,
        file_name,
        slot,
        period,
        -- counts
        rows_in as n_rows_in,
        rows_loaded as n_rows_loaded,
        rows_quarantined as n_rows_quarantined,
        -- status
        status,
        message,
        ingested_at
    from source
)

select * from renamed
