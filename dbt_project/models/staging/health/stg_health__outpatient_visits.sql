with source as (
    select * from {{ source('health', 'raw_outpatient_visits') }}
),

renamed as (
    select
        visit_id,
        person_pid,
        visit_date,
        facility,
        department,
        township_code,
        icd10,
        age_band,
        sex,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
