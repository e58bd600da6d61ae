"""One `dbt run` in a process that already has dbt imported and the project parsed.

The incremental benchmark runs dbt's CLI, which pays dbt's import and parse check on every
invocation. This script measures what the same run costs where those are paid once (a
long-running process: `dbtRunner` given the parsed manifest), to size that fixed cost.
Prints JSON: seconds to import dbt, to parse, and for the run itself.

    .venv/bin/python benchmarks/dbt_in_process.py HOME TARGET
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


def main(home: Path, target: Path) -> dict[str, float]:
    os.environ.update(build.env_for(home))
    started = time.perf_counter()
    from dbt.cli.main import dbtRunner

    imported = time.perf_counter()
    common = [*build.project_args(target), "--quiet"]
    parsed = dbtRunner().invoke(["parse", *common])
    if not parsed.success:
        raise RuntimeError(f"dbt parse failed: {parsed.exception}")
    ready = time.perf_counter()
    ran = dbtRunner(manifest=parsed.result).invoke(["run", *build.SELECTION, *common])
    if not ran.success:
        raise RuntimeError(f"dbt run failed: {ran.exception}")
    done = time.perf_counter()
    return {
        "import_seconds": round(imported - started, 2),
        "parse_seconds": round(ready - imported, 2),
        "run_seconds": round(done - ready, 2),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
