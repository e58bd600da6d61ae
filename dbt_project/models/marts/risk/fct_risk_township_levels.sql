{#- One row per township × month: the composite risk index, its level (蓝/黄/橙/红), the
    contribution of every domain (they add up to the index) and a plain-Chinese reason.
    Weights and thresholds: models/risk/config/risk.yaml. -#}
{%- set domains = ['disputes', 'petitions', 'self_harm', 'hotline', 'mental_health_service',
                   'screening', 'smd_control', 'negative_emotion'] %}
with levels as (
    select * from {{ source('risk', 'risk_township_levels') }}
),

protected_groups as (
    {{ risk_protected_groups(source('risk', 'risk_indicators')) }}
),

-- a reason quotes sums over up to 3 months of several indicators: its counts are withheld
-- when any indicator × county group of those months is protected
protected_county_months as (
    select c.county_code, c.month
    from (select distinct county_code, month from protected_groups) as c
    where exists (
        select 1 from protected_groups as g
        where g.county_code = c.county_code and g.is_protected
          and g.month > c.month - interval 3 month and g.month <= c.month
    )
),

final as (
    select
        -- ids
        county_code,
        township_code,
        month::date as month,
        -- level
        risk_index,
        level as risk_level,
        level_code as risk_level_code,
        -- contributions (points)
        {%- for d in domains %}
        contrib_{{ d }},
        {%- endfor %}
        -- explanation (counts withheld where a cited window holds a small cell)
        case when exists (
            select 1 from protected_county_months as p
            where p.county_code = levels.county_code and p.month = levels.month::date
        ) then {{ counts_withheld('reason') }} else reason end as reason,
        -- flags
        abs(risk_index - ({% for d in domains %}contrib_{{ d }}{% if not loop.last %} + {% endif %}{% endfor %})) < 1e-9
            as is_index_consistent
    from levels
)

select * from final
