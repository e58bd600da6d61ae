{#- One row per publication area: each county and each of its townships. -#}
with units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

townships as (
    select * from {{ ref('int_townships') }}
),

counties as (
    select distinct
        t.county_code,
        coalesce(c.unit_name, t.county_code) as county_name
    from townships as t
    left join units as c on left(c.unit_code, 6) = t.county_code and c.level = 'county'
),

areas as (
    select
        -- ids
        'county' as area_level,
        county_code as area_code,
        county_code,
        null::varchar as township_code,
        -- names
        county_name as area_name,
        county_name
    from counties
    union all
    select
        'township',
        t.township_code,
        t.county_code,
        t.township_code,
        t.township_name,
        c.county_name
    from townships as t
    inner join counties as c using (county_code)
)

select * from areas
