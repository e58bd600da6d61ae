with source as (
    select * from {{ source('health', 'raw_maternal_screening') }}
),

renamed as (
    select
        screening_id,
        screening_date,
        township_code,
        age_band,
        stage,
        epds_score,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
