{#- One row per area (township, or county when township_code is NULL) × month: the 常住人口
    denominator, from the population table's year of the month, else the nearest year. -#}
with population as (
    select * from {{ ref('stg_reference__population') }}
),

townships as (
    select * from {{ ref('int_townships') }}
),

by_year as (
    select t.county_code, t.township_code, p.year, sum(p.population) as population
    from population as p
    inner join townships as t on t.township_code = p.unit_code
    group by grouping sets ((t.county_code, t.township_code, p.year), (t.county_code, p.year))
),

months as (
    select * from {{ ref('int_months') }}
),

nearest as (
    select
        -- ids
        b.county_code,
        b.township_code,
        m.month,
        -- denominator
        b.year as population_year,
        b.population
    from months as m
    inner join by_year as b on true
    qualify row_number() over (
        partition by b.county_code, b.township_code, m.month
        order by abs(b.year - m.year), b.year desc
    ) = 1
)

select
    *,
    case when township_code is null then 'county' else 'township' end as area_level,
    coalesce(township_code, county_code) as area_code
from nearest
