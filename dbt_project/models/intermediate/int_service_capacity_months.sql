{#- One row per village × month: the latest 心理服务能力 report (quarterly) on or before the
    month, carried forward until the next report. -#}
with capacity as (
    select * from {{ ref('stg_reference__service_capacity') }}
),

villages as (
    select * from {{ ref('int_villages') }}
),

months as (
    select * from {{ ref('int_months') }}
),

latest as (
    select
        -- ids
        v.village_code,
        v.township_code,
        v.county_code,
        m.month,
        -- report
        c.period_month as report_month,
        c.has_studio,
        c.has_rehab_coverage,
        c.n_counselors,
        c.n_social_workers,
        c.awareness_surveyed as n_awareness_surveyed,
        c.awareness_correct as n_awareness_correct
    from villages as v
    cross join months as m
    left join capacity as c
        on c.unit_code = v.village_code and c.period_month <= m.month
    qualify row_number() over (partition by v.village_code, m.month order by c.period_month desc nulls last) = 1
)

select * from latest
