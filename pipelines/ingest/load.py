"""Load one dataset's landing files into the restricted store, file by file.

Each file is one transaction: read in chunks, validated against its contract, passed through
the privacy firewall, de-duplicated on the contract's primary key (within the file and against
rows already loaded from other files), then stored with its quarantine and registry rows. A
file that cannot be read is registered as failed with a message saying what to fix, and the
other files go on.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from models.privacy.pseudonym import Pseudonymiser
from pipelines.ingest.contracts import Contract
from pipelines.ingest.firewall import apply_firewall
from pipelines.ingest.readers import UnreadableFileError, read_chunks
from pipelines.ingest.registry import (
    FileIdentity, active_file_for_slot, ensure_tables, identify, registered_status,
)
from pipelines.ingest.validate import HeaderError, ReferenceSets, map_headers, validate_chunk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileResult:
    file_name: str
    status: str  # loaded | failed | unchanged
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""
    superseded: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    cols = ", ".join(f'"{n}" {t}' for n, t in contract.output_columns().items())
    con.execute(f"create table if not exists {contract.table} ({cols}, _file_id varchar, _row_number bigint)")


def files_for(landing: Path, contract: Contract, months: Iterable[str] | None = None) -> list[Path]:
    folder = landing / contract.source
    if not folder.is_dir():
        return []
    wanted = set(months) if months is not None else None
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not any(fnmatch.fnmatch(path.name, p) for p in contract.files):
            continue
        if wanted is not None and contract.is_monthly:
            period = identify_period(path)
            if period is not None and period not in wanted:
                continue
        out.append(path)
    return out


def identify_period(path: Path) -> str | None:
    from pipelines.ingest.registry import PERIOD_RE

    m = PERIOD_RE.search(path.stem)
    return m.group(1) if m else None


def ingest_files(
    con: duckdb.DuckDBPyConnection, contract: Contract, paths: list[Path],
    pseudonymiser: Pseudonymiser, refs: ReferenceSets, now: pd.Timestamp,
) -> list[FileResult]:
    ensure_tables(con)
    ensure_raw_table(con, contract)
    return [ingest_file(con, contract, p, pseudonymiser, refs, now) for p in paths]


def ingest_file(
    con: duckdb.DuckDBPyConnection, contract: Contract, path: Path,
    pseudonymiser: Pseudonymiser, refs: ReferenceSets, now: pd.Timestamp,
) -> FileResult:
    ident = identify(path)
    if registered_status(con, ident.file_id) is not None:
        return FileResult(path.name, "unchanged")
    con.execute("begin transaction")
    try:
        result = _load(con, contract, path, ident, pseudonymiser, refs, now)
    except (UnreadableFileError, HeaderError) as exc:
        con.execute("rollback")
        message = f"{contract.source}/{path.name}: {exc}"
        log.warning("file rejected: %s", message)
        _register(con, contract, path, ident, 0, 0, 0, "failed", message)
        return FileResult(path.name, "failed", message=message)
    except Exception:
        con.execute("rollback")
        raise
    con.execute("commit")
    return result


def _load(con, contract, path, ident: FileIdentity, pseudonymiser, refs, now) -> FileResult:
    known = set(contract.header_lookup())
    rows_in = loaded = quarantined = 0
    mapping = None
    stage = f"_stage_{contract.dataset}"
    con.execute(f"create or replace temp table {stage} as select * from {contract.table} limit 0")
    for first_row, frame in read_chunks(path, known):
        if mapping is None:
            mapping = map_headers(list(frame.columns), contract)
        rows_in += len(frame)
        checked = validate_chunk(frame, first_row, contract, mapping, refs, now)
        stored, refused = apply_firewall(checked.good, contract, pseudonymiser)
        quarantined += _quarantine(con, contract, path, ident, checked.rejected)
        quarantined += _quarantine(con, contract, path, ident, refused)
        stored["_file_id"] = ident.file_id
        con.register("_chunk", stored)
        con.execute(f"insert into {stage} by name select * from _chunk")
        con.unregister("_chunk")
    if mapping is None:
        raise UnreadableFileError("file has a header but no data rows")
    superseded = active_file_for_slot(con, ident.slot)
    if superseded:
        con.execute(f"delete from {contract.table} where _file_id = ?", [superseded])
        con.execute("update raw_file_registry set status = 'superseded' where file_id = ?", [superseded])
    quarantined += _drop_duplicate_keys(con, contract, path, ident, stage)
    loaded = con.execute(f"select count(*) from {stage}").fetchone()[0]
    con.execute(f"insert into {contract.table} by name select * from {stage}")
    con.execute(f"drop table {stage}")
    _register(con, contract, path, ident, rows_in, loaded, quarantined, "loaded", "")
    return FileResult(path.name, "loaded", rows_in, loaded, quarantined, superseded=superseded)


def _drop_duplicate_keys(con, contract: Contract, path: Path, ident: FileIdentity, stage: str) -> int:
    """Quarantine rows whose primary key repeats an earlier row of this file or a loaded row."""
    key = ", ".join(f'"{k}"' for k in contract.primary_key)
    dups = con.execute(f"""
        with ranked as (
            select _row_number, row_number() over (partition by {key} order by _row_number) as n
            from {stage}
        ), earlier as (
            select s._row_number from {stage} s join {contract.table} t using ({key})
        )
        select _row_number, 'duplicate of an earlier row in this file' from ranked where n > 1
        union all
        select _row_number, 'duplicate of a row already loaded from another file' from earlier
    """).fetchall()
    if not dups:
        return 0
    rows = pd.DataFrame(dups, columns=["_row_number", "reason"]).drop_duplicates("_row_number")
    rows["field"] = ",".join(contract.primary_key)
    rows["reason"] = rows["field"] + ": " + rows["reason"]
    rows["raw"] = [{} for _ in range(len(rows))]
    con.register("_dups", rows[["_row_number"]])
    con.execute(f"delete from {stage} where _row_number in (select _row_number from _dups)")
    con.unregister("_dups")
    return _quarantine(con, contract, path, ident, rows)


def _quarantine(con, contract: Contract, path: Path, ident: FileIdentity, rejected: pd.DataFrame) -> int:
    if rejected.empty:
        return 0
    frame = pd.DataFrame({
        "file_id": ident.file_id, "dataset": contract.dataset, "file_name": path.name,
        "row_number": rejected["_row_number"].astype("int64"),
        "field": rejected["field"], "reason": rejected["reason"],
        "raw_json": [json.dumps(r, ensure_ascii=False, default=str) for r in rejected["raw"]],
    })
    con.register("_q", frame)
    con.execute("insert into raw_quarantine by name select * from _q")
    con.unregister("_q")
    return len(frame)


def _register(con, contract, path, ident: FileIdentity, rows_in, loaded, quarantined, status, message) -> None:
    con.execute(
        "insert or replace into raw_file_registry values (?,?,?,?,?,?,?,?,?,?,?,?)",
        [ident.file_id, contract.dataset, contract.source, path.name, ident.slot, ident.period,
         rows_in, loaded, quarantined, status, message, dt.datetime.now()],
    )
