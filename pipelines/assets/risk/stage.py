"""Read the counts from the restricted store, run the pure risk stage, write ``risk_*``.

Shared by the Dagster assets and ``xintai eval detection`` so both compute the same thing.
"""

from __future__ import annotations

import logging

import duckdb
import pandas as pd

from models.risk.composite import RiskConfig, RiskStage, run_risk_stage
from models.risk.indicators import INDICATORS, build_indicator_table
from pipelines.assets.risk import queries
from pipelines.warehouse import RESTRICTED_ALIAS

log = logging.getLogger(__name__)

RISK_TABLES = ("risk_indicators", "risk_alerts", "risk_township_levels")


def has_text_stage(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the text stage's tables are in the restricted store."""
    found = con.execute(
        "select count(distinct table_name) from information_schema.tables "
        "where table_name in (select unnest(?))",
        [list(queries.TEXT_TABLES)],
    ).fetchone()[0]
    return found == len(queries.TEXT_TABLES)


def available_indicators(text: bool) -> list[str]:
    """Indicators whose source can be read (text-stage indicators only with the text stage)."""
    return [d.name for d in INDICATORS if text or d.source != "text"]


def read_counts(
    con: duckdb.DuckDBPyConnection, text: bool | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Indicator counts, townships and population from the staging/intermediate models, and
    the petition-category and negative-emotion counts from the text stage when it has run."""
    if text is None:
        text = has_text_stage(con)
    parts = []
    for sql in queries.COUNT_QUERIES + (queries.TEXT_COUNT_QUERIES if text else ()):
        df = con.sql(sql).df()
        if "denominator" not in df:
            df["denominator"] = float("nan")
        parts.append(df)
    counts = pd.concat(parts, ignore_index=True)
    townships = con.sql(queries.TOWNSHIPS).df()
    population = con.sql(queries.POPULATION).df()
    return counts, townships, population


def month_grid(counts: pd.DataFrame) -> pd.Series:
    """Every month from the first to the last month with data (no gaps)."""
    months = pd.to_datetime(counts["month"])
    return pd.Series(pd.date_range(months.min(), months.max(), freq="MS"))


def compute(con: duckdb.DuckDBPyConnection, cfg: RiskConfig) -> RiskStage:
    text = has_text_stage(con)
    if not text:
        log.warning(
            "text stage tables %s not found: petition-category and negative-emotion "
            "indicators are left out of this run",
            list(queries.TEXT_TABLES),
        )
    counts, townships, population = read_counts(con, text)
    table = build_indicator_table(
        counts, townships, month_grid(counts), population, available_indicators(text)
    )
    return run_risk_stage(table, cfg)


def write_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """Replace ``main.<name>`` with ``frame`` in one statement."""
    con.register("_risk_frame", frame)
    try:
        con.execute(
            f"create or replace table {RESTRICTED_ALIAS}.main.{name} as select * from _risk_frame"
        )
    finally:
        con.unregister("_risk_frame")
