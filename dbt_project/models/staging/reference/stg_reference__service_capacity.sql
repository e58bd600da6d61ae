with source as (
    select * from {{ source('reference', 'raw_service_capacity') }}
),

renamed as (
    select
        unit_code,
        period_month,
        has_studio,
        n_counselors,
        n_social_workers,
        has_rehab_coverage,
        awareness_surveyed,
        awareness_correct,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
