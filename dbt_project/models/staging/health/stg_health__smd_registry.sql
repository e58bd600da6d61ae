with source as (
    select * from {{ source('health', 'raw_smd_registry') }}
),

renamed as (
    select
        person_pid,
        sex,
        age_band,
        village_code,
        icd10,
        registered_date,
        management_status,
        is_home_dwelling,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
