{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
{#- One row per area (county or township) × screening month × school level × left-behind
    group ('all' rows are the margins): students screened and the shares with PHQ-9 ≥ 10 and
    GAD-7 ≥ 10. -#}
with cells as (
    {{ published_cells(['students_screened']) }}
),

parsed as (
    select
        *,
        coalesce(regexp_extract(breakdown, 'school_level=([a-z]+)', 1), '') as school_level_raw,
        coalesce(regexp_extract(breakdown, 'left_behind=([a-z]+)', 1), '') as left_behind_raw,
        case
            when breakdown like '%phq9_ge10=yes%' then 'phq9_ge10=yes'
            when breakdown like '%gad7_ge10=yes%' then 'gad7_ge10=yes'
            when breakdown not like '%_ge10=%' then ''
        end as outcome
    from cells
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        case when school_level_raw = '' then 'all' else school_level_raw end as school_level,
        case when left_behind_raw = '' then 'all' else left_behind_raw end as left_behind,
        max(case when outcome = '' and not is_suppressed then value end) as n_screened,
        coalesce(bool_or(is_suppressed) filter (where outcome = ''), false) as n_screened_suppressed,
        max(case when outcome = 'phq9_ge10=yes' and not is_suppressed then value end) as n_phq9_ge10,
        coalesce(bool_or(is_suppressed) filter (where outcome = 'phq9_ge10=yes'), false) as n_phq9_ge10_suppressed,
        max(case when outcome = 'gad7_ge10=yes' and not is_suppressed then value end) as n_gad7_ge10,
        coalesce(bool_or(is_suppressed) filter (where outcome = 'gad7_ge10=yes'), false) as n_gad7_ge10_suppressed,
        max(_source_watermark) as _source_watermark
    from parsed
    group by all
),

final as (
    select
        {{ area_columns() }},
        c.school_level,
        c.left_behind,
        -- counts (NULL when suppressed)
        c.n_screened,
        c.n_phq9_ge10,
        c.n_gad7_ge10,
        -- shares
        {{ safe_share('c.n_phq9_ge10', 'c.n_screened') }} as phq9_ge10_share,
        {{ wilson_bound('c.n_phq9_ge10', 'c.n_screened', 'lower') }} as phq9_ge10_share_lower,
        {{ wilson_bound('c.n_phq9_ge10', 'c.n_screened', 'upper') }} as phq9_ge10_share_upper,
        {{ safe_share('c.n_gad7_ge10', 'c.n_screened') }} as gad7_ge10_share,
        {{ wilson_bound('c.n_gad7_ge10', 'c.n_screened', 'lower') }} as gad7_ge10_share_lower,
        {{ wilson_bound('c.n_gad7_ge10', 'c.n_screened', 'upper') }} as gad7_ge10_share_upper,
        -- flags
        c.n_screened_suppressed,
        c.n_phq9_ge10_suppressed,
        c.n_gad7_ge10_suppressed,
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
