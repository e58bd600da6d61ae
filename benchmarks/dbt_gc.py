"""Seconds CPython's cyclic garbage collector spends in one dbt command.

Runs the given dbt command line in this process, started either as dbt's own ``dbt``
(default collector) or as xintai's ``xintai-dbt`` (pipelines/dbt_cli.py: imports frozen,
higher thresholds), and times every collection with ``gc.callbacks``. Prints JSON: wall
seconds of the command, seconds in collections, number of collections.

    .venv/bin/python benchmarks/dbt_gc.py default|tuned DBT_ARGS...
"""

from __future__ import annotations

import atexit
import gc
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(mode: str, args: list[str]) -> None:
    spent = {"seconds": 0.0, "collections": 0, "_since": 0.0}

    def timer(phase: str, _info: dict) -> None:
        if phase == "start":
            spent["_since"] = time.perf_counter()
        else:
            spent["seconds"] += time.perf_counter() - spent["_since"]
            spent["collections"] += 1

    gc.callbacks.append(timer)
    started = time.perf_counter()

    def report() -> None:  # dbt leaves through sys.exit
        print(json.dumps({
            "mode": mode,
            "wall_seconds": round(time.perf_counter() - started, 2),
            "gc_seconds": round(spent["seconds"], 2),
            "collections": spent["collections"],
        }))

    atexit.register(report)
    sys.argv = ["dbt", *args]
    if mode == "tuned":
        from pipelines.dbt_cli import main as tuned

        sys.exit(tuned())
    from dbt.cli.main import cli

    sys.exit(cli())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
