{{ config(**month_incremental_config()) }}
{#- One row per township × month: counts of petitions (信访/12345) and police incidents (警情),
    read from the same suppressed cells as the indicator marts (so shared margins stay
    consistent), with the township's population. -#}
with cells as (
    {{ published_cells(['petitions', 'incidents'], "area_level = 'township' and breakdown = ''") }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {{ cell_columns([('n_petitions', 'petitions', ''), ('n_incidents', 'incidents', '')]) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

published as (
    select
        -- ids
        c.township_code,
        t.township_name,
        c.month,
        -- counts (suppressed)
        c.n_petitions,
        c.n_incidents,
        -- flags
        c.n_petitions_suppressed,
        c.n_incidents_suppressed,
        -- denominators
        p.population,
        -- lineage
        c._source_watermark
    from pivoted as c
    inner join {{ ref('int_townships') }} as t on t.township_code = c.township_code
    left join {{ ref('int_area_month_population') }} as p
        on p.township_code = c.township_code and p.month = c.month
)

select * from published
