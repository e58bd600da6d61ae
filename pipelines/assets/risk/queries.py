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

# --- text stage (restricted tables ``text_documents`` / ``text_emotion_indices``) ----------------
# Petition categories come from the text stage's classifier (one category per petition).  The
# categories a planted or real event is expected to move get their own series; the others stay
# in "all petitions".
PETITION_CATEGORIES = {
    "环境保护": "petitions_cat_environment",
    "劳动和社会保障": "petitions_cat_labour",
    "城乡建设": "petitions_cat_urban",
}
# A document is "negative" when its 焦虑 + 愤怒/怨气 indices reach this score (about the upper
# quartile of petitions and hotline notes; one clear anxious or angry clause scores 5-7).
NEGATIVE_EMOTION_MIN_SCORE = 10.0
# Sources whose emotion counts: citizens' own words.  Incident narratives are written by the
# police in a fixed register, so their lexicon scores say little about the population's mood.
EMOTION_SOURCES = ("petitions", "hotline")


def _categories_sql() -> str:
    cases = " ".join(f"when '{c}' then '{n}'" for c, n in PETITION_CATEGORIES.items())
    return f"""
select case category {cases} end as indicator, township_code,
       cast(month || '-01' as date) as month, count(*) as numerator
from text_documents
where source = 'petitions' and category in {tuple(PETITION_CATEGORIES)}
      and township_code is not null and month is not null
group by all
"""


PETITION_CATEGORY_COUNTS = _categories_sql()

# Document-weighted negative emotion: each document counts once when its 焦虑 + 愤怒/怨气
# score is high, so the series is a count (one long angry letter cannot outweigh many), and
# it moves with both the volume of messages and their tone.
NEGATIVE_EMOTION = f"""
select 'negative_emotion_docs' as indicator, township_code,
       cast(month || '-01' as date) as month,
       count(*) filter (where anxiety + anger >= {NEGATIVE_EMOTION_MIN_SCORE}) as numerator
from text_documents
where source in {EMOTION_SOURCES} and township_code is not null and month is not null
group by all
"""

TEXT_COUNT_QUERIES = (PETITION_CATEGORY_COUNTS, NEGATIVE_EMOTION)
TEXT_TABLES = ("text_documents",)
