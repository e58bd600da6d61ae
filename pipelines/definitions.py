"""The Dagster code location: assembles assets, checks, jobs, schedules, sensors, resources.

Thin on purpose: everything comes from the modules that own it (STYLE 1).
"""

import dagster as dg

from pipelines.assets.dbt import dbt_resource, marts_dbt_assets, warehouse_dbt_assets
from pipelines.assets.ingest_factory import build_ingest_assets
from pipelines.assets.publish.publish import build_publish_asset
from pipelines.assets.risk import risk_assets
from pipelines.assets.text import text_assets
from pipelines.jobs import all_assets_job, landing_sensor, monthly_schedule
from pipelines.marts import mart_keys, suppression_k
from pipelines.resources import XintaiHome

defs = dg.Definitions(
    assets=[
        *build_ingest_assets(),
        warehouse_dbt_assets,
        *text_assets,
        *risk_assets,
        marts_dbt_assets,
        build_publish_asset(mart_keys(), suppression_k()),
    ],
    jobs=[all_assets_job],
    schedules=[monthly_schedule],
    sensors=[landing_sensor],
    resources={
        "home": XintaiHome(root=dg.EnvVar("XINTAI_HOME")),
        "dbt": dbt_resource(),
    },
)
