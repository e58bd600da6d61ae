{{ config(**month_incremental_config()) }}
{#- One row per area (county or township) × month: 严重精神障碍 management KPIs over the rolling
    12 months ending in the month (formulas in _smd.yml). -#}
{%- set cols = [
    ('n_registered', ''),
    ('n_managed', 'managed=yes'),
    ('n_standard_managed', 'standard_managed=yes'),
    ('n_on_medication', 'on_medication=yes'),
    ('n_regular_medication', 'regular_medication=yes'),
    ('n_schizophrenia', 'schizophrenia=yes'),
    ('n_schizophrenia_on_medication', 'on_medication=yes;schizophrenia=yes'),
    ('n_risk_ge3', 'managed=yes;risk_ge3=yes'),
    ('n_unstable', 'managed=yes;unstable=yes'),
    ('n_unstable_case_managed', 'case_managed=yes;managed=yes;unstable=yes'),
    ('n_home_dwelling', 'home_dwelling=yes'),
    ('n_home_community_rehab', 'community_rehab=yes;home_dwelling=yes'),
    ('n_home_family_counselled', 'family_counselled=yes;home_dwelling=yes'),
] %}
with cells as (
    {{ published_cells(['smd_registered']) }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {%- set wide = [] %}
        {%- for name, b in cols %}{% do wide.append((name, 'smd_registered', b)) %}{% endfor %}
        {{ cell_columns(wide) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

final as (
    select
        {{ area_columns() }},
        -- counts (NULL when suppressed)
        {%- for name, b in cols %}
        c.{{ name }},
        {%- endfor %}
        -- KPIs
        case when p.population > 0 then c.n_registered::double * 1000 / p.population end
            as reported_prevalence_per_mille,
        {{ safe_share('c.n_managed', 'c.n_registered') }} as management_rate,
        {{ safe_share('c.n_standard_managed', 'c.n_registered') }} as standard_management_rate,
        {{ wilson_bound('c.n_standard_managed', 'c.n_registered', 'lower') }} as standard_management_rate_lower,
        {{ wilson_bound('c.n_standard_managed', 'c.n_registered', 'upper') }} as standard_management_rate_upper,
        {{ safe_share('c.n_on_medication', 'c.n_registered') }} as medication_rate,
        {{ safe_share('c.n_regular_medication', 'c.n_registered') }} as regular_medication_rate,
        {{ safe_share('c.n_schizophrenia_on_medication', 'c.n_schizophrenia') }} as schizophrenia_medication_rate,
        {{ safe_share('c.n_risk_ge3', 'c.n_managed') }} as risk_ge3_share,
        {{ safe_share('c.n_unstable_case_managed', 'c.n_unstable') }} as unstable_case_managed_share,
        {{ safe_share('c.n_home_community_rehab', 'c.n_home_dwelling') }} as community_rehab_share,
        {{ safe_share('c.n_home_family_counselled', 'c.n_home_dwelling') }} as family_counselled_share,
        -- flags
        {%- for name, b in cols %}
        c.{{ name }}_suppressed,
        {%- endfor %}
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
