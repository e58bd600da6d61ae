"""``xintai eval detection``: detection quality of the risk stage against ground truth.

For each seed: generate a synthetic county into a temporary XINTAI_HOME, run the whole
pipeline (``xintai run``: ingest, warehouse, risk assets, marts) in a child process, then
compare the township risk levels and detector alarms in the restricted store with
``truth/events.json`` (definitions in ``models/risk/evaluation.py``).  Prints one JSON object
with ``sensitivity``, ``false_alerts_per_township_year``, ``median_delay_months``, ``by_kind``
and ``by_seed``.  Seeds run in parallel (``--jobs``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger(__name__)

TARGETS = {"sensitivity": 0.9, "false_alerts_per_township_year": 1.0, "median_delay_months": 1.0}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xintai eval detection", description=__doc__.split("\n")[0])
    p.add_argument("--seeds", default="42", help="comma-separated generator seeds (default 42)")
    p.add_argument("--scale", type=int, default=1, help="counties per seed (default 1)")
    p.add_argument("--jobs", type=int, default=3, help="seeds run in parallel (default 3)")
    p.add_argument(
        "--workdir",
        type=Path,
        default=os.environ.get("XINTAI_EVAL_WORKDIR") or None,
        help="keep each seed's home under this folder (or $XINTAI_EVAL_WORKDIR)",
    )
    p.add_argument(
        "--home",
        type=Path,
        action="append",
        help="evaluate an existing, already run home instead (repeatable)",
    )
    return p


def _xintai(home: Path, *args: str) -> None:
    """Run one ``xintai`` command in a child process with its own XINTAI_HOME/DAGSTER_HOME."""
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "XINTAI_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "DO_NOT_TRACK": "1",
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }
    cmd = [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-3000:]
        raise RuntimeError(f"`xintai {' '.join(args)}` failed ({done.returncode}):\n{tail}")


def prepare_home(seed: int, root: Path, scale: int = 1) -> Path:
    """Generate and run one seed's county; returns its home."""
    home = root / f"seed-{seed}"
    if home.exists():
        shutil.rmtree(home)
    _xintai(home, "generate", "--seed", str(seed), "--scale", str(scale))
    _xintai(home, "run")
    return home


def evaluate_home(home: Path) -> dict:
    """Read the risk tables and the truth of one run home and score them."""
    from models.risk.evaluation import evaluate
    from pipelines.settings import home as layout_of
    from pipelines.warehouse import connect_restricted

    events = json.loads((home / "truth" / "events.json").read_text(encoding="utf-8"))
    con = connect_restricted(layout_of(str(home)), read_only=True)
    try:
        levels = con.sql("select township_code, month, level from risk_township_levels").df()
        alerts = con.sql(
            "select indicator, area_level, township_code, month, method from risk_alerts"
        ).df()
    finally:
        con.close()
    return evaluate(events, levels, alerts)


def main(argv: list[str]) -> int:
    from models.risk.evaluation import summarise

    args = _parser().parse_args(argv)
    if args.home:
        per_seed = {h.name: evaluate_home(h) for h in args.home}
    else:
        seeds = [int(s) for s in str(args.seeds).split(",") if s.strip()]
        root = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="xintai-eval-"))
        root.mkdir(parents=True, exist_ok=True)
        log.info("evaluating seeds %s under %s", seeds, root)
        try:
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                homes = list(pool.map(lambda s: prepare_home(s, root, args.scale), seeds))
            per_seed = {str(s): evaluate_home(h) for s, h in zip(seeds, homes, strict=True)}
        finally:
            if args.workdir is None:
                shutil.rmtree(root, ignore_errors=True)
    summary = summarise(per_seed)
    summary["definitions"] = (
        "detected: township at 橙/红 or a detector alarm on the event's indicators in that "
        "township from start_month to end_month + 1; false alert: township-month at 橙/红 "
        "outside every event window of that township, per township-year; delay: months from "
        "start_month to the first detecting month (see models/risk/evaluation.py)"
    )
    summary["targets"] = TARGETS
    summary["meets_targets"] = meets_targets(summary)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


def meets_targets(summary: dict) -> bool:
    return (
        summary["sensitivity"] is not None
        and summary["sensitivity"] >= TARGETS["sensitivity"]
        and summary["false_alerts_per_township_year"] <= TARGETS["false_alerts_per_township_year"]
        and summary["median_delay_months"] is not None
        and summary["median_delay_months"] <= TARGETS["median_delay_months"]
    )
