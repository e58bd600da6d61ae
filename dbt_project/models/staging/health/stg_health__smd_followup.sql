with source as (
    select * from {{ source('health', 'raw_smd_followup') }}
),

renamed as (
    select
        person_pid,
        followup_date,
        followup_mode,
        risk_level,
        medication,
        "condition",
        is_case_managed,
        in_community_rehab,
        family_counselled,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
