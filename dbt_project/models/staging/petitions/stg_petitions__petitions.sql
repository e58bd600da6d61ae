with source as (
    select * from {{ source('petitions', 'raw_petitions') }}
),

renamed as (
    select
        case_no,
        received_date,
        channel,
        township_code,
        petitioner_pid,
        is_collective,
        group_size,
        is_repeat,
        content,
        status,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
