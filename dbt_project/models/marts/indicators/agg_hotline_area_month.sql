{{ config(**month_incremental_config()) }}
{#- One row per area (county or township) × month: 心理援助热线 calls and crisis calls. County
    rows include calls whose township is unknown (not shown at township level). -#}
with cells as (
    {{ published_cells(['calls']) }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {{ cell_columns([('n_calls', 'calls', ''), ('n_crisis_calls', 'calls', 'crisis=yes')]) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

final as (
    select
        {{ area_columns() }},
        -- counts (NULL when suppressed)
        c.n_calls,
        c.n_crisis_calls,
        -- rates
        {{ safe_rate('c.n_calls', 'p.population') }} as calls_per_10k,
        {{ poisson_rate_bound('c.n_calls', 'p.population', side='lower') }} as calls_per_10k_lower,
        {{ poisson_rate_bound('c.n_calls', 'p.population', side='upper') }} as calls_per_10k_upper,
        {{ safe_share('c.n_crisis_calls', 'c.n_calls') }} as crisis_share,
        {{ wilson_bound('c.n_crisis_calls', 'c.n_calls', 'lower') }} as crisis_share_lower,
        {{ wilson_bound('c.n_crisis_calls', 'c.n_calls', 'upper') }} as crisis_share_upper,
        -- flags
        c.n_calls_suppressed,
        c.n_crisis_calls_suppressed,
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
