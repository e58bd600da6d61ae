"""Risk assets: indicator series with intervals, detector alerts, township risk levels.

One multi-asset computes the three ``risk_*`` tables in the restricted store from the staging
models and the text stage's ``text_documents`` (petition categories, per-document 焦虑/愤怒
scores; the pure work is in ``models/risk``); the dbt source ``risk`` reads them, so the
published marts run after this asset in the same run and lineage is one graph.
"""

import dagster as dg
import numpy as np
from dagster_dbt import get_asset_key_for_model

from models.risk.composite import load_config
from pipelines.assets.dbt import warehouse_dbt_assets
from pipelines.assets.risk.stage import compute, write_table
from pipelines.resources import XintaiHome

GROUP = "risk"
INDICATORS_KEY = dg.AssetKey(["risk", "risk_indicators"])
ALERTS_KEY = dg.AssetKey(["risk", "risk_alerts"])
LEVELS_KEY = dg.AssetKey(["risk", "risk_township_levels"])

UPSTREAM_MODELS = (
    "stg_public_security__incidents",
    "stg_petitions__petitions",
    "stg_health__hotline_calls",
    "stg_health__outpatient_visits",
    "stg_health__maternal_screening",
    "stg_schools__student_screening",
    "stg_schools__schools",
    "stg_health__smd_followup",
    "int_smd_patients",
    "int_townships",
    "stg_reference__population",
)


# The text stage's tables (pipelines/assets/text): petition categories and the per-document
# 焦虑/愤怒 scores behind the negative-emotion domain; the risk stage runs after it.
TEXT_KEYS = (
    dg.AssetKey(["text", "text_documents"]),
    dg.AssetKey(["text", "text_emotion_indices"]),
)


def _upstream() -> list[dg.AssetKey]:
    return [
        *(get_asset_key_for_model([warehouse_dbt_assets], m) for m in UPSTREAM_MODELS),
        *TEXT_KEYS,
    ]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            INDICATORS_KEY,
            deps=_upstream(),
            group_name=GROUP,
            description="Indicator x area x month: counts, rates/proportions with "
            "95% intervals, EB-smoothed rates, detector baseline and bound.",
        ),
        dg.AssetSpec(
            ALERTS_KEY,
            deps=[INDICATORS_KEY],
            group_name=GROUP,
            description="One row per detector alarm (series x month x method) with "
            "baseline, upper bound, observed and a plain-Chinese reason.",
        ),
        dg.AssetSpec(
            LEVELS_KEY,
            deps=[INDICATORS_KEY],
            group_name=GROUP,
            description="Township x month composite risk index, domain contributions, "
            "level 蓝/黄/橙/红 and reason.",
        ),
    ],
    name="risk_stage",
)
def risk_stage(context: dg.AssetExecutionContext, home: XintaiHome):
    cfg = load_config(home.layout.root)
    con = home.restricted()
    try:
        stage = compute(con, cfg)
        write_table(con, "risk_indicators", stage.indicators)
        write_table(con, "risk_alerts", stage.alerts)
        write_table(con, "risk_township_levels", stage.levels)
    finally:
        con.close()
    ind, al, lv = stage.indicators, stage.alerts, stage.levels
    yield dg.MaterializeResult(
        asset_key=INDICATORS_KEY,
        metadata={
            "rows": len(ind),
            "series": int(ind.groupby(["indicator", "area_code"]).ngroups),
            "first_month": str(ind["month"].min().date()),
            "last_month": str(ind["month"].max().date()),
        },
    )
    yield dg.MaterializeResult(
        asset_key=ALERTS_KEY,
        metadata={
            "rows": len(al),
            "alerts": len(al),
            **{f"alerts_{m}": int(n) for m, n in al["method"].value_counts().items()},
        },
    )
    last = lv[lv["month"] == lv["month"].max()]
    yield dg.MaterializeResult(
        asset_key=LEVELS_KEY,
        metadata={
            "rows": len(lv),
            "month": str(lv["month"].max().date()) if len(lv) else "",
            **{
                f"townships_{lvl}": int(np.sum(last["level"] == lvl))
                for lvl in ("蓝", "黄", "橙", "红")
            },
        },
    )


risk_assets: list = [risk_stage]
