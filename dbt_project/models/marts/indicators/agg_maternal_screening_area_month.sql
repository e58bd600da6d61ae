{{ config(**month_incremental_config()) }}
{#- One row per area (county or township) × month: maternal EPDS screenings and the share
    scoring ≥ 13 (possible perinatal depression). -#}
with cells as (
    {{ published_cells(['maternal_screened']) }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {{ cell_columns([('n_screened', 'maternal_screened', ''),
                         ('n_epds_ge13', 'maternal_screened', 'epds_ge13=yes')]) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

final as (
    select
        {{ area_columns() }},
        -- counts (NULL when suppressed)
        c.n_screened,
        c.n_epds_ge13,
        -- shares
        {{ safe_share('c.n_epds_ge13', 'c.n_screened') }} as epds_ge13_share,
        {{ wilson_bound('c.n_epds_ge13', 'c.n_screened', 'lower') }} as epds_ge13_share_lower,
        {{ wilson_bound('c.n_epds_ge13', 'c.n_screened', 'upper') }} as epds_ge13_share_upper,
        -- flags
        c.n_screened_suppressed,
        c.n_epds_ge13_suppressed,
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
