with source as (
    select * from {{ source('schools', 'raw_student_screening') }}
),

renamed as (
    select
        person_pid,
        school_id,
        grade,
        sex,
        screening_date,
        phq9,
        gad7,
        is_left_behind,
        is_migrant,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
