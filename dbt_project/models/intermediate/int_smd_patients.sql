{#- One row per patient on the 严重精神障碍 register: township, diagnosis group and the months
    the patient counts as 在册 (from the month of registration; patients who died or moved
    out leave the register after the month of their last follow-up, or at registration when
    never followed up — the register extract is a snapshot without an exit date). -#}
with registry as (
    select * from {{ ref('stg_health__smd_registry') }}
),

villages as (
    select * from {{ ref('int_villages') }}
),

followups as (
    select
        person_pid,
        min(date_trunc('month', followup_date))::date as first_followup_month,
        max(date_trunc('month', followup_date))::date as last_followup_month
    from {{ ref('stg_health__smd_followup') }}
    group by person_pid
),

patients as (
    select
        -- ids
        r.person_pid,
        v.county_code,
        v.township_code,
        -- diagnosis
        r.icd10,
        left(r.icd10, 3) as icd10_3,
        left(r.icd10, 3) = 'F20' as is_schizophrenia,
        -- attributes
        r.sex,
        r.age_band,
        r.management_status,
        r.is_home_dwelling,
        -- dates
        r.registered_date,
        date_trunc('month', r.registered_date)::date as registered_month,
        f.first_followup_month,
        f.last_followup_month,
        case
            when r.management_status in ('deceased', 'moved_out')
                then greatest(coalesce(f.last_followup_month, date_trunc('month', r.registered_date)::date),
                              date_trunc('month', r.registered_date)::date)
        end as exit_month
    from registry as r
    inner join villages as v on v.village_code = r.village_code
    left join followups as f on f.person_pid = r.person_pid
)

select * from patients
