"""A small hand-made published.duckdb so page tests need no pipeline run."""

import datetime as dt

import duckdb
import pytest

TOWNSHIPS = [("511321001000", "文昌街道", 52_000), ("511321100000", "城关镇", 31_000),
             ("511321103000", "袁家桥镇", 18_000)]
MONTHS = [dt.date(2026, m, 1) for m in (7, 8, 9)]


@pytest.fixture
def published(isolated_home):
    path = isolated_home / "warehouse" / "published.duckdb"
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute("create table dim_township (township_code varchar, county_code varchar, township_name varchar,"
                " county_name varchar, population bigint, population_year int, geometry varchar)")
    for code, name, pop in TOWNSHIPS:
        con.execute("insert into dim_township values (?, '511321', ?, '长坪县', ?, 2026, null)", [code, name, pop])
    con.execute("create table agg_township_month (township_code varchar, township_name varchar, month date,"
                " n_petitions bigint, n_incidents bigint, n_petitions_suppressed boolean,"
                " n_incidents_suppressed boolean, population bigint)")
    rows = []
    for i, (code, name, pop) in enumerate(TOWNSHIPS):
        for j, month in enumerate(MONTHS):
            petitions = 40 + 10 * i + j
            incidents = None if i == 2 else 12 + j  # the small township's incidents are suppressed
            rows.append((code, name, month, petitions, incidents, False, incidents is None, pop))
    con.executemany("insert into agg_township_month values (?,?,?,?,?,?,?,?)", rows)
    con.execute("create table meta_publication as select 'run-1' as run_id, now()::timestamp as published_at,"
                " 10 as suppression_k, date '2026-07-01' as first_month, date '2026-09-01' as last_month,"
                " 3 as n_tables")
    con.close()
    return path
