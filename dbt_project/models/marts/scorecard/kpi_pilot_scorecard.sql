{#- One row per area (county or township) × month × pilot KPI (DESIGN.md "Pilot KPI targets"):
    actual value, target, met / not met, numerator and denominator, and a note when the
    actual cannot be shown. -#}
with capacity as (
    select * from {{ ref('int_service_capacity_months') }}
),

schools as (
    select * from {{ ref('stg_schools__schools') }}
),

smd as (
    select * from {{ ref('kpi_smd_management_area_month') }}
),

areas as (
    select * from {{ ref('int_areas') }}
),

population as (
    select * from {{ ref('int_area_month_population') }}
),

capacity_by_area as (
    select
        month,
        county_code,
        township_code,
        count(*) filter (where report_month is not null) as n_villages_reporting,
        count(*) filter (where has_studio) as n_villages_studio,
        count(*) filter (where has_rehab_coverage) as n_villages_rehab,
        sum(n_counselors + n_social_workers) as n_professionals,
        sum(n_awareness_surveyed) as n_awareness_surveyed,
        sum(n_awareness_correct) as n_awareness_correct
    from capacity
    group by grouping sets ((month, county_code, township_code), (month, county_code))
),

schools_by_area as (
    select
        left(township_code, 6) as county_code,
        township_code,
        count(*) as n_schools,
        count(*) filter (where has_counselling_room and counsellor_fte > 0) as n_schools_equipped
    from schools
    where level in ('primary', 'junior', 'senior', 'vocational')
    group by grouping sets ((left(township_code, 6), township_code), (left(township_code, 6)))
),

frame as (
    select
        a.area_level,
        a.area_code,
        a.county_code,
        a.township_code,
        a.area_name,
        c.month,
        c.n_villages_reporting,
        c.n_villages_studio,
        c.n_villages_rehab,
        c.n_professionals,
        c.n_awareness_surveyed,
        c.n_awareness_correct,
        s.n_schools,
        s.n_schools_equipped,
        p.population,
        k.n_registered,
        k.n_standard_managed,
        k.n_on_medication,
        k.n_schizophrenia,
        k.n_schizophrenia_on_medication,
        k.n_unstable,
        k.n_unstable_case_managed,
        k.n_home_dwelling,
        k.n_home_community_rehab,
        k.n_home_family_counselled
    from capacity_by_area as c
    inner join areas as a
        on a.county_code = c.county_code and a.township_code is not distinct from c.township_code
    left join schools_by_area as s
        on s.county_code = c.county_code and s.township_code is not distinct from c.township_code
    left join population as p
        on p.county_code = c.county_code and p.township_code is not distinct from c.township_code
       and p.month = c.month
    left join smd as k
        on k.county_code = c.county_code and k.township_code is not distinct from c.township_code
       and k.month = c.month
),

{#- (code, name, numerator, denominator, multiplier, target, source note) -#}
{%- set kpis = [
    ('studio_village_share', '建有心理服务工作室的村（社区）比例', 'n_villages_studio', 'n_villages_reporting', 1, 0.8, 'service_capacity: latest report on or before the month'),
    ('school_counselling_share', '设心理辅导室并配备心理教师的中小学比例', 'n_schools_equipped', 'n_schools', 1, 1.0, 'schools roster: counselling room and counsellor FTE > 0'),
    ('rehab_coverage_share', '精神康复服务覆盖的村（社区）比例', 'n_villages_rehab', 'n_villages_reporting', 1, 0.5, 'service_capacity: has_rehab_coverage'),
    ('home_patients_community_rehab', '居家患者参加社区康复比例', 'n_home_community_rehab', 'n_home_dwelling', 1, 0.6, 'SMD follow-up: latest visit in 12 months'),
    ('standard_management_rate', '在册患者规范管理率', 'n_standard_managed', 'n_registered', 1, 0.8, 'kpi_smd_management_area_month'),
    ('treatment_rate', '在册患者治疗率（服药率）', 'n_on_medication', 'n_registered', 1, 0.8, 'treatment measured as taking medication (服药率)'),
    ('schizophrenia_treatment_rate', '精神分裂症治疗率（服药率）', 'n_schizophrenia_on_medication', 'n_schizophrenia', 1, 0.8, 'treatment measured as taking medication (服药率)'),
    ('unstable_case_managed_share', '病情不稳定患者纳入个案管理比例', 'n_unstable_case_managed', 'n_unstable', 1, 1.0, 'kpi_smd_management_area_month'),
    ('professionals_per_100k', '每10万人口心理服务专业人员数', 'n_professionals', 'population', 100000, 15, 'counsellors + social workers (service_capacity) per 常住人口'),
    ('awareness_rate', '心理健康核心知识知晓率', 'n_awareness_correct', 'n_awareness_surveyed', 1, 0.5, 'service_capacity survey: correct / surveyed'),
    ('family_counselled_share', '居家患者及家属接受心理支持比例', 'n_home_family_counselled', 'n_home_dwelling', 1, 0.5, 'SMD follow-up: family support in 12 months'),
] %}

long as (
    {%- for code, name, num, den, mult, target, note in kpis %}
    select
        month, area_level, area_code, county_code, township_code, area_name,
        '{{ code }}' as kpi_code,
        '{{ name }}' as kpi_name,
        {{ loop.index }} as kpi_order,
        {{ num }}::bigint as n_numerator,
        {{ den }}::bigint as n_denominator,
        case when {{ den }} > 0 then {{ num }}::double * {{ mult }} / {{ den }} end as actual,
        {{ target }}::double as target,
        case
            when {{ den }} is null or {{ num }} is null then 'not shown: count suppressed (small cell) or no data'
            when {{ den }} = 0 then 'not computable: no records in the denominator'
            else '{{ note }}'
        end as note
    from frame
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        -- ids
        month,
        area_level,
        area_code,
        county_code,
        township_code,
        kpi_code,
        -- names
        area_name,
        kpi_name,
        kpi_order,
        -- counts
        n_numerator,
        n_denominator,
        -- values
        actual,
        target,
        -- flags
        case when actual is not null then actual >= target - 1e-9 end as is_met,
        -- explanation
        note
    from long
)

select * from final
