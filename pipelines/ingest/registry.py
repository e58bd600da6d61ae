"""The file registry and quarantine tables in the restricted store.

Every landing file gets one registry row keyed by its content hash: rows in, loaded,
quarantined, status. A file whose hash is already registered is skipped (re-ingesting is a
no-op); a different file for the same slot (dataset, county, period) supersedes the old one:
its rows are removed and the registry says so. Rejected rows are kept, restricted, with
file, row number, field and reason.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

REGISTRY_DDL = """
create table if not exists raw_file_registry (
    file_id varchar primary key,       -- sha256 of the file's bytes
    dataset varchar, source varchar, file_name varchar, slot varchar, period varchar,
    rows_in bigint, rows_loaded bigint, rows_quarantined bigint,
    status varchar,                    -- loaded | failed | superseded
    message varchar, ingested_at timestamp
)
"""
QUARANTINE_DDL = """
create table if not exists raw_quarantine (
    file_id varchar, dataset varchar, file_name varchar, row_number bigint,
    field varchar, reason varchar, raw_json varchar
)
"""
PERIOD_RE = re.compile(r"(\d{4}-\d{2})")
COUNTY_RE = re.compile(r"_(\d{6})(?=_|$)")
VERSION_SUFFIX_RE = re.compile(r"(_v\d+|\s*\(\d+\)|_corrected|_更正)$", re.IGNORECASE)


@dataclass(frozen=True)
class FileIdentity:
    file_id: str
    slot: str
    period: str | None


def identify(path: Path) -> FileIdentity:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    stem = VERSION_SUFFIX_RE.sub("", path.stem)
    match = PERIOD_RE.search(stem)
    return FileIdentity(
        digest.hexdigest(), f"{path.parent.name}/{stem}", match.group(1) if match else None
    )


def county_of(path: Path) -> str | None:
    """The 6-digit county code in a file name such as hotline_calls_511321_2024-05.xlsx."""
    m = COUNTY_RE.search(path.stem)
    return m.group(1) if m else None


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(REGISTRY_DDL)
    con.execute(QUARANTINE_DDL)


def registered_status(con: duckdb.DuckDBPyConnection, file_id: str) -> str | None:
    row = con.execute(
        "select status from raw_file_registry where file_id = ?", [file_id]
    ).fetchone()
    return row[0] if row else None


def active_file_for_slot(con: duckdb.DuckDBPyConnection, slot: str) -> str | None:
    row = con.execute(
        "select file_id from raw_file_registry where slot = ? and status = 'loaded'", [slot]
    ).fetchone()
    return row[0] if row else None
