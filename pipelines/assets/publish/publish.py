"""Atomic publication: the new published.duckdb replaces the old only after every check passes.

dbt builds the marts into ``published.build.duckdb``; this asset scans every column of every
table for PII and person keys, records the publication in ``meta_publication``, then renames
the build over the live file (``os.replace`` is atomic on POSIX), so the dashboard keeps
serving the previous version until the new one is complete and clean.
"""


import datetime as dt
import os

import dagster as dg
from dagster import AssetExecutionContext
import duckdb

from pipelines.resources import XintaiHome
from pipelines.resources.home import published_build_db

PII_SCAN_CHECK = "no_pii"
PUBLISHED_KEY = dg.AssetKey(["published", "publication"])


class PublicationBlocked(Exception):
    """A check failed: the live publication is left as it was."""


def build_publish_asset(mart_keys: list[dg.AssetKey], suppression_k: int) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED_KEY,
        group_name="publish",
        deps=mart_keys,
        description="published.duckdb, swapped in atomically after the PII scan passes.",
        check_specs=[dg.AssetCheckSpec(PII_SCAN_CHECK, asset=PUBLISHED_KEY, blocking=True,
                                       description="no PII or person key in any published column")],
        kinds={"duckdb"},
    )
    def publication(context: AssetExecutionContext, home: XintaiHome):
        from models.privacy.scan import scan_database

        layout = home.layout
        build = published_build_db(layout)
        if not build.exists():
            raise PublicationBlocked(f"{build} was not built: run the dbt marts first")
        hits = scan_database(build)
        if hits:
            detail = "; ".join(str(h) for h in hits[:20])
            raise PublicationBlocked(f"PII scan found {len(hits)} problem(s), not publishing: {detail}")
        tables = record_publication(build, context.run_id, suppression_k)
        os.replace(build, layout.published_db)
        yield dg.MaterializeResult(metadata={"tables": len(tables), "path": str(layout.published_db),
                                             **{f"rows.{t}": n for t, n in tables.items()}})
        yield dg.AssetCheckResult(check_name=PII_SCAN_CHECK, passed=True, metadata={"hits": 0})

    return publication


def record_publication(path, run_id: str, suppression_k: int) -> dict[str, int]:
    con = duckdb.connect(str(path))
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_name <> 'meta_publication' order by 1").fetchall()]
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
        period = con.execute(
            "select min(month), max(month) from agg_township_month"
        ).fetchone() if "agg_township_month" in tables else (None, None)
        con.execute("""create or replace table meta_publication as
            select ?::varchar as run_id, ?::timestamp as published_at, ?::integer as suppression_k,
                   ?::date as first_month, ?::date as last_month, ?::integer as n_tables""",
                    [run_id, dt.datetime.now(), suppression_k, period[0], period[1], len(tables)])
        con.execute("checkpoint")
    finally:
        con.close()
    return counts
