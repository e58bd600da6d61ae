{{ config(**month_incremental_config()) }}
{#- One row per student × screening date (a screening episode), with the school's level and
    township and the PHQ-9 ≥ 10 / GAD-7 ≥ 10 positive flags. -#}
with screenings as (
    select * from {{ ref('stg_schools__student_screening') }}
    where {{ in_rebuild_months("date_trunc('month', screening_date)::date") }}
),

schools as (
    select * from {{ ref('stg_schools__schools') }}
),

episodes as (
    select
        -- ids
        s.person_pid,
        s.screening_date,
        date_trunc('month', s.screening_date)::date as month,
        s.school_id,
        left(sc.township_code, 6) as county_code,
        sc.township_code,
        -- attributes
        sc.level as school_level,
        s.grade,
        s.sex,
        case when month(s.screening_date) <= 6 then 'spring' else 'autumn' end as screening_round,
        -- scores
        s.phq9,
        s.gad7,
        -- flags (as 'yes'/'no' dimension values)
        case when s.is_left_behind then 'yes' else 'no' end as left_behind,
        case when s.is_migrant then 'yes' else 'no' end as migrant,
        case when s.phq9 >= 10 then 'yes' else 'no' end as phq9_ge10,
        case when s.gad7 >= 10 then 'yes' else 'no' end as gad7_ge10,
        -- lineage
        {{ source_watermark() }} as _source_watermark
    from screenings as s
    inner join schools as sc on sc.school_id = s.school_id
)

select * from episodes
order by month  -- stored in month order (macros/incremental.sql)
