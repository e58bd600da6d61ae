"""Load one dataset's landing files into the restricted store, file by file.

Each file is one transaction: read in batches, validated against its contract in DuckDB SQL,
passed through the privacy firewall, inserted, then de-duplicated on the contract's primary
key (within the file and against rows already loaded from other files), with its quarantine
and registry rows. A file that cannot be read, whose header does not fit (or fits another
dataset), or that matches no contract at all is registered as failed with a message naming the
file and saying what to fix, and the other files go on.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from models.privacy.pseudonym import Pseudonymiser
from pipelines.ingest.contracts import Contract, load_contracts, normalise_header
from pipelines.ingest.firewall import apply_firewall, stored_select
from pipelines.ingest.readers import (
    PROBLEM,
    ROW,
    SUPPORTED,
    NeedsExactReader,
    UnreadableFileError,
    read_chunks,
)
from pipelines.ingest.registry import (
    FileIdentity,
    active_file_for_slot,
    ensure_tables,
    identify,
    registered_status,
)
from pipelines.ingest.validate import (
    HeaderError,
    ReferenceSets,
    build_sql,
    ident,
    map_headers,
    over,
    validate_batch,
)

log = logging.getLogger(__name__)
COUNTY_RE = re.compile(r"_(\d{6})(?=_|$)")
UNKNOWN_DATASET = "(unknown)"
MEMORY_LIMIT = "96MB"


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
    con.execute(
        f"create table if not exists {contract.table} ({cols}, _file_id varchar, _row_number bigint)"
    )


def _matches(path: Path, contract: Contract) -> bool:
    return any(fnmatch.fnmatch(path.name, p) for p in contract.files)


def files_for(landing: Path, contract: Contract, months: Iterable[str] | None = None) -> list[Path]:
    folder = landing / contract.source
    if not folder.is_dir():
        return []
    wanted = set(months) if months is not None else None
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not _matches(path, contract):
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


def county_of(path: Path) -> str | None:
    """The 6-digit county code in a file name such as hotline_calls_511321_2024-05.xlsx."""
    m = COUNTY_RE.search(path.stem)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- unknown files


def unknown_files(
    landing: Path, source: str, contracts: dict[str, Contract] | None = None
) -> list[Path]:
    """Files in ``landing/<source>/`` that no contract of that source claims."""
    contracts = contracts or load_contracts()
    folder = landing / source
    if not folder.is_dir():
        return []
    mine = [c for c in contracts.values() if c.source == source]
    return [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and not any(_matches(p, c) for c in mine)
    ]


def unknown_file_message(path: Path, source: str, contracts: dict[str, Contract]) -> str:
    elsewhere = [c for c in contracts.values() if c.source != source and _matches(path, c)]
    if elsewhere:
        c = elsewhere[0]
        return (
            f"{source}/{path.name}: a {c.dataset} file in the {source} folder: "
            f"move it to landing/{c.source}/"
        )
    names = ", ".join(f"{c.dataset}_…" for c in contracts.values() if c.source == source)
    message = f"{source}/{path.name}: unknown dataset: rename it to one of {names}"
    looks = guess_dataset_of_file(path, contracts)
    if looks is not None:
        c = contracts[looks]
        message += (
            f" (its header looks like {c.dataset}: name it {c.dataset}_… in landing/{c.source}/)"
        )
    return message


def register_unknown_files(
    con: duckdb.DuckDBPyConnection, landing: Path, source: str
) -> list[FileResult]:
    """Register (failed, with a message) every file of a source folder that matches no
    contract, so nothing in the landing zone is silently ignored. Idempotent."""
    contracts = load_contracts()
    ensure_tables(con)
    out = []
    for path in unknown_files(landing, source, contracts):
        ident_ = identify(path)
        if registered_status(con, ident_.file_id) is not None:
            continue
        message = unknown_file_message(path, source, contracts)
        log.warning("file rejected: %s", message)
        con.execute(
            "insert or replace into raw_file_registry values (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                ident_.file_id,
                UNKNOWN_DATASET,
                source,
                path.name,
                ident_.slot,
                ident_.period,
                0,
                0,
                0,
                "failed",
                message,
                dt.datetime.now(),
            ],
        )
        out.append(FileResult(path.name, "failed", message=message))
    return out


def guess_dataset(columns: list[str], contracts: dict[str, Contract] | None = None) -> str | None:
    """The dataset whose required headers all appear among ``columns`` (most hits wins)."""
    contracts = contracts or load_contracts()
    folded = {normalise_header(c.split("__dup")[0]) for c in columns}
    best, best_hits = None, 0
    for c in contracts.values():
        lookup = c.header_lookup()
        hit_names = {lookup[h] for h in folded if h in lookup}
        required = {n for n, s in c.columns.items() if s.required}
        if required <= hit_names and len(hit_names) > best_hits:
            best, best_hits = c.dataset, len(hit_names)
    return best


def guess_dataset_of_file(path: Path, contracts: dict[str, Contract]) -> str | None:
    known = {h for c in contracts.values() for h in c.header_lookup()}
    try:
        first = next(iter(read_chunks(path, known, exact=True)))
    except Exception:  # unreadable: the name-based message is all we can say
        return None
    return guess_dataset([c for c in first.column_names if c not in (ROW, PROBLEM)], contracts)


# --------------------------------------------------------------------------- loading


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    paths: list[Path],
    pseudonymiser: Pseudonymiser,
    refs: ReferenceSets,
    now: pd.Timestamp,
) -> list[FileResult]:
    ensure_tables(con)
    ensure_raw_table(con, contract)
    refs.register(con)
    with bounded_memory(con):
        return [ingest_file(con, contract, p, pseudonymiser, refs, now) for p in paths]


@contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection, limit: str = MEMORY_LIMIT):
    """Cap DuckDB's buffer memory while loading so a large file spills to disk instead of
    growing the process (one file is one transaction); the previous setting is restored."""
    names = ("memory_limit",)  # temp settings stay: DuckDB refuses to change them once used
    before = {n: con.execute(f"select current_setting('{n}')").fetchone()[0] for n in names}
    db_path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    if db_path:  # spill next to the store, encrypted like it (never plaintext row data on disk)
        spill = str(Path(db_path).parent / "ingest.tmp")
        if con.execute("select current_setting('temp_directory')").fetchone()[0] != spill:
            try:
                con.execute(f"set temp_directory = {_lit(spill)}")
            except duckdb.Error:  # already spilling elsewhere in this session: keep that
                pass
        con.execute("set temp_file_encryption = true")
    con.execute(f"set memory_limit = '{limit}'")
    try:
        yield
    finally:
        for name, value in before.items():
            con.execute(f"set {name} = {_lit(str(value))}")


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    path: Path,
    pseudonymiser: Pseudonymiser,
    refs: ReferenceSets,
    now: pd.Timestamp,
) -> FileResult:
    ident_ = identify(path)
    if registered_status(con, ident_.file_id) is not None:
        return FileResult(path.name, "unchanged")
    for exact in (False, True):
        con.execute("begin transaction")
        try:
            result = _load(con, contract, path, ident_, pseudonymiser, refs, now, exact)
        except NeedsExactReader:
            con.execute("rollback")
            continue
        except (UnreadableFileError, HeaderError) as exc:
            con.execute("rollback")
            message = f"{contract.source}/{path.name}: {exc}"
            log.warning("file rejected: %s", message)
            _register(con, contract, path, ident_, 0, 0, 0, "failed", message)
            return FileResult(path.name, "failed", message=message)
        except Exception:
            con.execute("rollback")
            raise
        con.execute("commit")
        return result
    raise AssertionError("unreachable: the exact reader never asks for itself")


def _header_error(exc: HeaderError, columns: list[str], contract: Contract) -> HeaderError:
    looks = guess_dataset(columns)
    if looks is None or looks == contract.dataset:
        return exc
    other = load_contracts()[looks]
    return HeaderError(
        f"{exc}. Its header looks like a {looks} file, not {contract.dataset}: "
        f"name it {looks}_… and put it in landing/{other.source}/"
    )


def _load(
    con, contract: Contract, path: Path, ident_: FileIdentity, pseudonymiser, refs, now, exact: bool
) -> FileResult:
    known = set(contract.header_lookup())
    rows_in = quarantined = 0
    sql = stored = None
    county = county_of(path)
    superseded = active_file_for_slot(con, ident_.slot)
    if superseded:
        con.execute(f"delete from {contract.table} where _file_id = ?", [superseded])
        con.execute(
            "update raw_file_registry set status = 'superseded' where file_id = ?", [superseded]
        )
    for batch in read_chunks(path, known, exact=exact):
        if sql is None:
            columns = [c for c in batch.column_names if c not in (ROW, PROBLEM)]
            try:
                mapping = map_headers(columns, contract)
            except HeaderError as exc:
                raise _header_error(exc, columns, contract) from exc
            sql = build_sql(contract, mapping, columns, refs, now, county)
            stored = f"select {', '.join(stored_select(contract))}, _row_number from _t"
        rows_in += batch.num_rows
        if batch.num_rows == 0:
            continue
        checked = validate_batch(con, batch, sql, contract)
        quarantined += _quarantine(con, contract, path, ident_, checked.rejected)
        generalised = over(con, stored, checked.good).fetch_arrow_table()
        out, refused = apply_firewall(generalised, contract, pseudonymiser)
        quarantined += _quarantine(con, contract, path, ident_, refused)
        out = out.append_column("_file_id", pa.array([ident_.file_id] * out.num_rows, pa.string()))
        over(con, f"insert into {contract.table} by name select * from _t", out)
    quarantined += _drop_duplicate_keys(con, contract, path, ident_)
    loaded = con.execute(
        f"select count(*) from {contract.table} where _file_id = ?", [ident_.file_id]
    ).fetchone()[0]
    message = "no data rows (header only)" if rows_in == 0 else ""
    _register(con, contract, path, ident_, rows_in, loaded, quarantined, "loaded", message)
    return FileResult(
        path.name, "loaded", rows_in, loaded, quarantined, message, superseded=superseded
    )


def _drop_duplicate_keys(con, contract: Contract, path: Path, ident_: FileIdentity) -> int:
    """Quarantine rows whose primary key repeats an earlier row of this file or a loaded row."""
    key = ", ".join(ident(k) for k in contract.primary_key)
    on = " and ".join(f"t.{ident(k)} = m.{ident(k)}" for k in contract.primary_key)
    fields = ",".join(contract.primary_key)
    dups = con.execute(
        f"""
        with mine as (
            select rowid as rid, _row_number, {key} from {contract.table} where _file_id = $1
        ), ranked as (
            select rid, _row_number,
                   first_value(_row_number) over (partition by {key} order by _row_number) as first_row
            from mine
        ), earlier as (
            select m.rid, m._row_number, min(t._row_number) as other_row, min(r.file_name) as other_file
            from mine m join {contract.table} t on {on} and t._file_id <> $1
            left join raw_file_registry r on r.file_id = t._file_id
            group by all
        ), dups as (
            select rid, _row_number,
                   {_lit(fields + ": duplicate of row ")} || first_row || ' of this file' as reason
            from ranked where _row_number <> first_row
            union all
            select rid, _row_number,
                   {_lit(fields + ": duplicate of a row already loaded (")} || coalesce(other_file, '?')
                   || ' row ' || other_row || ')' as reason
            from earlier where rid not in (select rid from ranked where _row_number <> first_row)
        )
        select rid, _row_number, reason from dups
    """,
        [ident_.file_id],
    ).fetch_arrow_table()
    if dups.num_rows == 0:
        return 0
    over(con, f"delete from {contract.table} where rowid in (select rid from _t)", dups)
    rows = pa.table(
        {
            "_row_number": dups["_row_number"],
            "field": pa.array([fields] * dups.num_rows, pa.string()),
            "reason": dups["reason"],
            "raw_json": pa.array(["{}"] * dups.num_rows, pa.string()),
        }
    )
    return _quarantine(con, contract, path, ident_, rows)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quarantine(
    con, contract: Contract, path: Path, ident_: FileIdentity, rejected: pa.Table
) -> int:
    if rejected.num_rows == 0:
        return 0
    over(
        con,
        "insert into raw_quarantine (file_id, dataset, file_name, row_number, field, reason, raw_json) "
        f"select {_lit(ident_.file_id)}, {_lit(contract.dataset)}, {_lit(path.name)}, "
        "_row_number, field, reason, raw_json from _t",
        rejected,
    )
    return rejected.num_rows


def _register(
    con, contract, path, ident_: FileIdentity, rows_in, loaded, quarantined, status, message
) -> None:
    con.execute(
        "insert or replace into raw_file_registry values (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            ident_.file_id,
            contract.dataset,
            contract.source,
            path.name,
            ident_.slot,
            ident_.period,
            rows_in,
            loaded,
            quarantined,
            status,
            message,
            dt.datetime.now(),
        ],
    )


__all__ = [
    "FileResult",
    "ensure_raw_table",
    "files_for",
    "ingest_files",
    "ingest_file",
    "register_unknown_files",
    "unknown_files",
    "guess_dataset",
    "county_of",
    "SUPPORTED",
]
