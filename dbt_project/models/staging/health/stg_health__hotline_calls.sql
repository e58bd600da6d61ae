with source as (
    select * from {{ source('health', 'raw_hotline_calls') }}
),

renamed as (
    select
        call_id,
        call_time,
        caller_pid,
        township_code,
        age_band,
        sex,
        call_category,
        is_crisis,
        summary,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
