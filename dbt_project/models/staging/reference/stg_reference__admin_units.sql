with source as (
    select * from {{ source('reference', 'raw_admin_units') }}
),

renamed as (
    select
        unit_code,
        unit_name,
        level,
        parent_code,
        urban_rural_code,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
