{{ config(**month_incremental_config()) }}
{#- One row per area (county or township) × month: police incidents (警情) of social-mentality
    relevance by type, including self-harm/suicide (自伤自杀). -#}
{%- set types = ['family_dispute', 'neighbour_dispute', 'romantic_dispute', 'labour_dispute', 'land_dispute',
                 'other_dispute', 'domestic_violence', 'self_harm', 'smd_incident', 'mass_incident'] %}
with cells as (
    {{ published_cells(['incidents']) }}
),

pivoted as (
    select
        month,
        county_code,
        township_code,
        {%- set cols = [('n_incidents', 'incidents', '')] %}
        {%- for t in types %}{% do cols.append(('n_' ~ t, 'incidents', 'incident_type=' ~ t)) %}{% endfor %}
        {{ cell_columns(cols) }},
        max(_source_watermark) as _source_watermark
    from cells
    group by month, county_code, township_code
),

final as (
    select
        {{ area_columns() }},
        -- counts (NULL when suppressed)
        c.n_incidents,
        {%- for t in types %}
        c.n_{{ t }},
        {%- endfor %}
        -- rates
        {{ safe_rate('c.n_incidents', 'p.population') }} as incidents_per_10k,
        {{ poisson_rate_bound('c.n_incidents', 'p.population', side='lower') }} as incidents_per_10k_lower,
        {{ poisson_rate_bound('c.n_incidents', 'p.population', side='upper') }} as incidents_per_10k_upper,
        {{ safe_rate('c.n_self_harm', 'p.population', 100000) }} as self_harm_per_100k,
        -- flags
        c.n_incidents_suppressed,
        {%- for t in types %}
        c.n_{{ t }}_suppressed,
        {%- endfor %}
        -- lineage
        c._source_watermark
    from pivoted as c
    {{ area_joins() }}
)

select * from final
