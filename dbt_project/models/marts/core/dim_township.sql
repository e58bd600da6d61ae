with units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

population as (
    select unit_code, year, sum(population) as population
    from {{ ref('stg_reference__population') }}
    group by all
),

latest_population as (
    select unit_code, population, year
    from population
    qualify row_number() over (partition by unit_code order by year desc) = 1
),

geo as (
    select unit_code, geometry from {{ ref('stg_reference__township_geo') }}
),

townships as (
    select
        -- ids
        t.unit_code as township_code,
        left(t.unit_code, 6) as county_code,
        -- names
        t.unit_name as township_name,
        c.unit_name as county_name,
        -- population
        p.population as population,
        p.year as population_year,
        -- boundary (GeoJSON geometry)
        g.geometry
    from units t
    left join units c on c.unit_code = t.parent_code
    left join latest_population p on p.unit_code = t.unit_code
    left join geo g on g.unit_code = t.unit_code
    where t.level = 'township'
)

select * from townships
