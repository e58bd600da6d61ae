{#- One row per patient on the 严重精神障碍 register: township, diagnosis group, registration
    and follow-up months. The register extract is a snapshot without an exit date: a patient
    who died or moved out (is_exited) counts as 在册 from registration in the months with a
    follow-up in the month or the 2 months after it (int_smd_patient_months: the 规范 asks for
    a follow-up at least every 3 months), so a new month of follow-ups revises at most the 2
    months before it. -#}
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
        r.management_status in ('deceased', 'moved_out') as is_exited
    from registry as r
    inner join villages as v on v.village_code = r.village_code
    left join followups as f on f.person_pid = r.person_pid
)

select * from patients
