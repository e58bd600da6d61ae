"""Jobs, the monthly schedule and the landing-zone sensor.

``all_assets`` runs the whole graph; its monthly (partitioned) ingest assets take a partition
range in one run (single-run backfill policy). The schedule runs the previous month on the 5th,
after departments deliver; the sensor asks for a run over every landing month when files in the
landing zone change (names, sizes, mtimes).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import dagster as dg

from pipelines.ingest.registry import PERIOD_RE
from pipelines.settings import home

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"

all_assets_job = dg.define_asset_job("all_assets", selection=dg.AssetSelection.all())


def landing_months() -> list[str]:
    """Partition keys (YYYY-MM-01) of every month that has a landing file."""
    root = home().landing
    months = {m.group(1) for p in root.rglob("*") if p.is_file() and (m := PERIOD_RE.search(p.stem))}
    return sorted(f"{m}-01" for m in months)


def range_tags(months: list[str]) -> dict[str, str]:
    return {RANGE_START: months[0], RANGE_END: months[-1]} if months else {}


@dg.schedule(job=all_assets_job, cron_schedule="0 6 5 * *", execution_timezone="Asia/Shanghai",
             name="monthly_refresh", default_status=dg.DefaultScheduleStatus.STOPPED)
def monthly_schedule(context: dg.ScheduleEvaluationContext):
    first_of_month = context.scheduled_execution_time.date().replace(day=1)
    previous = (first_of_month - dt.timedelta(days=1)).replace(day=1).isoformat()
    return dg.RunRequest(partition_key=previous)


def landing_fingerprint() -> str:
    digest = hashlib.sha256()
    root = home().landing
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                st = path.stat()
                digest.update(f"{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=all_assets_job, name="landing_zone", minimum_interval_seconds=300,
           description="new or changed landing files", default_status=dg.DefaultSensorStatus.STOPPED)
def landing_sensor(context: dg.SensorEvaluationContext):
    fingerprint = landing_fingerprint()
    if fingerprint == context.cursor:
        return dg.SkipReason("landing zone unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags=range_tags(landing_months()))
