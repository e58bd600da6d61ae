"""The CPU-bound half of loading a landing file: read, validate, firewall; in parallel.

:class:`Preparer` turns one file into :class:`Prepared` batches: rows ready to store (typed,
generalised, pseudonymised, redacted) and rows to quarantine with row, field and reason. It
never touches the restricted store. Its validation SQL runs in its own in-memory DuckDB
connection that never spills to disk (the rows still hold direct identifiers there), as one
prepared statement per header layout: planning the statement costs more than running it on
a typical monthly file of a few hundred rows.

:func:`preparation` runs a Preparer in the calling process or, for larger loads, one in each
of a few worker processes. Workers take the files round-robin and stream each file's batches
back through a bounded queue in file order, so the single writer of the restricted store
(``load.ingest_files``) inserts, de-duplicates, registers and commits file after file exactly
as a serial load does, and memory stays bounded by a few batches per worker. The pseudonym
key reaches a worker only in memory, as an argument of its start (see
``Pseudonymiser.__reduce__``). Workers are forked from multiprocessing's fork server, a
fresh single-threaded process (no copy of the parent's threads, locks or open store) that
imports this module and loads the redaction lexicon once (``pipelines.ingest.worker_preload``),
so starting them costs milliseconds, not the seconds of a fresh interpreter each.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.privacy.pseudonym import Pseudonymiser
from pipelines.ingest import readers
from pipelines.ingest.contracts import Contract
from pipelines.ingest.firewall import apply_firewall, stored_select
from pipelines.ingest.readers import (
    PROBLEM,
    ROW,
    NeedsExactReader,
    UnreadableFileError,
    read_chunks,
)
from pipelines.ingest.registry import county_of
from pipelines.ingest.validate import (
    HeaderError,
    ReferenceSets,
    build_sql,
    header_error,
    map_headers,
    sql_date,
)

log = logging.getLogger(__name__)

WORKERS_ENV = "XINTAI_INGEST_WORKERS"  # 0 or 1: prepare in the loading process
MAX_WORKERS = 4
PARALLEL_MIN_BYTES = 4 << 20  # smaller loads: starting workers costs more than it saves
QUEUE_BATCHES = 3  # prepared batches a worker may hold ready beyond the one being read
VALIDATION_MEMORY = "1GB"  # per connection; batches are ~4 MB of text, never spilled
POLL_SECONDS = 1.0
CHECK_COLUMNS = ("_row_number", "__reason", "__field", "__raw")
PRELOAD = "pipelines.ingest.worker_preload"


@dataclass(frozen=True)
class Prepared:
    """One batch of a file: ``rows`` to store (stored columns and ``_row_number``) and the
    ``rejected`` tables (``_row_number``, ``field``, ``reason``, ``raw_json``) to quarantine."""

    rows_in: int
    rows: pa.Table
    rejected: tuple[pa.Table, ...]


class _Mailbox:
    """The Arrow data a prepared statement reads: DuckDB asks for a fresh stream on every
    execution, so one prepared plan serves every batch put here."""

    table: pa.Table | None = None

    def __arrow_c_stream__(self, requested_schema=None):
        if self.table is None:
            raise RuntimeError("no batch to validate")
        return self.table.__arrow_c_stream__(requested_schema)


class Preparer:
    """Reads, validates and firewalls the files of one dataset (one instance per process)."""

    def __init__(
        self,
        contract: Contract,
        pseudonymiser: Pseudonymiser,
        refs: ReferenceSets,
        now: pd.Timestamp,
        threads: int = 1,
    ) -> None:
        self.contract, self.pseudonymiser, self.refs, self.now = contract, pseudonymiser, refs, now
        self.known = set(contract.header_lookup())
        self.con = duckdb.connect(
            ":memory:",
            config={"threads": threads, "memory_limit": VALIDATION_MEMORY, "temp_directory": ""},
        )
        refs.register(self.con)
        self._box = _Mailbox()
        self._statements: dict[tuple[str, str], str] = {}
        self._stored = ", ".join(stored_select(contract, sql_date(now)))

    def close(self) -> None:
        self.con.close()

    def batches(self, path: Path, exact: bool = False) -> Iterator[Prepared]:
        """The file's prepared batches; raises UnreadableFileError or HeaderError for the
        whole file, NeedsExactReader when the fast CSV reader cannot take it."""
        sql = None
        for batch in read_chunks(path, self.known, exact=exact):
            if sql is None:
                columns = [c for c in batch.column_names if c not in (ROW, PROBLEM)]
                try:
                    mapping = map_headers(columns, self.contract)
                except HeaderError as exc:
                    raise header_error(exc, columns, self.contract) from exc
                checks = build_sql(
                    self.contract, mapping, columns, self.refs, self.now, county_of(path), "_box"
                )
                sql = (
                    f"select {self._stored}, {', '.join(CHECK_COLUMNS)} from ({checks}) as checked"
                )
            if batch.num_rows == 0:
                continue
            yield self._prepare(batch, sql)

    def _prepare(self, batch: pa.Table, sql: str) -> Prepared:
        result = self._check(_positional(batch), sql)
        bad = pc.is_valid(result["__reason"])
        stored = [c for c in result.column_names if c not in CHECK_COLUMNS] + ["_row_number"]
        rej = result.filter(bad)
        rejected = pa.table(
            {
                "_row_number": rej["_row_number"],
                "field": rej["__field"],
                "reason": rej["__reason"],
                "raw_json": rej["__raw"],
            }
        )
        rows, refused = apply_firewall(
            result.filter(pc.invert(bad)).select(stored), self.contract, self.pseudonymiser
        )
        return Prepared(batch.num_rows, rows, (rejected, refused))

    def _check(self, batch: pa.Table, sql: str) -> pa.Table:
        key = (sql, batch.schema.to_string())
        name = self._statements.get(key)
        self._box.table = batch
        try:
            if name is None:
                name = f"checked_{len(self._statements)}"
                _box = self._box  # noqa: F841 (DuckDB's replacement scan finds this local)
                self.con.execute(f"prepare {name} as {sql}")
                self._statements[key] = name
            return self.con.execute(f"execute {name}").to_arrow_table()
        finally:
            self._box.table = None


def _positional(batch: pa.Table) -> pa.Table:
    """The batch's file columns as c0, c1 … (their order in the file), so that no file
    header can collide with a name in the SQL."""
    out, j = [], 0
    for c in batch.column_names:
        if c in (ROW, PROBLEM):
            out.append(c)
        else:
            out.append(f"c{j}")
            j += 1
    return batch.rename_columns(out)


# --------------------------------------------------------------------------- where it runs


class Preparation(Protocol):
    def batches(self, index: int, path: Path, exact: bool) -> Iterator[Prepared]: ...


class _InProcess:
    def __init__(self, preparer: Preparer) -> None:
        self.preparer = preparer

    def batches(self, index: int, path: Path, exact: bool) -> Iterator[Prepared]:
        return self.preparer.batches(path, exact)


class IngestWorkerError(RuntimeError):
    """A worker process failed on a file with an unexpected error (its traceback attached)."""


BATCH, RESTART, DONE, FAILED, CRASHED = "batch", "restart", "done", "failed", "crashed"


def _work(
    pseudonymiser: Pseudonymiser,
    contract: Contract,
    refs: ReferenceSets,
    now: pd.Timestamp,
    tasks: list[tuple[int, str]],
    out: mp.Queue,
    batch_sizes: tuple[int, int],
) -> None:
    """A worker's life: prepare its files in order, every message tagged with the file's
    index; per file zero or more batches (a restart when it falls back to the exact CSV
    reader) and exactly one of done, failed or crashed. ``batch_sizes`` are the loader's
    reader settings, so batches are the same as in a serial load."""
    readers.BLOCK_BYTES, readers.CHUNK_ROWS = batch_sizes
    preparer = Preparer(contract, pseudonymiser, refs, now, threads=1)
    for index, name in tasks:
        path = Path(name)
        try:
            for exact in (False, True):
                try:
                    for prepared in preparer.batches(path, exact):
                        out.put((index, BATCH, prepared))
                except NeedsExactReader:
                    out.put((index, RESTART, None))
                    continue
                break
            out.put((index, DONE, None))
        except (UnreadableFileError, HeaderError) as exc:
            out.put((index, FAILED, exc))
        except BaseException:  # the parent re-raises it; this worker is done
            out.put((index, CRASHED, traceback.format_exc()))
            break
    preparer.close()
    out.close()
    out.join_thread()


@contextmanager
def _main_module_hidden():
    """Start workers without multiprocessing re-running the parent's ``__main__`` in them.

    A worker needs only this module, but multiprocessing re-imports the parent's main script
    in every child it starts unless the script is a package's ``__main__``. That script may
    be anything that imported the pipeline: a Streamlit page run by AppTest (which installs
    the page as ``__main__``), a notebook, a user's script; running it again in a worker at
    best wastes time and at worst fails the load. So its name and path are hidden while the
    workers start."""
    main = sys.modules.get("__main__")
    attrs = vars(main) if main is not None else {}
    saved = {a: attrs[a] for a in ("__spec__", "__file__") if a in attrs}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            main.__dict__["__spec__"] = None
        yield
    finally:
        if main is not None:
            main.__dict__.pop("__spec__", None)
            main.__dict__.update(saved)


class _Workers:
    """Worker processes preparing files round-robin (file ``i`` on worker ``i % n``)."""

    def __init__(
        self,
        n: int,
        contract: Contract,
        pseudonymiser: Pseudonymiser,
        refs: ReferenceSets,
        now: pd.Timestamp,
        paths: list[Path],
    ) -> None:
        ctx = _context()
        tasks = [(i, str(p)) for i, p in enumerate(paths)]
        sizes = (readers.BLOCK_BYTES, readers.CHUNK_ROWS)
        self.queues = [ctx.Queue(maxsize=QUEUE_BATCHES) for _ in range(n)]
        self.procs = [
            ctx.Process(
                target=_work,
                args=(pseudonymiser, contract, refs, now, tasks[w::n], self.queues[w], sizes),
                name=f"xintai-ingest-{contract.dataset}-{w}",
                daemon=True,
            )
            for w in range(n)
        ]
        with _main_module_hidden():
            for proc in self.procs:
                proc.start()

    def batches(self, index: int, path: Path, exact: bool) -> Iterator[Prepared]:
        """The worker's messages for file ``index`` (``exact`` is the worker's decision: after
        a restart the same stream goes on with the exact reader's batches)."""
        w = index % len(self.procs)
        while True:
            i, kind, payload = self._get(w)
            if i < index:  # left over from a file the loader skipped: drop
                continue
            if kind == BATCH:
                yield payload
            elif kind == RESTART:
                raise NeedsExactReader(f"{path.name}: re-reading with the exact reader")
            elif kind == DONE:
                return
            elif kind == FAILED:
                raise payload
            else:
                raise IngestWorkerError(f"preparing {path.name} failed in a worker:\n{payload}")

    def _get(self, w: int):
        q, proc = self.queues[w], self.procs[w]
        while True:
            try:
                return q.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if proc.is_alive():
                    continue
                try:  # it may have exited right after its last message
                    return q.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    raise IngestWorkerError(
                        f"ingest worker {proc.name} exited (code {proc.exitcode}) "
                        "before finishing its files"
                    ) from None

    def close(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self.procs:
            proc.join()
        for q in self.queues:
            q.close()
            q.cancel_join_thread()


def _context() -> mp.context.BaseContext:
    if "forkserver" not in mp.get_all_start_methods():  # not a POSIX system
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])  # no effect once this process's server runs
    return ctx


