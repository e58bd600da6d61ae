"""dbt inside the Dagster run's own process, behind dagster-dbt's unchanged event handling.

dagster-dbt starts dbt as a subprocess, so every dbt asset of a run imports dbt again
(≈ 3 s) after a ``dbt --version`` subprocess that imports it once more, although the run's
process has dbt imported already (dagster-dbt uses it). ``InProcessDbtCliResource`` keeps
``DbtCliResource.cli`` doing all of its work (asset and check selection, environment,
target path, partial-parse file) and replaces only the process it would start by
``DbtInProcess``: dbt's programmatic entry point (``dbtRunner``) in a thread, writing the
JSON log lines the CLI would print to a pipe that dagster-dbt reads as the process's stdout.
So Dagster receives the same events, asset checks and errors as from the CLI.

When dbt returns, its DuckDB stores are closed (checkpointed, no write-ahead log left),
as at the end of a CLI process: the publication step copies the store right after.
"""

import contextlib
import ctypes
import gc
import os
import subprocess
import threading
import types
from functools import cached_property

from dagster_dbt import DbtCliResource
from dagster_dbt.core import dbt_cli_invocation
from packaging import version

# the levels dbt's CLI prints to stdout by default (dagster-dbt reads those)
STDOUT_LEVELS = frozenset({"info", "warn", "error"})
# dbt's global options in the pipeline: no manifest.json / run_results.json per command (the
# manifest, 2.5 MB, was written twice a command, ~0.8 s; Dagster records every node's result
# and nothing reads the files; partial parsing keeps its own file)
PIPELINE_FLAGS = ("--no-write-json",)


class DbtInProcess:
    """The part of ``subprocess.Popen`` that dagster-dbt's ``DbtCliInvocation`` uses, for a
    dbt command run in this process. Exit status as dbt's CLI: 0 success, 1 failed nodes,
    2 an error that stopped dbt."""

    def __init__(self, args, stdout=None, stderr=None, env=None, cwd=None, **_):
        self.args = list(args)
        self.returncode: int | None = None
        read_fd, self._write_fd = os.pipe()
        self.stdout = os.fdopen(read_fd, "rb")
        self._env = dict(os.environ if env is None else env)
        self._thread = threading.Thread(target=self._run, name="dbt-in-process", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        out = os.fdopen(self._write_fd, "wb")
        lock = threading.Lock()  # dbt fires events from its worker threads

        def write(line: str) -> None:
            with lock:
                out.write(line.encode() + b"\n")
                out.flush()

        try:
            from dbt.cli.main import dbtRunner
            from dbt_common.events.functions import msg_to_json

            def forward(msg) -> None:
                if msg.info.level in STDOUT_LEVELS:
                    write(msg_to_json(msg))

            env = {**self._env, "DBT_QUIET": "true"}  # events go to the pipe
            with _environment(env), _collector_set_for_dbt():
                result = dbtRunner(callbacks=[forward]).invoke(self.args[1:])
            if result.exception is not None:
                write(f"dbt stopped: {result.exception!r}")
            self.returncode = 0 if result.success else (1 if result.exception is None else 2)
        except BaseException as error:  # noqa: BLE001 - reported through the exit status
            write(f"dbt raised: {error!r}")
            self.returncode = 2
        finally:
            close_dbt_stores()
            out.close()

    def wait(self, timeout: float | None = None) -> int:
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self.returncode

    def poll(self) -> int | None:
        return None if self._thread.is_alive() else self.returncode

    def send_signal(self, _signal) -> None:
        """Interrupt dbt as Ctrl-C interrupts the CLI (dbt cancels its open queries)."""
        if self._thread.is_alive():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(self._thread.ident), ctypes.py_object(KeyboardInterrupt)
            )

    terminate = kill = lambda self: self.send_signal(None)  # noqa: E731


def close_dbt_stores() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the process (as its exit hook
    does): the stores are checkpointed and their write-ahead logs removed."""
    with contextlib.suppress(ImportError):
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        DuckDBConnectionManager.close_all_connections()


@contextlib.contextmanager
def _environment(env: dict[str, str]):
    """``os.environ`` as the dbt process would have had it, restored afterwards."""
    before = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)


@contextlib.contextmanager
def _collector_set_for_dbt():
    """Young-generation collections as rare as in ``xintai-dbt`` while dbt runs (the run's
    process holds dbt's and Dagster's long-lived objects: pipelines/dbt_cli.py)."""
    from pipelines.dbt_cli import YOUNG_THRESHOLD

    before = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def _dbt_started_in_process():
    """dagster-dbt's invocation module sees a ``subprocess`` whose ``Popen`` is DbtInProcess."""
    shim = types.ModuleType("subprocess")
    shim.__dict__.update(subprocess.__dict__)
    shim.Popen = DbtInProcess
    real = dbt_cli_invocation.subprocess
    dbt_cli_invocation.subprocess = shim
    try:
        yield
    finally:
        dbt_cli_invocation.subprocess = real


class InProcessDbtCliResource(DbtCliResource):
    """``DbtCliResource`` whose commands run in this process (see the module docstring)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)

    def cli(self, args, **kwargs):
        with _dbt_started_in_process():
            return super().cli(args, **kwargs)
