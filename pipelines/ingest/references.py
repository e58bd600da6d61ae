"""Reference code sets that rows are validated against, read from the restricted store."""

from __future__ import annotations

import duckdb

from pipelines.ingest.validate import ReferenceSets


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = ? and table_catalog = current_database()",
            [table],
        ).fetchone()[0]
    )


def reference_sets(con: duckdb.DuckDBPyConnection) -> ReferenceSets:
    """Township, village and school codes, and township names → codes per county (the first
    6 digits of a 统计用区划代码): 城关镇 exists in many counties, so a name only resolves within
    the county a file is for."""
    townships, villages, schools = set(), set(), set()
    names: dict[str, str] = {}
    by_county: dict[str, dict[str, str]] = {}
    if _exists(con, "raw_admin_units"):
        for code, name, level in con.execute(
            "select unit_code, unit_name, level from raw_admin_units"
        ).fetchall():
            if level == "township":
                townships.add(code)
                names.setdefault(name, code)
                by_county.setdefault(code[:6], {})[name] = code
            elif level == "village":
                villages.add(code)
    if _exists(con, "raw_schools"):
        schools = {r[0] for r in con.execute("select school_id from raw_schools").fetchall()}
    ambiguous = {n for n in names if sum(n in m for m in by_county.values()) > 1}
    unique_names = {n: c for n, c in names.items() if n not in ambiguous}
    return ReferenceSets(
        frozenset(townships), frozenset(villages), frozenset(schools), unique_names, by_county
    )