def worker_count(requested: int | None, paths: list[Path]) -> int:
    """Worker processes for preparing ``paths``: ``requested`` if given, else
    ``$XINTAI_INGEST_WORKERS``, else one per core (at most MAX_WORKERS) when the load is
    large enough to repay starting them. 0 means: prepare in this process."""
    if requested is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        if env:
            requested = int(env)
        elif len(paths) < 2 or sum(p.stat().st_size for p in paths) < PARALLEL_MIN_BYTES:
            requested = 0
        else:
            requested = min(len(os.sched_getaffinity(0)), MAX_WORKERS)
    n = min(requested, len(paths))
    if n <= 1 or mp.current_process().daemon:  # a daemonic process may not have children
        return 0
    return n


@contextmanager
def preparation(
    contract: Contract,
    pseudonymiser: Pseudonymiser,
    refs: ReferenceSets,
    now: pd.Timestamp,
    paths: list[Path],
    workers: int,
) -> Iterator[Preparation]:
    """Where ``paths`` (in this order; ``batches(i, …)`` is for ``paths[i]``) are prepared:
    this process (``workers`` 0) or that many worker processes."""
    if workers:
        pool = _Workers(workers, contract, pseudonymiser, refs, now, paths)
        log.info("preparing %d %s files in %d processes", len(paths), contract.dataset, workers)
        try:
            yield pool
        finally:
            pool.close()
    else:
        preparer = Preparer(contract, pseudonymiser, refs, now, threads=1)
        try:
            yield _InProcess(preparer)
        finally:
            preparer.close()


__all__ = [
    "IngestWorkerError",
    "Prepared",
    "Preparer",
    "preparation",
    "worker_count",
]
