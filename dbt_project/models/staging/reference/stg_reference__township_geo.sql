with source as (
    select * from {{ source('reference', 'raw_township_geo') }}
),

renamed as (
    select
        unit_code,
        unit_name,
        geometry,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
