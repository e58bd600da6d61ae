{#- Township × month counts of petitions and police incidents, small cells suppressed. -#}
with townships as (
    select unit_code as township_code, unit_name as township_name
    from {{ ref('stg_reference__admin_units') }}
    where level = 'township'
),

petitions as (
    select township_code, date_trunc('month', received_date)::date as month, count(*) as n
    from {{ ref('stg_petitions__petitions') }}
    group by all
),

incidents as (
    select township_code, date_trunc('month', reported_at)::date as month, count(*) as n
    from {{ ref('stg_public_security__incidents') }}
    group by all
),

months as (
    select distinct month from petitions
    union
    select distinct month from incidents
),

population as (
    select unit_code as township_code, year, sum(population) as population
    from {{ ref('stg_reference__population') }}
    group by all
),

spine as (
    select t.township_code, t.township_name, m.month
    from townships t cross join months m
),

counts as (
    select
        s.township_code,
        s.township_name,
        s.month,
        coalesce(p.n, 0) as n_petitions_raw,
        coalesce(i.n, 0) as n_incidents_raw,
        pop.population
    from spine s
    left join petitions p using (township_code, month)
    left join incidents i using (township_code, month)
    left join population pop
        on pop.township_code = s.township_code and pop.year = year(s.month)
),

published as (
    select
        -- ids
        township_code,
        township_name,
        month,
        -- counts (suppressed)
        {{ suppress('n_petitions_raw') }} as n_petitions,
        {{ suppress('n_incidents_raw') }} as n_incidents,
        -- flags
        {{ is_small_cell('n_petitions_raw') }} as n_petitions_suppressed,
        {{ is_small_cell('n_incidents_raw') }} as n_incidents_suppressed,
        -- denominators
        population
    from counts
)

select * from published
