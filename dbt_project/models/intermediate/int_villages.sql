{#- One row per village/community (村/社区) with its township and county. -#}
with units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

villages as (
    select
        -- ids
        v.unit_code as village_code,
        t.unit_code as township_code,
        left(t.unit_code, 6) as county_code,
        -- names
        v.unit_name as village_name
    from units as v
    inner join units as t on t.unit_code = v.parent_code and t.level = 'township'
    where v.level = 'village'
)

select * from villages
