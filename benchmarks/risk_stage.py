"""Benchmark: the whole risk stage on real run homes at scale 1 and scale 10.

The homes are made by ``xintai generate [--scale 10] --home H`` and ``xintai run --home H``
(the warehouse and the text stage must have run).  On each home the script times what the
``risk_stage`` asset does, phase by phase:

* read: the indicator counts, townships and population from the encrypted restricted store
  (``pipelines.assets.risk.stage.read_counts``: SQL in DuckDB);
* table: the indicator table (grid, denominators, Byar/Wilson intervals, EB smoothing);
* detect+composite: detectors over every series (township-share rule + the method
  ``select.py`` picks, via ``detect_many``), the composite index and the reasons;
* write: the three ``risk_*`` tables, into a scratch encrypted DuckDB file (the home is
  opened read-only and left as it is).

Scales are run alternately (1, 10, 1, 10, ...) ``--repeat`` times after one warm-up, so both
see the same machine load; the medians are reported with the load average.
``--synthetic-10`` adds, for comparison, the old method: ten copies of the scale-1 county with
Poisson-redrawn counts.  Writes benchmarks/results/risk_stage.md.

    .venv/bin/python benchmarks/risk_stage.py --home1 /tmp/risk_s1 --home10 /tmp/risk_s10
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from models.risk.composite import load_config, run_risk_stage
from models.risk.indicators import build_indicator_table
from pipelines.assets.risk.stage import (
    RISK_TABLES,
    available_indicators,
    has_text_stage,
    month_grid,
    read_counts,
    write_table,
)
from pipelines.settings import home as layout_of
from pipelines.warehouse import RESTRICTED_ALIAS, connect_restricted, load_crypto

RESULTS = Path(__file__).resolve().parent / "results" / "risk_stage.md"
PHASES = ("read_s", "table_s", "stage_s", "write_s", "total_s")


def read_inputs(home: Path) -> tuple[tuple, float]:
    """(counts, townships, population, indicators) from a run home, and the seconds it took."""
    t0 = time.perf_counter()
    con = connect_restricted(layout_of(str(home)), read_only=True)
    try:
        text = has_text_stage(con)
        if not text:
            raise SystemExit(f"{home}: the text stage has not run (xintai run --home {home})")
        inputs = (*read_counts(con, text), available_indicators(text))
    finally:
        con.close()
    return inputs, time.perf_counter() - t0


def replicate(counts, towns, pop, indicators, n: int, seed: int = 0):
    """``n`` counties shaped like the one in ``counts`` (new county codes, Poisson redraws)."""
    rng = np.random.default_rng(seed)
    cs, ts, ps = [], [], []
    for k in range(n):
        code = f"{900000 + k:06d}"

        def recode(s: pd.Series, code: str = code) -> pd.Series:
            return code + s.str[6:]

        c = counts.copy()
        c["township_code"] = recode(c["township_code"])
        if k:
            c["numerator"] = rng.poisson(c["numerator"].to_numpy(float))
            c["numerator"] = np.minimum(c["numerator"], c["denominator"].fillna(np.inf))
        cs.append(c)
        t = towns.copy()
        t["township_code"], t["county_code"] = recode(t["township_code"]), code
        ts.append(t)
        p = pop.copy()
        p["township_code"] = recode(p["township_code"])
        ps.append(p)
    return (
        pd.concat(cs, ignore_index=True),
        pd.concat(ts, ignore_index=True),
        pd.concat(ps, ignore_index=True),
        indicators,
    )


def write_scratch(stage, folder: Path) -> float:
    """Write the three risk tables as the asset does, into a scratch encrypted database."""
    path = folder / f"risk_{secrets.token_hex(4)}.duckdb"
    t0 = time.perf_counter()
    con = duckdb.connect(":memory:")
    try:
        load_crypto(con)
        key = secrets.token_hex(32)
        con.execute(f"ATTACH '{path}' AS {RESTRICTED_ALIAS} (ENCRYPTION_KEY '{key}')")
        for name, frame in zip(
            RISK_TABLES, (stage.indicators, stage.alerts, stage.levels), strict=True
        ):
            write_table(con, name, frame)
    finally:
        con.close()
    elapsed = time.perf_counter() - t0
    path.unlink(missing_ok=True)
    return elapsed


def time_stage(inputs, read_s: float, scratch: Path) -> dict:
    counts, towns, pop, indicators = inputs
    cfg = load_config()
    t0 = time.perf_counter()
    table = build_indicator_table(counts, towns, month_grid(counts), pop, indicators)
    t1 = time.perf_counter()
    stage = run_risk_stage(table, cfg)
    t2 = time.perf_counter()
    write_s = write_scratch(stage, scratch)
    return {
        "counties": towns["county_code"].nunique(),
        "townships": len(towns),
        "count_rows": len(counts),
        "rows": len(table),
        "series": table.groupby(["indicator", "area_code"]).ngroups,
        "alerts": len(stage.alerts),
        "read_s": read_s,
        "table_s": t1 - t0,
        "stage_s": t2 - t1,
        "write_s": write_s,
        "total_s": np.nansum([read_s, t2 - t0, write_s]),
    }


def median_run(runs: list[dict]) -> dict:
    out = dict(runs[0])
    for k in PHASES:
        out[k] = statistics.median(r[k] for r in runs)
    return out


def measure(homes: dict[str, Path | None], repeat: int, scratch: Path) -> dict[str, dict]:
    """Alternate the scales ``repeat`` times (after one warm-up); median per phase.

    A home of ``None`` is the synthetic scale 10, built from the scale-1 inputs of the round.
    """
    runs: dict[str, list[dict]] = {name: [] for name in homes}
    for i in range(repeat + 1):
        inputs1 = None
        for name, home in homes.items():
            if home is None:
                inputs, read_s = replicate(*inputs1, 10), float("nan")
            else:
                inputs, read_s = read_inputs(home)
            if name == "1":
                inputs1 = inputs
            result = time_stage(inputs, read_s, scratch)
            if i:  # round 0 is the warm-up (imports, scipy caches, DuckDB extension load)
                runs[name].append(result)
    return {name: median_run(r) for name, r in runs.items()}


def report(results: dict[str, dict], argv: list[str], loads: tuple[tuple, tuple], repeat: int):
    r1, r10 = results["1"], results["10"]
    lines = [
        "# Risk stage benchmark",
        "",
        f"Command: `.venv/bin/python benchmarks/risk_stage.py {' '.join(argv)}`",
        "",
        "The whole risk stage as the `risk_stage` asset runs it, on real run homes "
        "(`xintai generate --scale N` + `xintai run`): read the counts from the encrypted "
        "restricted store; build the indicator table (intervals, EB smoothing); detectors "
        "(township-share rule on every series + the method select.py picks, via detect_many), "
        "composite index and reasons; write the three risk tables (to a scratch encrypted "
        "database). Scales run alternately in one process, "
        f"median of {repeat} rounds after a warm-up; seconds.",
        "",
        f"Load average (1, 5, 15 min) at start {loads[0]}, at end {loads[1]}; 2 cores.",
        "",
        "| scale | counties | townships | count rows read | table rows | series | alerts "
        "| read | table | detect+composite | write | total |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        read = "–" if np.isnan(r["read_s"]) else f"{r['read_s']:.2f}"
        lines.append(
            f"| {name} | {r['counties']} | {r['townships']} | {r['count_rows']} | {r['rows']} "
            f"| {r['series']} | {r['alerts']} | {read} | {r['table_s']:.2f} | "
            f"{r['stage_s']:.2f} | {r['write_s']:.2f} | {r['total_s']:.2f} |"
        )
    pure1 = r1["table_s"] + r1["stage_s"]
    pure10 = r10["table_s"] + r10["stage_s"]
    lines += [
        "",
        f"Growth scale 1 → 10 (×{r10['rows'] / r1['rows']:.1f} table rows, "
        f"×{r10['count_rows'] / r1['count_rows']:.1f} count rows read): whole stage "
        f"**×{r10['total_s'] / r1['total_s']:.1f}**; read ×{r10['read_s'] / r1['read_s']:.1f}, "
        f"table ×{r10['table_s'] / r1['table_s']:.1f}, detect+composite "
        f"×{r10['stage_s'] / r1['stage_s']:.1f}, write ×{r10['write_s'] / r1['write_s']:.1f}; "
        f"pure models (table + detect+composite) ×{pure10 / pure1:.1f}.",
        "",
    ]
    if "10 (synthetic)" in results:
        lines += [
            "The synthetic row (no read: ten Poisson-redrawn copies of the scale-1 county) is the "
            "method earlier versions of this benchmark used instead of a real scale-10 home.",
            "",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home1", type=Path, required=True, help="run home generated at scale 1")
    p.add_argument("--home10", type=Path, required=True, help="run home generated at scale 10")
    p.add_argument("--repeat", type=int, default=3, help="timed rounds per scale (default 3)")
    p.add_argument(
        "--synthetic-10",
        action="store_true",
        help="also time ten Poisson-redrawn copies of the scale-1 county (the old method)",
    )
    args = p.parse_args(argv)
    homes: dict[str, Path | None] = {"1": args.home1, "10": args.home10}
    if args.synthetic_10:
        homes["10 (synthetic)"] = None
    start_load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="risk_bench_") as tmp:
        results = measure(homes, args.repeat, Path(tmp))
    loads = tuple(tuple(round(x, 1) for x in load) for load in (start_load, os.getloadavg()))
    lines = report(results, argv, loads, args.repeat)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
