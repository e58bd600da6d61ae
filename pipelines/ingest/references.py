"""Reference code sets that rows are validated against, read from the restricted store."""

from __future__ import annotations

import duckdb

from pipelines.ingest.validate import ReferenceSets


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_name = ? and table_catalog = current_database()",
        [table]).fetchone()[0])


def reference_sets(con: duckdb.DuckDBPyConnection) -> ReferenceSets:
    townships, villages, schools, names = set(), set(), set(), {}
    if _exists(con, "raw_admin_units"):
        for code, name, level in con.execute("select unit_code, unit_name, level from raw_admin_units").fetchall():
            if level == "township":
                townships.add(code)
                names[name] = code
            elif level == "village":
                villages.add(code)
    if _exists(con, "raw_schools"):
        schools = {r[0] for r in con.execute("select school_id from raw_schools").fetchall()}
    return ReferenceSets(frozenset(townships), frozenset(villages), frozenset(schools), names)
