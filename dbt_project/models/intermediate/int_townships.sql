{#- One row per township with its county (6-digit code), the spine of every area cell. -#}
with units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

townships as (
    select
        -- ids
        unit_code as township_code,
        left(unit_code, 6) as county_code,
        -- names
        unit_name as township_name
    from units
    where level = 'township'
)

select * from townships
