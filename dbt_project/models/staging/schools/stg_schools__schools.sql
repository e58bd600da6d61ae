with source as (
    select * from {{ source('schools', 'raw_schools') }}
),

renamed as (
    select
        school_id,
        school_name,
        township_code,
        level,
        enrolment,
        has_counselling_room,
        counsellor_fte,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
