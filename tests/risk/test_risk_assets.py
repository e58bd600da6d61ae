"""The risk assets: keys and lineage, and a small end-to-end materialisation into tmp_path."""

from __future__ import annotations

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from pipelines.assets.risk import ALERTS_KEY, INDICATORS_KEY, LEVELS_KEY, risk_assets, risk_stage
from pipelines.resources import XintaiHome
from pipelines.settings import home as layout_of
from pipelines.warehouse import connect_restricted

TOWNS = ["511321100000", "511321101000", "511321102000"]


def test_keys_group_and_upstream_models():
    assert risk_assets == [risk_stage]
    specs = {s.key: s for s in risk_stage.specs}
    assert set(specs) == {INDICATORS_KEY, ALERTS_KEY, LEVELS_KEY}
    assert all(s.group_name == "risk" for s in specs.values())
    deps = {tuple(d.asset_key.path) for d in specs[INDICATORS_KEY].deps}
    assert ("stg_petitions__petitions",) in {d[-1:] for d in deps}
    # the text stage runs first: petition categories and emotion scores
    assert {("text", "text_documents"), ("text", "text_emotion_indices")} <= deps


def _fake_store(root) -> None:
    """Minimal staging tables with the contract's column names (views in production)."""
    rng = np.random.default_rng(1)
    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    con = connect_restricted(layout_of(str(root)))
    try:
        inc = [
            (t, m + pd.Timedelta(days=3), "labour_dispute")
            for t in TOWNS
            for m in months
            for _ in range(rng.poisson(4))
        ]
        inc += [(TOWNS[1], months[-1] + pd.Timedelta(days=5), "labour_dispute")] * 30
        con.register(
            "inc", pd.DataFrame(inc, columns=["township_code", "reported_at", "incident_type"])
        )
        con.execute("create table stg_public_security__incidents as select * from inc")
        pet = [
            (t, (m + pd.Timedelta(days=1)).date(), "visit", False)
            for t in TOWNS
            for m in months
            for _ in range(rng.poisson(12))
        ]
        con.register(
            "pet",
            pd.DataFrame(
                pet, columns=["township_code", "received_date", "channel", "is_collective"]
            ),
        )
        con.execute("create table stg_petitions__petitions as select * from pet")
        con.execute(
            "create table stg_health__hotline_calls (township_code varchar, call_time "
            "timestamp, call_category varchar, is_crisis boolean)"
        )
        con.execute(
            "create table stg_health__outpatient_visits (township_code varchar, visit_date date)"
        )
        con.execute(
            "create table stg_health__maternal_screening (township_code varchar, "
            "screening_date date, epds_score int)"
        )
        con.execute("create table stg_schools__schools (school_id varchar, township_code varchar)")
        con.execute(
            "create table stg_schools__student_screening (school_id varchar, "
            "screening_date date, phq9 int)"
        )
        con.execute(
            "create table stg_health__smd_followup (person_pid varchar, followup_date date, "
            '"condition" varchar, risk_level int)'
        )
        con.execute("create table int_smd_patients (person_pid varchar, township_code varchar)")
        con.execute(
            "create table int_townships as select unnest(?) as township_code, "
            "'511321' as county_code",
            [TOWNS],
        )
        con.execute(
            "create table stg_reference__population as select unnest(?) as unit_code, "
            "2024 as year, 30000 as population",
            [TOWNS],
        )
    finally:
        con.close()


@pytest.fixture
def run_home(tmp_path):
    _fake_store(tmp_path)
    return tmp_path


def _add_text_documents(root) -> None:
    """A ``text_documents`` table as the text stage writes it (no text), with a rise of
    环境保护 petitions in TOWNS[0] in the last month and steady negative-emotion documents."""
    rng = np.random.default_rng(2)
    months = pd.date_range("2024-01-01", periods=14, freq="MS").strftime("%Y-%m")
    rows = []
    for t in TOWNS:
        for i, m in enumerate(months):
            n_env = rng.poisson(2) + (25 if (t == TOWNS[0] and i == len(months) - 1) else 0)
            for cat, n in (("环境保护", n_env), ("城乡建设", rng.poisson(6))):
                rows += [("petitions", t, m, cat, 4.0, 9.0)] * n
            rows += [("hotline", t, m, None, 12.0, 1.0)] * rng.poisson(5)
    docs = pd.DataFrame(
        rows, columns=["source", "township_code", "month", "category", "anxiety", "anger"]
    )
    docs.insert(1, "document_key", [f"D{i}" for i in range(len(docs))])
    con = connect_restricted(layout_of(str(root)))
    try:
        con.register("docs", docs)
        con.execute("create table text_documents as select * from docs")
    finally:
        con.close()


def _risk_tables(root) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    con = connect_restricted(layout_of(str(root)), read_only=True)
    try:
        return tuple(
            con.sql(f"select * from {t}").df()
            for t in ("risk_indicators", "risk_alerts", "risk_township_levels")
        )
    finally:
        con.close()


def test_text_stage_indicators_when_text_tables_exist(run_home):
    _add_text_documents(run_home)
    result = dg.materialize([risk_stage], resources={"home": XintaiHome(root=str(run_home))})
    assert result.success
    ind, alerts, levels = _risk_tables(run_home)
    names = set(ind["indicator"])
    assert {"petitions_cat_environment", "petitions_cat_urban", "negative_emotion_docs"} <= names
    neg = ind[(ind.indicator == "negative_emotion_docs") & (ind.area_level == "township")]
    assert neg["numerator"].sum() > 0  # 4 + 9 and 12 + 1 both reach the threshold
    hit = alerts[(alerts.township_code == TOWNS[0]) & (alerts.month == alerts.month.max())]
    assert "petitions_cat_environment" in set(hit["indicator"])
    env = hit[hit.indicator == "petitions_cat_environment"]["reason"].iat[0]
    assert env.startswith(("环境保护类信访件", "近"))
    last = levels[(levels.township_code == TOWNS[0]) & (levels.month == levels.month.max())]
    assert last["contrib_petitions"].iat[0] > 0
    assert last["top_indicator_petitions"].iat[0] == "petitions_cat_environment"


def test_without_text_stage_text_indicators_are_left_out(run_home):
    result = dg.materialize([risk_stage], resources={"home": XintaiHome(root=str(run_home))})
    assert result.success
    ind, _, levels = _risk_tables(run_home)
    assert not {"petitions_cat_environment", "negative_emotion_docs"} & set(ind["indicator"])
    assert (levels["contrib_negative_emotion"] == 0).all()


def test_materialise_writes_risk_tables(run_home):
    result = dg.materialize([risk_stage], resources={"home": XintaiHome(root=str(run_home))})
    assert result.success
    mats = [e.materialization for e in result.get_asset_materialization_events()]
    meta = {tuple(m.asset_key.path): m.metadata for m in mats}
    assert meta[("risk", "risk_alerts")]["alerts"].value > 0
    con = connect_restricted(layout_of(str(run_home)), read_only=True)
    try:
        levels = con.sql("select * from risk_township_levels").df()
        alerts = con.sql("select * from risk_alerts").df()
    finally:
        con.close()
    assert len(levels) == 3 * 14
    last = levels[(levels.township_code == TOWNS[1]) & (levels.month == levels.month.max())]
    assert last["level"].iat[0] in ("橙", "红")
    hit = alerts[(alerts.township_code == TOWNS[1]) & (alerts.indicator == "labour_disputes")]
    assert {"township-share"} <= set(hit["method"])
