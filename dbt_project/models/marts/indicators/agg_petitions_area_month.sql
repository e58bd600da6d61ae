{{ config(**month_incremental_config()) }}
{#- One row per area (county or township) × month: petitions (信访事项 and 12345 工单) by
    channel, collective petitions (集体访) and the persons they involved, repeat petitions. -#}
with cells as (
    {{ published_cells(['petitions', 'collective_persons']) }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {{ cell_columns([
            ('n_petitions', 'petitions', ''),
            ('n_petitions_letter', 'petitions', 'channel=letter'),
            ('n_petitions_visit', 'petitions', 'channel=visit'),
            ('n_petitions_online', 'petitions', 'channel=online'),
            ('n_petitions_12345', 'petitions', 'channel=hotline12345'),
            ('n_collective_petitions', 'petitions', 'collective=yes'),
            ('n_collective_persons', 'collective_persons', ''),
            ('n_repeat_petitions', 'petitions', 'repeat=yes'),
        ]) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

final as (
    select
        {{ area_columns() }},
        -- counts (NULL when suppressed)
        c.n_petitions,
        c.n_petitions_letter,
        c.n_petitions_visit,
        c.n_petitions_online,
        c.n_petitions_12345,
        c.n_collective_petitions,
        c.n_collective_persons,
        c.n_repeat_petitions,
        -- rates
        {{ safe_rate('c.n_petitions', 'p.population') }} as petitions_per_10k,
        {{ poisson_rate_bound('c.n_petitions', 'p.population', side='lower') }} as petitions_per_10k_lower,
        {{ poisson_rate_bound('c.n_petitions', 'p.population', side='upper') }} as petitions_per_10k_upper,
        {{ safe_share('c.n_repeat_petitions', 'c.n_petitions') }} as repeat_share,
        -- flags
        c.n_petitions_suppressed,
        c.n_petitions_letter_suppressed,
        c.n_petitions_visit_suppressed,
        c.n_petitions_online_suppressed,
        c.n_petitions_12345_suppressed,
        c.n_collective_petitions_suppressed,
        c.n_collective_persons_suppressed,
        c.n_repeat_petitions_suppressed,
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
