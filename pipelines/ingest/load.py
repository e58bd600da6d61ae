"""Load one dataset's landing files into the restricted store, file by file.

Each file is one transaction: read in batches, validated against its contract in DuckDB SQL,
passed through the privacy firewall (both in ``prepare``, in worker processes for larger
loads), inserted, then de-duplicated on the contract's primary key (within the file and
against rows already loaded from other files), with its quarantine and registry rows. This
process is the store's only writer and takes the files in their given order, so a parallel
load gives the same tables as a serial one. A file that cannot be read, whose header does not
fit (or fits another dataset), or that matches no contract at all is registered as failed
with a message naming the file and saying what to fix, and the other files go on.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from models.privacy.pseudonym import Pseudonymiser
from pipelines.ingest.contracts import Contract, load_contracts
from pipelines.ingest.prepare import Preparation, Prepared, preparation, worker_count
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
    county_of,
    ensure_tables,
    identify,
    registered_status,
)
from pipelines.ingest.validate import HeaderError, ReferenceSets, guess_dataset, ident, over

log = logging.getLogger(__name__)
UNKNOWN_DATASET = "(unknown)"
MEMORY_LIMIT = "96MB"
CHECKPOINT_EVERY = "32MB"  # of write-ahead log; DuckDB: 16MB (see bounded_memory)


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
    workers: int | None = None,
) -> list[FileResult]:
    """Load ``paths`` in order, one transaction per file. Files are read, validated and
    firewalled by ``workers`` processes (default: one per core for loads of a few MB and
    more, see ``prepare.worker_count``; 0 = in this process); already registered files
    (re-ingest) are not read at all."""
    ensure_tables(con)
    ensure_raw_table(con, contract)
    refs.register(con)
    identities = [identify(p) for p in paths]
    todo = [i for i, f in enumerate(identities) if registered_status(con, f.file_id) is None]
    position = {i: k for k, i in enumerate(todo)}  # paths[i] is todo file k for preparation
    todo_paths = [paths[i] for i in todo]
    n = worker_count(workers, todo_paths)
    with (
        bounded_memory(con),
        preparation(contract, pseudonymiser, refs, now, todo_paths, n) as source,
    ):
        return [
            ingest_file(con, contract, p, identities[i], source, position[i])
            if i in position
            else FileResult(p.name, "unchanged")
            for i, p in enumerate(paths)
        ]


@contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection, limit: str = MEMORY_LIMIT):
    """Cap DuckDB's buffer memory while loading so a large file spills to disk instead of
    growing the process (one file is one transaction), and checkpoint less often: each
    checkpoint recompresses the table's last, partly filled row group, so at DuckDB's 16 MB
    default a load of monthly files compresses much of its data twice (32 MB cut the commit
    time of scale-10 student screening by ~40%; 64 MB kept too much unflushed data in the
    capped memory). Committed files are durable in the encrypted write-ahead log between
    checkpoints; the store is checkpointed when the load ends. Settings are restored."""
    # temp settings stay: DuckDB refuses to change them once used
    names = ("memory_limit", "checkpoint_threshold")
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
    con.execute(f"set checkpoint_threshold = '{CHECKPOINT_EVERY}'")
    try:
        yield
        con.execute("checkpoint")
    finally:
        for name, value in before.items():
            con.execute(f"set {name} = {_lit(str(value))}")


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    path: Path,
    ident_: FileIdentity,
    source: Preparation,
    index: int,
) -> FileResult:
    """One file as one transaction; its batches come from ``source`` (``index`` is its
    position there)."""
    if registered_status(con, ident_.file_id) is not None:  # the same bytes twice in one load
        return FileResult(path.name, "unchanged")
    for exact in (False, True):
        con.execute("begin transaction")
        try:
            result = _load(con, contract, path, ident_, source.batches(index, path, exact))
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


def _load(
    con, contract: Contract, path: Path, ident_: FileIdentity, batches: Iterable[Prepared]
) -> FileResult:
    rows_in = quarantined = 0
    superseded = active_file_for_slot(con, ident_.slot)
    if superseded:
        con.execute(f"delete from {contract.table} where _file_id = ?", [superseded])
        con.execute(
            "update raw_file_registry set status = 'superseded' where file_id = ?", [superseded]
        )
    inserted = 0
    span = _KeySpan(contract)
    for prepared in batches:
        rows_in += prepared.rows_in
        for rejected in prepared.rejected:
            quarantined += _quarantine(con, contract, path, ident_, rejected)
        span.add(prepared.rows)
        over(
            con,
            f"insert into {contract.table} by name "
            f"select *, {_lit(ident_.file_id)} as _file_id from _t",
            prepared.rows,
        )
        inserted += prepared.rows.num_rows
    dropped = _drop_duplicate_keys(con, contract, path, ident_, span) if inserted else 0
    quarantined += dropped
    loaded = inserted - dropped  # a file's bytes are loaded once: no older rows carry its id
    message = "no data rows (header only)" if rows_in == 0 else ""
    _register(con, contract, path, ident_, rows_in, loaded, quarantined, "loaded", message)
    return FileResult(
        path.name, "loaded", rows_in, loaded, quarantined, message, superseded=superseded
    )


class _KeySpan:
    """The range of the file's partition column (its month) when that column is part of the
    primary key: no row outside it can share a key with the file's rows, so the duplicate
    check reads only the row groups whose dates overlap it (DuckDB's min/max zone maps), not
    every month already loaded."""

    def __init__(self, contract: Contract) -> None:
        part = contract.partition_column
        self.column = part if part in contract.primary_key else None
        self.lo = self.hi = None

    def add(self, rows: pa.Table) -> None:
        import pyarrow.compute as pc

        if self.column is None or rows.num_rows == 0:
            return
        lo, hi = (v.as_py() for v in pc.min_max(rows[self.column]).values())
        if lo is not None:
            self.lo = lo if self.lo is None else min(self.lo, lo)
            self.hi = hi if self.hi is None else max(self.hi, hi)

    def sql(self, alias: str = "") -> str:
        """A condition on the range (``$2``/``$3``), or nothing."""
        if self.column is None or self.lo is None:
            return ""
        return f" and {alias}{ident(self.column)} between $2 and $3"

    def params(self) -> list:
        return [self.lo, self.hi] if self.sql() else []


def _drop_duplicate_keys(
    con, contract: Contract, path: Path, ident_: FileIdentity, span: _KeySpan
) -> int:
    """Quarantine rows whose primary key repeats an earlier row of this file or a loaded row."""
    key = ", ".join(ident(k) for k in contract.primary_key)
    on = " and ".join(f"t.{ident(k)} = m.{ident(k)}" for k in contract.primary_key)
    same = " and ".join(
        f"f.{ident(k)} is not distinct from m.{ident(k)}" for k in contract.primary_key
    )
    fields = ",".join(contract.primary_key)
    dups = con.execute(
        f"""
        with mine as (
            select rowid as rid, _row_number, {key} from {contract.table}
            where _file_id = $1{span.sql()}
        ), firsts as (  -- keys repeated within the file, with their first row
            select {key}, min(_row_number) as first_row from mine group by all having count(*) > 1
        ), within as (
            select m.rid, m._row_number, f.first_row
            from mine m join firsts f on {same}
            where m._row_number <> f.first_row
        ), earlier as (
            select m.rid, m._row_number, min(t._row_number) as other_row, min(r.file_name) as other_file
            from mine m join {contract.table} t on {on} and t._file_id <> $1{span.sql("t.")}
            left join raw_file_registry r on r.file_id = t._file_id
            group by all
        ), dups as (
            select rid, _row_number,
                   {_lit(fields + ": duplicate of row ")} || first_row || ' of this file' as reason
            from within
            union all
            select rid, _row_number,
                   {_lit(fields + ": duplicate of a row already loaded (")} || coalesce(other_file, '?')
                   || ' row ' || other_row || ')' as reason
            from earlier where rid not in (select rid from within)
        )
        select rid, _row_number, reason from dups
    """,
        [ident_.file_id, *span.params()],
    ).to_arrow_table()
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
    # a plain insert (half the cost of an upsert): ingest_file registers only files whose
    # content hash it has just found unregistered (this process is the only writer)
    con.execute(
        "insert into raw_file_registry values (?,?,?,?,?,?,?,?,?,?,?,?)",
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
