"""End to end: generate a small county → ``xintai run`` through Dagster → published.duckdb.

One home is built per session (generate + two runs) and the assertions read it: the published
tables hold rows, no published column holds a person key, name, phone or ID number, the PII
scan passes, and a second run on the same landing files publishes identical tables.
"""

import json
import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.settings import home

MONTHS = 14
POPULATION = 60_000
HEX64 = re.compile(r"^[0-9a-f]{64}$")
# person keys and direct identifiers (aggregates such as n_collective_persons are fine)
PERSON_KEY_COLUMN = r"(^|_)pids?$|person_(id|pid|key)|phone|id_number|(^|_)name_of"


def _published_tables(path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' order by 1"
            ).fetchall()
        ]
        return {n: con.execute(f'select * from "{n}"').df() for n in names}
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from pipelines.commands.run import materialise, prepare_environment
    from pipelines.generate.county import generate

    root = tmp_path_factory.mktemp("e2e")
    saved = {k: os.environ.get(k) for k in ("XINTAI_HOME", "DAGSTER_HOME")}
    os.environ["XINTAI_HOME"] = str(root)
    os.environ["DAGSTER_HOME"] = str(root / "dagster")
    try:
        layout = home(root)
        summary = generate(
            layout.landing, layout.truth, months=MONTHS, population=POPULATION, seed=7
        )
        prepare_environment(str(root))
        first = materialise()
        tables_first = _published_tables(layout.published_db) if first["success"] else {}
        second = materialise()
        tables_second = _published_tables(layout.published_db) if second["success"] else {}
        yield {
            "layout": layout,
            "summary": summary,
            "first": first,
            "second": second,
            "tables": tables_first,
            "tables_again": tables_second,
        }
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_both_runs_succeed(built):
    assert built["first"]["success"], built["first"]["failures"]
    assert built["second"]["success"], built["second"]["failures"]


def test_published_tables_have_the_expected_rows(built):
    tables = built["tables"]
    n_townships = built["summary"]["counties"][0]["townships"]
    assert len(tables["dim_township"]) == n_townships
    agg = tables["agg_township_month"]
    assert len(agg) == n_townships * MONTHS
    assert agg["n_petitions"].notna().any() and agg["n_incidents"].notna().any()
    assert len(tables["meta_publication"]) == 1


def test_published_counts_reconcile_with_the_restricted_store(built):
    """Every unsuppressed township-month count equals the count of loaded rows behind it."""
    from pipelines.warehouse import connect_restricted

    con = connect_restricted(built["layout"], read_only=True)
    try:
        raw = con.execute(
            """select township_code, date_trunc('month', received_date)::date as month,
                      count(*) as n from raw_petitions group by all"""
        ).df()
    finally:
        con.close()
    agg = built["tables"]["agg_township_month"]
    merged = agg.merge(raw, on=["township_code", "month"], how="left").fillna({"n": 0})
    shown = merged[merged["n_petitions"].notna()]
    assert (shown["n_petitions"] == shown["n"]).all()
    small = merged[merged["n"].between(1, 9)]
    assert small["n_petitions"].isna().all()  # every small cell withheld (others may be, too)


def test_no_person_level_value_is_published(built):
    id_like = re.compile(r"(?<![\d.])(?:\d{17}[\dXx]|\d{15})(?!\d)")  # not float digits
    phone_like = re.compile(r"1[3-9]\d{9}")
    for name, frame in built["tables"].items():
        for column in frame.columns:
            assert not re.search(PERSON_KEY_COLUMN, column), f"{name}.{column}"
            text = frame[column].dropna().astype(str)
            if text.empty:
                continue
            assert not text.str.fullmatch(HEX64.pattern).any(), f"pseudonym in {name}.{column}"
            if column != "geometry":
                assert not text.str.contains(id_like).any(), f"ID number in {name}.{column}"
                assert not text.str.fullmatch(phone_like.pattern).any(), f"phone in {name}.{column}"


def test_scan_pii_finds_nothing(built):
    from models.privacy.scan import scan_database

    assert scan_database(built["layout"].published_db) == []


