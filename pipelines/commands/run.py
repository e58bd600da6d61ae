"""``xintai run``: materialise the whole asset graph in-process through Dagster, then publish."""

from __future__ import annotations

import argparse
import json
import logging
import os
import time

from pipelines.settings import home

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="ingest, build the warehouse and publish (whole graph or one month)")
    p.add_argument("--partition", metavar="YYYY-MM", help="only this month's landing files")
    p.add_argument("--home", help="state folder (default $XINTAI_HOME or ./var)")
    p.set_defaults(func=run)


def prepare_environment(home_arg: str | None) -> None:
    """Point Dagster (EnvVar XINTAI_HOME, DAGSTER_HOME) and dbt at the same home folder."""
    layout = home(home_arg)
    os.environ["XINTAI_HOME"] = str(layout.root)
    dagster_home = layout.root / "dagster"
    dagster_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DAGSTER_HOME", str(dagster_home))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


def materialise(partition: str | None = None) -> dict:
    """Run the ``all_assets`` job in this process; returns per-step timings and the outcome."""
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.jobs import landing_months, range_tags

    job = defs.resolve_job_def("all_assets")
    instance = dg.DagsterInstance.get()
    started = time.perf_counter()
    if partition:
        result = job.execute_in_process(instance=instance, partition_key=f"{partition}-01",
                                        raise_on_error=False)
    else:
        result = job.execute_in_process(instance=instance, tags=range_tags(landing_months()),
                                        raise_on_error=False)
    steps = {}
    for event in result.all_events:
        if event.event_type_value == "STEP_SUCCESS":
            steps[event.step_key] = round(event.event_specific_data.duration_ms / 1000, 2)
    failures = [
        f"{e.step_key}: {e.event_specific_data.error.message.strip()}"
        for e in result.all_events if e.event_type_value == "STEP_FAILURE"
    ]
    return {"success": result.success, "run_id": result.run_id,
            "seconds": round(time.perf_counter() - started, 1), "steps": steps, "failures": failures}


def run(args: argparse.Namespace) -> int:
    prepare_environment(args.home)
    outcome = materialise(args.partition)
    print(json.dumps(outcome, ensure_ascii=False, indent=2))
    return 0 if outcome["success"] else 1
