"""SQL that counts the indicator events per township x month in the restricted store.

Each query returns ``indicator, township_code, month, numerator[, denominator]``; the names
must be defined in ``models/risk/indicators.py``.  Only counts leave these queries.
"""

DISPUTE_TYPES = (
    "family_dispute",
    "neighbour_dispute",
    "romantic_dispute",
    "labour_dispute",
    "land_dispute",
    "domestic_violence",
    "other_dispute",
)

INCIDENTS = f"""
with i as (
    select township_code, date_trunc('month', reported_at)::date as month, incident_type
    from stg_public_security__incidents
)
select 'disputes_all' as indicator, township_code, month, count(*) as numerator
from i where incident_type in {DISPUTE_TYPES} group by all
union all
select case incident_type
         when 'labour_dispute' then 'labour_disputes'
         when 'land_dispute' then 'land_disputes'
         when 'mass_incident' then 'mass_incidents'
         when 'self_harm' then 'self_harm' end,
       township_code, month, count(*)
from i where incident_type in ('labour_dispute', 'land_dispute', 'mass_incident', 'self_harm')
group by all
"""

PETITIONS = """
with p as (
    select township_code, date_trunc('month', received_date)::date as month, channel, is_collective
    from stg_petitions__petitions
)
select 'petitions_all' as indicator, township_code, month, count(*) as numerator from p group by all
union all
select 'petitions_collective', township_code, month, count(*)
from p where is_collective group by all
union all
select 'petitions_visit', township_code, month, count(*) from p where channel = 'visit' group by all
"""

HOTLINE = """
with h as (
    select township_code, date_trunc('month', call_time)::date as month, call_category, is_crisis
    from stg_health__hotline_calls where township_code is not null
)
select 'hotline_crisis' as indicator, township_code, month, count(*) as numerator
from h where is_crisis group by all
union all
select 'hotline_' || call_category, township_code, month, count(*)
from h where call_category in ('work_money', 'disaster_stress', 'emotional_distress') group by all
"""

OUTPATIENT = """
select 'mh_outpatient_visits' as indicator, township_code,
       date_trunc('month', visit_date)::date as month, count(*) as numerator
from stg_health__outpatient_visits group by all
"""

MATERNAL = """
select 'maternal_epds_positive' as indicator, township_code,
       date_trunc('month', screening_date)::date as month,
       count(*) filter (where epds_score >= 13) as numerator, count(*) as denominator
from stg_health__maternal_screening group by all
"""

STUDENTS = """
select 'student_phq9_positive' as indicator, s.township_code,
       date_trunc('month', x.screening_date)::date as month,
       count(*) filter (where x.phq9 >= 10) as numerator, count(*) as denominator
from stg_schools__student_screening x
join stg_schools__schools s using (school_id)
group by all
"""

SMD = """
select 'smd_unstable_followups' as indicator, p.township_code,
       date_trunc('month', f.followup_date)::date as month,
       count(*) filter (where f."condition" = 'unstable' or f.risk_level >= 3) as numerator
from stg_health__smd_followup f
join int_smd_patients p using (person_pid)
where p.township_code is not null
group by all
"""

COUNT_QUERIES = (INCIDENTS, PETITIONS, HOTLINE, OUTPATIENT, MATERNAL, STUDENTS, SMD)

TOWNSHIPS = "select township_code, county_code from int_townships order by township_code"

POPULATION = """
select unit_code as township_code, year, sum(population) as population
from stg_reference__population group by all
"""
