{{ config(**month_incremental_config()) }}
{#- One row per publication cell: county or township × month × measure × breakdown, with its
    unsuppressed value. Every count that any mart publishes is one of these cells (see
    macros/cells.sql); int_suppressed_cells decides which are withheld. -#}
with petitions as (
    select * from {{ ref('int_petitions_enriched') }}
    where {{ in_rebuild_months('month') }}
),

collective_petitions as (
    select * from petitions where collective = 'yes'
),

incidents as (
    select
        date_trunc('month', reported_at)::date as month,
        left(township_code, 6) as county_code,
        township_code,
        incident_type
    from {{ ref('stg_public_security__incidents') }}
    where {{ in_rebuild_months("date_trunc('month', reported_at)::date") }}
),

hotline_raw as (
    select
        date_trunc('month', call_time)::date as month,
        township_code,
        _file_id,
        is_crisis
    from {{ ref('stg_health__hotline_calls') }}
    where {{ in_rebuild_months("date_trunc('month', call_time)::date") }}
),

hotline_file_county as (
    -- calls whose township is unknown belong to the county of their file's other calls
    select _file_id, mode(left(township_code, 6)) as county_code
    from hotline_raw
    where township_code is not null
    group by _file_id
),

hotline as (
    select
        h.month,
        coalesce(left(h.township_code, 6), f.county_code) as county_code,
        coalesce(h.township_code, f.county_code || '-unknown') as township_code,
        case when h.is_crisis then 'yes' else 'no' end as crisis
    from hotline_raw as h
    left join hotline_file_county as f on f.county_code is not null and f._file_id = h._file_id
    where coalesce(left(h.township_code, 6), f.county_code) is not null
),

outpatient as (
    select
        date_trunc('month', visit_date)::date as month,
        left(township_code, 6) as county_code,
        township_code,
        case
            when icd10 like 'F2%' then 'f20_f29'
            when icd10 like 'F3%' then 'f30_f39'
            when icd10 like 'F4%' then 'f40_f48'
            else 'other'
        end as icd_group
    from {{ ref('stg_health__outpatient_visits') }}
    where {{ in_rebuild_months("date_trunc('month', visit_date)::date") }}
),

maternal as (
    select
        date_trunc('month', screening_date)::date as month,
        left(township_code, 6) as county_code,
        township_code,
        case when epds_score >= 13 then 'yes' else 'no' end as epds_ge13
    from {{ ref('stg_health__maternal_screening') }}
    where {{ in_rebuild_months("date_trunc('month', screening_date)::date") }}
),

students as (
    select * from {{ ref('int_student_screening_episodes') }}
    where {{ in_rebuild_months('month') }}
),

smd as (
    select * from {{ ref('int_smd_patient_months') }}
    where {{ in_rebuild_months('month') }}
),

{%- set yn = ['yes', 'no'] %}

cells as (
    {{ count_cells('petitions', 'petitions',
        dims={'channel': ['letter', 'visit', 'online', 'hotline12345'], 'collective': yn, 'repeat': yn},
        tables=[{'dims': ['channel']}, {'dims': ['collective']}, {'dims': ['repeat']}],
        unpublished={'collective': ['no'], 'repeat': ['no']}) }}
    union all
    {{ count_cells('collective_persons', 'collective_petitions', dims={}, tables=[{'dims': []}],
        value='n_persons', spine='petitions') }}
    union all
    {{ count_cells('incidents', 'incidents',
        dims={'incident_type': ['family_dispute', 'neighbour_dispute', 'romantic_dispute', 'labour_dispute',
                                'land_dispute', 'other_dispute', 'domestic_violence', 'self_harm',
                                'smd_incident', 'mass_incident']},
        tables=[{'dims': ['incident_type']}]) }}
    union all
    {{ count_cells('calls', 'hotline', dims={'crisis': yn}, tables=[{'dims': ['crisis']}],
        unpublished={'crisis': ['no']}, unknown_township=true) }}
    union all
    {{ count_cells('visits', 'outpatient',
        dims={'icd_group': ['f20_f29', 'f30_f39', 'f40_f48', 'other']}, tables=[{'dims': ['icd_group']}]) }}
    union all
    {{ count_cells('maternal_screened', 'maternal', dims={'epds_ge13': yn}, tables=[{'dims': ['epds_ge13']}],
        unpublished={'epds_ge13': ['no']}) }}
    union all
    {{ count_cells('students_screened', 'students',
        dims={'school_level': ['primary', 'junior', 'senior', 'vocational'], 'left_behind': yn,
              'phq9_ge10': yn, 'gad7_ge10': yn},
        tables=[{'dims': ['school_level', 'left_behind', 'phq9_ge10']},
                {'dims': ['school_level', 'left_behind', 'gad7_ge10']}],
        unpublished={'phq9_ge10': ['no'], 'gad7_ge10': ['no']}) }}
    union all
    {{ count_cells('smd_registered', 'smd',
        dims={'managed': yn, 'standard_managed': yn, 'on_medication': yn, 'regular_medication': yn,
              'schizophrenia': yn, 'risk_ge3': yn, 'unstable': yn, 'case_managed': yn,
              'home_dwelling': yn, 'community_rehab': yn, 'family_counselled': yn},
        tables=[{'dims': ['managed']}, {'dims': ['standard_managed']},
                {'dims': ['schizophrenia', 'on_medication']}, {'dims': ['regular_medication']},
                {'dims': ['risk_ge3'], 'fixed': {'managed': 'yes'}},
                {'dims': ['unstable'], 'fixed': {'managed': 'yes'}},
                {'dims': ['case_managed'], 'fixed': {'managed': 'yes', 'unstable': 'yes'}},
                {'dims': ['home_dwelling']},
                {'dims': ['community_rehab'], 'fixed': {'home_dwelling': 'yes'}},
                {'dims': ['family_counselled'], 'fixed': {'home_dwelling': 'yes'}}],
        unpublished={'managed': ['no'], 'standard_managed': ['no'], 'on_medication': ['no'],
                     'regular_medication': ['no'], 'schizophrenia': ['no'], 'risk_ge3': ['no'],
                     'unstable': ['no'], 'case_managed': ['no'], 'home_dwelling': ['no'],
                     'community_rehab': ['no'], 'family_counselled': ['no']}) }}
),

deduplicated as (
    -- margins shared by several tables (e.g. all petitions) are emitted once per table
    select
        -- ids
        month,
        county_code,
        township_code,
        measure,
        breakdown,
        -- value
        max(value) as value,
        -- flags
        bool_and(is_published) as is_published,
        -- lineage
        {{ source_watermark() }} as _source_watermark
    from cells
    group by month, county_code, township_code, measure, breakdown
)

select
    *,
    case
        when township_code is null then 'county'
        when township_code like '%-unknown' then 'unknown'
        else 'township'
    end as area_level,
    md5(concat_ws('|', month, county_code, coalesce(township_code, ''), measure, breakdown)) as cell_id
from deduplicated
order by month  -- stored in month order (macros/incremental.sql)