def test_rerun_on_the_same_landing_files_publishes_identical_tables(built):
    first, again = built["tables"], built["tables_again"]
    assert set(first) == set(again)
    for name in first:
        if name == "meta_publication":
            continue
        a = _in_total_order(first[name])
        b = _in_total_order(again[name])
        pd.testing.assert_frame_equal(a, b, check_like=False, obj=name)


def test_dbt_parses_the_project_once_per_home(built):
    """Both dbt invocations of both runs share the home's dbt folder: only the first parses
    the whole project; the others re-use that parse (~10 s saved per invocation)."""
    folder = built["layout"].dbt_target
    logs = sorted(folder.glob("dbt.log*"), reverse=True)  # dbt.log.2, dbt.log.1, dbt.log
    text = "".join(p.read_text(encoding="utf-8") for p in logs)
    verdicts = re.findall(r"Unable to do partial parsing[^\"]*|skipping partial parsing|"
                          r"Partial parsing enabled", text)
    assert len(verdicts) >= 4, verdicts  # two invocations per run, two runs
    assert not [v for v in verdicts[1:] if "Unable" in v], verdicts


def test_dbt_runs_in_the_run_process_and_its_tests_arrive_as_asset_checks(built):
    """dbt ran inside the Dagster run (pipelines/dbt_in_process.py): its data tests reached
    Dagster as asset-check evaluations, every one passed, its models as materialisations,
    and the stores were closed afterwards (no write-ahead log beside them)."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(built["layout"].root / "dagster"))
    run_id = built["first"]["run_id"]
    checks = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=5000
    ).records
    evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in checks]
    assert len(evaluations) > 300
    assert all(e.passed for e in evaluations)
    materialised = {
        r.event_log_entry.dagster_event.asset_key.path[-1]
        for r in instance.get_records_for_run(
            run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION, limit=5000
        ).records
    }
    assert {"int_suppressed_cells", "agg_township_month", "kpi_pilot_scorecard"} <= materialised
    warehouse = built["layout"].restricted_db.parent
    assert not list(warehouse.glob("*.wal"))
    # dbt's log names the command as invoked: `cli build` from dbtRunner, `xintai-dbt build`
    # from a subprocess
    logs = built["layout"].dbt_target.glob("dbt.log*")
    log = "".join(p.read_text(encoding="utf-8") for p in logs)
    commands = re.findall(r"Command `([^`]*)`", log)
    assert commands.count("cli build") >= 4 and "xintai-dbt build" not in commands, commands


def _in_total_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted on every column, so that only content (not row order) is compared."""
    keys = frame.astype(str)
    return frame.loc[keys.sort_values(list(keys.columns)).index].reset_index(drop=True)


def test_restricted_store_is_encrypted(built):
    raw = built["layout"].restricted_db.read_bytes()
    county = built["summary"]["counties"][0]
    assert county["name"].encode() not in raw
    assert b"raw_petitions" not in raw


def test_keys_never_reach_the_stores(built):
    layout = built["layout"]
    for key_file in layout.secrets.glob("*.key"):
        key = key_file.read_text().strip().encode()
        for db in (layout.restricted_db, layout.published_db):
            assert key not in db.read_bytes()
    assert (
        json.dumps(built["first"]).find((layout.secrets / "warehouse.key").read_text().strip())
        == -1
    )


def test_risk_marts_withhold_whole_groups_with_small_cells(built):
    """The risk marts repeat counts the indicator marts publish with their own suppression
    pattern, plus county totals and window sums: a group with any small cell is withheld whole."""
    cells = built["tables"]["fct_risk_indicator_month"]
    per_group = cells.groupby(["indicator", "county_code", "month"])["n_events_suppressed"].agg(
        ["min", "max"]
    )
    assert (per_group["min"] == per_group["max"]).all()
    shown = cells["n_events"].dropna()
    assert not shown.between(1, 9).any()
    alerts = built["tables"]["fct_risk_alerts"]
    withheld = alerts[alerts["n_observed_suppressed"]]
    assert not withheld["reason"].str.contains(r"\d\s*(?:件|次|起|人|例|%)").any()


