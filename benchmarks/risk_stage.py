"""Benchmark: the risk stage (pure models on the indicator table) at scale 1 and scale 10.

Times, per scale: building the indicator table from the township x month counts (grid,
denominators, Byar/Wilson intervals, EB smoothing), the detectors (township-share rule over
every series + the method ``select.py`` picks, via ``detect_many``), the composite index and
the reasons.  Reading the counts from the store is excluded (it is SQL in DuckDB).

Counts come from run homes (``--home1``/``--home10``: ``xintai generate [--scale 10]`` then
``xintai run``), including the text stage's petition-category and negative-emotion counts
when the home has its ``text_documents``.  Without ``--home10``, the scale-10 counts are
synthesised from the scale-1 home: ten counties with the scale-1 county's townships, each
count redrawn from a Poisson with the observed count as mean (same shape and sparsity as
``generate --scale 10``; the stage's cost depends only on the table's shape).
Writes benchmarks/results/risk_stage.md.

    .venv/bin/python benchmarks/risk_stage.py --home1 /tmp/riskwork [--home10 /tmp/risk10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from models.risk.composite import load_config, run_risk_stage
from models.risk.indicators import build_indicator_table
from pipelines.assets.risk.stage import (
    available_indicators,
    has_text_stage,
    month_grid,
    read_counts,
)
from pipelines.settings import home as layout_of
from pipelines.warehouse import connect_restricted

RESULTS = Path(__file__).resolve().parent / "results" / "risk_stage.md"


def load_inputs(home: Path):
    con = connect_restricted(layout_of(str(home)), read_only=True)
    try:
        text = has_text_stage(con)
        return (*read_counts(con, text), available_indicators(text))
    finally:
        con.close()


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


def time_stage(counts, towns, pop, indicators) -> dict:
    cfg = load_config()
    t0 = time.perf_counter()
    table = build_indicator_table(counts, towns, month_grid(counts), pop, indicators)
    t1 = time.perf_counter()
    stage = run_risk_stage(table, cfg)
    t2 = time.perf_counter()
    return {
        "counties": towns["county_code"].nunique(),
        "townships": len(towns),
        "rows": len(table),
        "series": table.groupby(["indicator", "area_code"]).ngroups,
        "alerts": len(stage.alerts),
        "table_s": t1 - t0,
        "stage_s": t2 - t1,
        "total_s": t2 - t0,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home1", type=Path, required=True, help="run home generated at scale 1")
    p.add_argument("--home10", type=Path, help="run home generated at scale 10 (else synthesised)")
    args = p.parse_args(argv)
    c1 = load_inputs(args.home1)
    if args.home10:
        c10, source10 = load_inputs(args.home10), f"run home {args.home10}"
    else:
        c10, source10 = replicate(*c1, 10), "synthesised from the scale-1 home (10 counties)"
    time_stage(*c1)  # warm-up: imports, scipy caches
    r1, r10 = time_stage(*c1), time_stage(*c10)
    growth = r10["total_s"] / r1["total_s"]
    lines = [
        "# Risk stage benchmark",
        "",
        f"Command: `.venv/bin/python benchmarks/risk_stage.py {' '.join(argv or sys.argv[1:])}`",
        "",
        "Pure risk stage on the indicator table (build table with intervals and EB smoothing; "
        "detectors: township-share rule on every series + the method select.py picks via "
        "detect_many; composite index; reasons). Store reads excluded.",
        "",
        f"Scale 10 counts: {source10}.",
        "",
        "| scale | counties | townships | table rows | series | alerts | table s "
        "| detect+composite s | total s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in (("1", r1), ("10", r10)):
        lines.append(
            f"| {name} | {r['counties']} | {r['townships']} | {r['rows']} | {r['series']} | "
            f"{r['alerts']} | {r['table_s']:.2f} | {r['stage_s']:.2f} | {r['total_s']:.2f} |"
        )
    lines += [
        "",
        f"Growth scale 1 → 10: ×{growth:.1f} for ×{r10['rows'] / r1['rows']:.0f} rows.",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
