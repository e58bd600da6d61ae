with source as (
    select * from {{ source('public_security', 'raw_incidents') }}
),

renamed as (
    select
        incident_no,
        reported_at,
        township_code,
        incident_type,
        person_pids,
        severity,
        narrative,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