def _text_figures(tables: dict[str, pd.DataFrame]) -> dict[tuple, list]:
    """Cell key → every value the text marts print for it (None when withheld)."""
    measure = {"petitions": "petitions", "incidents": "incidents", "hotline": "calls"}
    seen: dict[tuple, list] = {}

    def add(month, county, township, source, breakdown, value):
        key = (
            pd.Timestamp(month),
            county,
            township if isinstance(township, str) else None,
            measure[source],
            breakdown,
        )
        seen.setdefault(key, []).append(None if pd.isna(value) else int(value))

    for r in tables["agg_text_topic_month"].to_dict("records"):
        add(
            r["month"],
            r["county_code"],
            None,
            r["source"],
            f"text=yes;text_topic={r['topic_id']}",
            r["n_docs"],
        )
        add(r["month"], r["county_code"], None, r["source"], "text=yes", r["n_docs_total"])
    for r in tables["agg_petition_category_month"].to_dict("records"):
        add(
            r["month"],
            r["county_code"],
            None,
            "petitions",
            f"text=yes;text_category={r['category']}",
            r["n_petitions"],
        )
    for r in tables["agg_text_emotion_month"].to_dict("records"):
        add(r["month"], r["county_code"], r["township_code"], r["source"], "text=yes", r["n_docs"])
        add(
            r["month"],
            r["county_code"],
            r["township_code"],
            r["source"],
            "text=yes;text_crisis=yes",
            r["n_crisis"],
        )
    return seen


def test_text_marts_resist_the_attacker(built):
    """The text marts' counts (topics, categories, documents, crisis language) are breakdowns
    of totals the indicator marts print: every small cell must stay within [1, k − 1] for an
    attacker who knows every printed figure of both and every margin equation (linprog)."""
    import numpy as np

    from models.privacy import suppression
    from pipelines.warehouse import connect_restricted
    from tests.warehouse.attack import attack
    from tests.warehouse.test_attack import K, published_figures

    con = connect_restricted(built["layout"], read_only=True)
    try:
        text = con.execute("select * from int_suppressed_text_cells").df()
        indicator = con.execute(
            "select * from int_suppressed_cells "
            "where measure in ('petitions', 'incidents', 'calls')"
        ).df()
    finally:
        con.close()
    pub = duckdb.connect(str(built["layout"].published_db), read_only=True)
    try:
        printed = published_figures(pub)
    finally:
        pub.close()
    text_printed = _text_figures(built["tables"])
    cells = pd.concat([text, indicator], ignore_index=True)
    cells["month"] = pd.to_datetime(cells["month"])
    cells["township_code"] = cells["township_code"].where(cells["township_code"].notna(), None)
    cells["breakdown"] = cells["breakdown"].fillna("")
    truth = dict(
        zip(zip(*(cells[c] for c in suppression.KEY), strict=True), cells["value"], strict=True)
    )
    # every printed text figure is the true cell (a printed 0 is a cell that does not exist)
    wrong = [k for k, vs in text_printed.items() if vs[0] is not None and vs[0] != truth.get(k, 0)]
    assert not wrong[:5]
    assert not [k for k, vs in text_printed.items() if len(set(vs)) > 1][:5]
    for key, values in text_printed.items():
        printed.setdefault(key, []).extend(values)
    exposures, small = [], 0
    for _, part in cells.groupby(["month", "county_code", "measure"], sort=True):
        part = part.sort_values(suppression.KEY, na_position="first").reset_index(drop=True)
        keys = list(zip(*(part[c] for c in suppression.KEY), strict=True))
        shown = np.array([k in printed for k in keys])
        withheld = np.array([k in printed and printed[k][0] is None for k in keys])
        values = part["value"].to_numpy()
        small += int(
            (
                ((values >= 1) & (values <= K - 1))
                & part["breakdown"].str.startswith("text").to_numpy()
            ).sum()
        )
        exposures += attack(values, shown, withheld, suppression.margin_equations(part), K, keys)
    assert small > 100
    assert not exposures[:10], f"{len(exposures)} small cells narrowed below [1, k−1]"


def test_emerging_topics_print_no_township_numbers(built):
    emerging = built["tables"]["fct_text_emerging_topic"]
    assert not {"n_docs", "share", "baseline_share", "p_value"} & set(emerging.columns)
    assert not emerging["reason"].str.contains(r"\d").any()
