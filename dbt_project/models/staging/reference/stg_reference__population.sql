with source as (
    select * from {{ source('reference', 'raw_population') }}
),

renamed as (
    select
        unit_code,
        year,
        sex,
        age_band,
        population,
        -- lineage
        _file_id,
        _row_number
    from source
)

select * from renamed
