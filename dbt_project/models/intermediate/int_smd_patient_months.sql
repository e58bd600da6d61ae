{{ config(**month_incremental_config()) }}
{#- One row per registered patient × month on the register (在册): follow-ups in the month and
    in the rolling 12 months ending in the month, the latest follow-up's risk level,
    medication, condition and case management, and the KPI flags of the national 规范
    (see _intermediate.yml for each definition). -#}
with patients as (
    select * from {{ ref('int_smd_patients') }}
),

months as (
    select * from {{ ref('int_months') }}
    where {{ in_rebuild_months('month') }}
),

data_start as (
    select min(date_trunc('month', followup_date))::date as first_data_month
    from {{ ref('stg_health__smd_followup') }}
),

followups as (
    select
        person_pid,
        followup_date,
        date_trunc('month', followup_date)::date as followup_month,
        risk_level,
        medication,
        "condition",
        is_case_managed,
        in_community_rehab,
        family_counselled
    from {{ ref('stg_health__smd_followup') }}
    where date_trunc('month', followup_date)::date >= (select min(window_start_month) from months)
      and date_trunc('month', followup_date)::date <= (select max(month) from months)
),

exited_followups as (
    select distinct f.person_pid, date_trunc('month', f.followup_date)::date as followup_month
    from {{ ref('stg_health__smd_followup') }} as f
    inner join patients as p on p.person_pid = f.person_pid and p.is_exited
),

on_register as (
    select
        p.*,
        m.month,
        m.window_start_month,
        -- months the rolling window really covers: on the register and with follow-up data
        least(
            12,
            date_diff('month', p.registered_month, m.month) + 1,
            date_diff('month', (select first_data_month from data_start), m.month) + 1
        ) as window_months
    from patients as p
    inner join months as m
        on p.registered_month <= m.month
    where not p.is_exited
       or m.month = p.registered_month
       or exists (
           -- an exited patient is 在册 while followed up in the month or the 2 after it
           -- (the 规范 asks for a follow-up at least every 3 months)
           select 1
           from exited_followups as x
           where x.person_pid = p.person_pid
             and x.followup_month between m.month and m.month + interval 2 month
       )
),

window_followups as (
    select
        r.person_pid,
        r.month,
        count(*) as n_followups_12m,
        count(*) filter (where f.followup_month = r.month) as n_followups_month,
        arg_max(f.risk_level, f.followup_date) as risk_level,
        arg_max(f.medication, f.followup_date) as medication,
        arg_max(f."condition", f.followup_date) as "condition",
        arg_max(f.is_case_managed, f.followup_date) as is_case_managed,
        arg_max(f.in_community_rehab, f.followup_date) as in_community_rehab,
        bool_or(f.family_counselled) as family_counselled_12m,
        max(f.followup_date) as last_followup_date,
        arg_max(f.risk_level, f.followup_date) filter (where f.followup_month = r.month) as month_risk_level,
        arg_max(f.medication, f.followup_date) filter (where f.followup_month = r.month) as month_medication,
        arg_max(f."condition", f.followup_date) filter (where f.followup_month = r.month) as month_condition,
        arg_max(f.is_case_managed, f.followup_date) filter (where f.followup_month = r.month) as month_is_case_managed
    from on_register as r
    inner join followups as f
        on f.person_pid = r.person_pid
       and f.followup_month between r.window_start_month and r.month
       and f.followup_date >= r.registered_date
    group by r.person_pid, r.month
),

patient_months as (
    select
        -- ids
        r.person_pid,
        r.month,
        r.county_code,
        r.township_code,
        -- patient
        r.icd10_3,
        r.is_schizophrenia,
        r.is_home_dwelling,
        r.management_status,
        r.registered_month,
        -- follow-up in the month (latest visit of the month)
        coalesce(w.n_followups_month, 0) as n_followups_month,
        w.month_risk_level,
        w.month_medication,
        w.month_condition,
        w.month_is_case_managed,
        -- rolling 12 months ending in the month (latest visit of the window)
        coalesce(w.n_followups_12m, 0) as n_followups_12m,
        r.window_months,
        greatest(1, r.window_months // 3)::integer as n_followups_required,
        w.last_followup_date,
        w.risk_level,
        w.medication,
        w."condition",
        w.is_case_managed,
        w.in_community_rehab,
        w.family_counselled_12m,
        -- KPI flags as 'yes'/'no' dimension values (see _intermediate.yml)
        case when coalesce(w.n_followups_12m, 0) >= 1 then 'yes' else 'no' end as managed,
        case when coalesce(w.n_followups_12m, 0) >= greatest(1, r.window_months // 3)
             then 'yes' else 'no' end as standard_managed,
        case when w.medication in ('regular', 'intermittent') then 'yes' else 'no' end as on_medication,
        case when w.medication = 'regular' then 'yes' else 'no' end as regular_medication,
        case when r.is_schizophrenia then 'yes' else 'no' end as schizophrenia,
        case when w.risk_level >= 3 then 'yes' else 'no' end as risk_ge3,
        case when w."condition" = 'unstable' then 'yes' else 'no' end as unstable,
        case when w.is_case_managed then 'yes' else 'no' end as case_managed,
        case when r.is_home_dwelling then 'yes' else 'no' end as home_dwelling,
        case when w.in_community_rehab then 'yes' else 'no' end as community_rehab,
        case when w.family_counselled_12m then 'yes' else 'no' end as family_counselled,
        -- lineage
        {{ source_watermark() }} as _source_watermark
    from on_register as r
    left join window_followups as w on w.person_pid = r.person_pid and w.month = r.month
)

select * from patient_months
order by month  -- stored in month order (macros/incremental.sql)
