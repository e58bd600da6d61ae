"""Build helpers for the warehouse tests and the incremental benchmark.

Ingestion is called through its Python API (the same functions the Dagster ingest assets
call, in dependency order) and dbt through its CLI with the environment `XintaiHome.dbt_env()`
gives the Dagster asset, so the tests exercise exactly what `xintai run` runs, without the
parts of the asset graph other stages own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = str(Path(sys.executable).parent / "xintai-dbt")  # as the pipeline runs it
XINTAI = str(Path(sys.executable).parent / "xintai")
# models of this warehouse (marts of other stages need their Python assets first)
SELECTION = [
    "--exclude",
    "path:models/marts/risk",
    "path:models/marts/text",
    "path:models/intermediate/text",
]
INGEST_ORDER = ["admin_units", "population", "township_geo", "service_capacity", "schools"]


def env_for(home: Path) -> dict[str, str]:
    from pipelines.resources import XintaiHome

    return {**XintaiHome(root=str(home)).dbt_env(), "DO_NOT_TRACK": "1"}


def generate(home: Path, months: int, seed: int | None = None, scale: int = 1) -> None:
    args = [XINTAI, "generate", "--months", str(months), "--scale", str(scale)]
    args += ["--seed", str(seed)] if seed else []
    subprocess.run(
        args, check=True, env={**os.environ, "XINTAI_HOME": str(home)}, stdout=subprocess.DEVNULL
    )


def ingest(home: Path, months: list[str] | None = None) -> dict[str, int]:
    """Ingest every landing file (or only those of `months`, YYYY-MM), contracts in order."""
    import pandas as pd

    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import files_for, ingest_files
    from pipelines.ingest.references import reference_sets
    from pipelines.resources import XintaiHome

    res = XintaiHome(root=str(home))
    contracts = load_contracts()
    order = INGEST_ORDER + sorted(set(contracts) - set(INGEST_ORDER))
    loaded = {}
    con = res.restricted()
    try:
        pseudonymiser = res.pseudonymiser()
        for name in order:
            contract = contracts[name]
            paths = files_for(res.layout.landing, contract, months)
            results = ingest_files(
                con, contract, paths, pseudonymiser, reference_sets(con), pd.Timestamp.now()
            )
            loaded[name] = sum(r.rows_loaded for r in results)
        con.execute("checkpoint")
    finally:
        con.close()
    return loaded


def project_args(target: Path) -> list[str]:
    """dbt's options naming this project and where its artefacts go (CLI and dbtRunner)."""
    return [
        "--project-dir", str(DBT_PROJECT),
        "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(target),
        "--log-path", str(target / "logs"),
    ]


def dbt(
    home: Path,
    command: list[str],
    target: Path,
    check: bool = True,
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess, float]:
    """Run dbt on `home`'s stores; returns the process and its wall time in seconds."""
    env = {**env_for(home), **(extra_env or {})}
    started = time.perf_counter()
    proc = subprocess.run(
        [DBT, *command, *project_args(target)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"dbt {' '.join(command)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
        )
    return proc, seconds


def run_results(target: Path) -> list[dict]:
    return json.loads((target / "run_results.json").read_text())["results"]


def published(home: Path):
    import duckdb

    from pipelines.resources.home import published_build_db
    from pipelines.settings import home as layout_of

    return duckdb.connect(str(published_build_db(layout_of(home))), read_only=True)


def restricted(home: Path, read_only: bool = True):
    from pipelines.resources import XintaiHome

    return XintaiHome(root=str(home)).restricted(read_only=read_only)


def hold_back(landing: Path, month: str, store: Path) -> list[Path]:
    moved = []
    for path in sorted(landing.rglob(f"*{month}*")):
        if path.is_file():
            dest = store / path.relative_to(landing)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, dest)
            moved.append(dest)
    return moved


def restore(store: Path, landing: Path) -> None:
    for path in sorted(store.rglob("*")):
        if path.is_file():
            dest = landing / path.relative_to(store)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, dest)


def snapshot(home: Path) -> dict[str, list]:
    """Every published mart's rows in a total order, bookkeeping (``_``) columns aside."""
    con = published(home)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' order by 1"
            ).fetchall()
        ]
        out = {}
        for t in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_name = ? "
                    "and column_name not like '\\_%' escape '\\' order by ordinal_position",
                    [t],
                ).fetchall()
            ]
            out[t] = con.execute(f"select {', '.join(cols)} from {t} order by all").fetchall()
    finally:
        con.close()
    return out
