"""Time ``xintai demo --no-serve`` at scale 1 on an empty home, with the per-stage split.

    .venv/bin/python benchmarks/demo_timing.py [--scale 1]

Runs the real command in a subprocess (fresh interpreter, as a user would), then reads the
Dagster step durations it prints. Writes benchmarks/results/demo_timing.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XINTAI_HOME": tmp, "DAGSTER_HOME": str(Path(tmp) / "dagster")}
        started = time.perf_counter()
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "xintai"), "demo", "--no-serve", "--scale", str(args.scale)],
            env=env, capture_output=True, text=True, cwd=ROOT,
        )
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stderr[-4000:], file=sys.stderr)
        return proc.returncode
    outcome = json.loads(proc.stdout[proc.stdout.rindex("\n{") + 1:])  # dbt logs come first
    steps = sorted(outcome["steps"].items(), key=lambda kv: -kv[1])
    lines = [
        f"# `xintai demo --no-serve` at scale {args.scale}",
        "",
        f"Command: `.venv/bin/python benchmarks/demo_timing.py --scale {args.scale}`  ",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, load average at start "
        f"{os.getloadavg()[0]:.1f}",
        "",
        f"- wall time, whole command: **{wall:.0f} s** (target < 300 s)",
        f"- generate: {outcome['timings_s']['generate']:.0f} s; run (Dagster, in-process): "
        f"{outcome['timings_s']['run']:.0f} s; the rest is interpreter start-up and dbt parsing",
        "",
        "| Dagster step | seconds |",
        "|---|---:|",
        *[f"| {k} | {v:.1f} |" for k, v in steps],
    ]
    out = ROOT / "benchmarks" / "results" / "demo_timing.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
