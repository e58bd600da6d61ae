"""Text analytics assets (redacted text → tokens → category, topics, emotion).

One multi-asset reads the redacted free text of the three staging views (petition content,
hotline summaries, incident narratives), runs :func:`models.text.stage.run_stage` and writes
the ``text_*`` tables into the restricted store. Its asset keys are ``["text", "<table>"]``,
the keys dagster-dbt gives the dbt source ``text``, so the text marts run after it in the same
run. Topic-word vectors are kept in ``text_topic_state`` so the next run's refit continues the
topic ids. No table written here holds text.
"""

import logging

import dagster as dg
import pandas as pd
from dagster import AssetExecutionContext
from dagster_dbt import get_asset_key_for_model

from pipelines.assets.dbt import warehouse_dbt_assets
from pipelines.resources import XintaiHome

log = logging.getLogger(__name__)

GROUP = "text"
TABLES = (
    "text_documents",
    "text_topic_prevalence",
    "text_topics",
    "text_emotion_indices",
    "text_emerging_topics",
    "text_topic_state",
)
DESCRIPTIONS = {
    "text_documents": "One row per document (petition, hotline call, incident): key, source, "
    "township, month, category, topic, emotion indices, crisis flag. No text.",
    "text_topic_prevalence": "Documents per source × township × month × topic (dominant topic).",
    "text_topics": "One row per source × topic: stable id, label and top words.",
    "text_emotion_indices": "Per source × township × month: documents, mean emotion indices, "
    "crisis documents and share.",
    "text_emerging_topics": "Source × township × month × topic cells whose share rose beyond "
    "the township's own baseline, with the reason.",
    "text_topic_state": "Topic-word weights of the last fit, for stable ids at the next refit.",
}
# staging model → (source name, key column, time column, text column)
STAGING = {
    "stg_petitions__petitions": ("petitions", "case_no", "received_date", "content"),
    "stg_health__hotline_calls": ("hotline", "call_id", "call_time", "summary"),
    "stg_public_security__incidents": ("incidents", "incident_no", "reported_at", "narrative"),
}


def _staging_keys() -> list[dg.AssetKey]:
    return [get_asset_key_for_model([warehouse_dbt_assets], m) for m in STAGING]


def read_documents(con) -> pd.DataFrame:
    """Redacted documents of every text source from the staging views (restricted store)."""
    parts = []
    for model, (source, key, at, text) in STAGING.items():
        parts.append(
            con.execute(
                f"""select '{source}' as source, cast({key} as varchar) as document_key,
                           township_code, strftime(cast({at} as date), '%Y-%m') as month,
                           {text} as text
                    from {model}
                    where {text} is not null and township_code is not null and {at} is not null"""
            ).df()
        )
    return pd.concat(parts, ignore_index=True)


def place_names(con) -> list[str]:
    """Township and village names from admin_units, added to the segmenter's dictionary."""
    try:
        rows = con.execute(
            "select distinct unit_name from stg_reference__admin_units "
            "where level in ('township', 'village') and unit_name is not null"
        ).fetchall()
    except Exception:  # noqa: BLE001 — a missing reference view only loses place names
        log.warning("stg_reference__admin_units not readable; segmenting without place names")
        return []
    return sorted(r[0] for r in rows)


def previous_state(con) -> pd.DataFrame | None:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'text_topic_state'"
    ).fetchone()[0]
    return con.execute("select * from text_topic_state").df() if exists else None


def write_tables(con, tables: dict[str, pd.DataFrame]) -> None:
    """Replace the text tables in one transaction."""
    con.execute("begin")
    try:
        for name, df in tables.items():
            con.register("_frame", df)
            con.execute(f"create or replace table {name} as select * from _frame")
            con.unregister("_frame")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


@dg.multi_asset(
    name="text_analytics",
    specs=[
        dg.AssetSpec(
            ["text", t], group_name=GROUP, deps=_staging_keys(), description=DESCRIPTIONS[t],
            kinds={"python", "duckdb"},
        )
        for t in TABLES
    ],
    can_subset=False,
)
def text_analytics(context: AssetExecutionContext, home: XintaiHome):
    from models.text.classifier import CategoryModel
    from models.text.stage import run_stage
    from models.text.train_default import OUT as DEFAULT_MODEL

    con = home.restricted()
    try:
        docs = read_documents(con)
        names = place_names(con)
        state = previous_state(con)
        try:
            model = CategoryModel.load(DEFAULT_MODEL)
        except FileNotFoundError:
            context.log.warning("no shipped category model; petitions left unclassified")
            model = None
        result = run_stage(docs, category_model=model, previous_state=state, extra_words=names)
        tables = {
            "text_documents": result.documents,
            "text_topic_prevalence": result.topic_prevalence,
            "text_topics": result.topics,
            "text_emotion_indices": result.emotion_indices,
            "text_emerging_topics": result.emerging_topics,
            "text_topic_state": result.topic_state,
        }
        write_tables(con, tables)
    finally:
        con.close()
    by_source = result.documents.groupby("source").size().to_dict()
    common = {
        "documents": int(len(result.documents)),
        "documents_by_source": {k: int(v) for k, v in by_source.items()},
        "topics": int(len(result.topics)),
        "emerging_topics": int(len(result.emerging_topics)),
        "first_month": str(result.documents["month"].min()) if len(docs) else None,
        "last_month": str(result.documents["month"].max()) if len(docs) else None,
        "continued_topic_ids": int(result.topics["match_similarity"].notna().sum()),
    }
    for name, df in tables.items():
        yield dg.MaterializeResult(
            asset_key=["text", name], metadata={"rows": int(len(df)), **common}
        )


text_assets: list = [text_analytics]
