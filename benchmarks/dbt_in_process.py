"""One dbt command run as the pipeline runs it: inside a process that has dbt imported.

A Dagster run has dbt imported (dagster-dbt uses it) and runs each dbt command in its own
process (pipelines/dbt_in_process.py). This script does the same in a fresh process: it
imports what the run's process has (timed apart), then times the command, with the
pipeline's global options, from its start to its stores being closed, including dbt's parse
check. Prints JSON: import_seconds, run_seconds, model_seconds (the models' execution
times, from dbt's events), returncode.

    .venv/bin/python benchmarks/dbt_in_process.py HOME TARGET DBT_ARGS...
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.warehouse import build  # noqa: E402


def main(home: Path, target: Path, args: list[str]) -> dict:
    os.environ.update(build.env_for(home))
    started = time.perf_counter()
    # what a Dagster run's process has imported before its dbt asset starts: dagster-dbt,
    # dbt, the DuckDB adapter dagster-dbt registers, pandas (ingest)
    import dagster_dbt  # noqa: F401
    import dbt.adapters.duckdb  # noqa: F401
    import dbt.cli.main  # noqa: F401
    import pandas  # noqa: F401

    from pipelines.dbt_in_process import PIPELINE_FLAGS, DbtInProcess

    imported = time.perf_counter()
    process = DbtInProcess([build.DBT, *PIPELINE_FLAGS, *args, *build.project_args(target)])
    with process.stdout:
        lines = [line.decode() for line in process.stdout]
    returncode = process.wait()
    done = time.perf_counter()
    if returncode != 0:
        sys.stderr.write("".join(lines[-40:]))
    return {
        "import_seconds": round(imported - started, 2),
        "run_seconds": round(done - imported, 2),
        "model_seconds": round(model_seconds(lines), 2),
        "returncode": returncode,
    }


def model_seconds(lines: list[str]) -> float:
    """Sum of the models' execution times in dbt's result events."""
    total = 0.0
    for line in lines:
        if '"LogModelResult"' in line:
            total += json.loads(line)["data"]["execution_time"]
    return total


if __name__ == "__main__":
    outcome = main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
    print(json.dumps(outcome))
    sys.exit(outcome["returncode"])
