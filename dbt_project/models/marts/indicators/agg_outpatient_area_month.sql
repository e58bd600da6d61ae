{{ config(**month_incremental_config()) }}
{#- One row per area (county or township of residence) × month: psychiatric and psychological
    outpatient visits by ICD-10 group (F20–F29, F30–F39, F40–F48, other). -#}
with cells as (
    {{ published_cells(['visits']) }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {{ cell_columns([
            ('n_visits', 'visits', ''),
            ('n_visits_f20_f29', 'visits', 'icd_group=f20_f29'),
            ('n_visits_f30_f39', 'visits', 'icd_group=f30_f39'),
            ('n_visits_f40_f48', 'visits', 'icd_group=f40_f48'),
            ('n_visits_other', 'visits', 'icd_group=other'),
        ]) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

final as (
    select
        {{ area_columns() }},
        -- counts (NULL when suppressed)
        c.n_visits,
        c.n_visits_f20_f29,
        c.n_visits_f30_f39,
        c.n_visits_f40_f48,
        c.n_visits_other,
        -- rates
        {{ safe_rate('c.n_visits', 'p.population') }} as visits_per_10k,
        {{ poisson_rate_bound('c.n_visits', 'p.population', side='lower') }} as visits_per_10k_lower,
        {{ poisson_rate_bound('c.n_visits', 'p.population', side='upper') }} as visits_per_10k_upper,
        -- flags
        c.n_visits_suppressed,
        c.n_visits_f20_f29_suppressed,
        c.n_visits_f30_f39_suppressed,
        c.n_visits_f40_f48_suppressed,
        c.n_visits_other_suppressed,
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
