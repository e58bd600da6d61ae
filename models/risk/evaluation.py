"""Detection quality against the synthetic county's ground truth (pure).

Definitions (also printed by ``xintai eval detection``):

* An event's **window** is its months from ``start_month`` to ``end_month`` plus one month
  (a signal is often seen when the month's data are complete).
* An event is **detected** when, inside its window, its township reaches 橙/红 (orange/red) or
  a detector (the township-share rule or the method ``select.py`` chose) alarms on one of the
  event's indicators in that township (truth indicator → risk indicator, ``TRUTH_TO_INDICATOR``;
  petition categories map to the text stage's category series, any other petition indicator
  to all petitions).
* A **false alert** is a township-month at 橙/红 outside every event window of that township;
  the rate is per township-year of monitored months (months with a judgement).
* **Delay** is months from ``start_month`` to the first detecting month.
"""

from __future__ import annotations

import statistics

import pandas as pd

TRUTH_TO_INDICATOR = {
    ("incidents", "type=labour_dispute"): "labour_disputes",
    ("incidents", "type=land_dispute"): "land_disputes",
    ("incidents", "type=mass_incident"): "mass_incidents",
    ("incidents", "type=self_harm"): "self_harm",
    ("petitions", "collective_count"): "petitions_collective",
    ("petitions", "category=环境保护"): "petitions_cat_environment",
    ("petitions", "category=劳动和社会保障"): "petitions_cat_labour",
    ("petitions", "category=城乡建设"): "petitions_cat_urban",
    ("hotline_calls", "crisis_count"): "hotline_crisis",
    ("hotline_calls", "category=work_money"): "hotline_work_money",
    ("hotline_calls", "category=disaster_stress"): "hotline_disaster_stress",
    ("student_screening", "share_phq9_ge10"): "student_phq9_positive",
}
HIGH_LEVELS = ("橙", "红")
LAG_MONTHS = 1


def event_indicators(event: dict) -> set[str]:
    out = set()
    for a in event.get("affected", []):
        key = (a["dataset"], a["indicator"])
        if key in TRUTH_TO_INDICATOR:
            out.add(TRUTH_TO_INDICATOR[key])
        elif a["dataset"] == "petitions":
            out.add("petitions_all")
    return out


def _window(event: dict) -> pd.DatetimeIndex:
    start = pd.Timestamp(event["start_month"] + "-01")
    end = pd.Timestamp(event["end_month"] + "-01") + pd.DateOffset(months=LAG_MONTHS)
    return pd.date_range(start, end, freq="MS")


def evaluate(events: list[dict], levels: pd.DataFrame, alerts: pd.DataFrame) -> dict:
    """Score one county: ``levels`` (township_code, month, level), ``alerts`` (indicator,
    area_level, township_code, month, method)."""
    levels = levels.assign(month=pd.to_datetime(levels["month"]))
    alerts = alerts.assign(month=pd.to_datetime(alerts["month"]))
    high = levels[levels["level"].isin(HIGH_LEVELS)]
    town_alerts = alerts[alerts["area_level"] == "township"]
    results = []
    covered: set[tuple[str, pd.Timestamp]] = set()
    for e in events:
        win = _window(e)
        town = e["township_code"]
        covered.update((town, m) for m in win)
        lvl_months = set(
            high.loc[(high["township_code"] == town) & high["month"].isin(win), "month"]
        )
        ind = event_indicators(e)
        al_months = set(
            town_alerts.loc[
                (town_alerts["township_code"] == town)
                & town_alerts["month"].isin(win)
                & town_alerts["indicator"].isin(ind),
                "month",
            ]
        )
        first = min(lvl_months | al_months, default=None)
        start = pd.Timestamp(e["start_month"] + "-01")
        results.append(
            {
                "event_id": e["event_id"],
                "kind": e["kind"],
                "township_code": town,
                "detected": first is not None,
                "detected_by_level": bool(lvl_months),
                "detected_by_alarm": bool(al_months),
                "delay_months": None
                if first is None
                else (first.year - start.year) * 12 + first.month - start.month,
            }
        )
    judged = levels.dropna(subset=["level"])
    n_false = sum(
        (t, m) not in covered for t, m in zip(high["township_code"], high["month"], strict=True)
    )
    township_years = len(judged) / 12
    return {"events": results, "false_alerts": n_false, "township_years": township_years}


def summarise(per_seed: dict[str, dict]) -> dict:
    """Combine per-seed results into the JSON ``xintai eval detection`` prints."""
    events = [ev for r in per_seed.values() for ev in r["events"]]
    n_false = sum(r["false_alerts"] for r in per_seed.values())
    ty = sum(r["township_years"] for r in per_seed.values())
    delays = [e["delay_months"] for e in events if e["detected"]]
    by_kind = {}
    for kind in sorted({e["kind"] for e in events}):
        ks = [e for e in events if e["kind"] == kind]
        kd = [e["delay_months"] for e in ks if e["detected"]]
        by_kind[kind] = {
            "events": len(ks),
            "detected": sum(e["detected"] for e in ks),
            "sensitivity": _ratio(sum(e["detected"] for e in ks), len(ks)),
            "median_delay_months": statistics.median(kd) if kd else None,
        }
    return {
        "sensitivity": _ratio(sum(e["detected"] for e in events), len(events)),
        "sensitivity_level_only": _ratio(sum(e["detected_by_level"] for e in events), len(events)),
        "false_alerts_per_township_year": round(n_false / ty, 4) if ty else None,
        "median_delay_months": statistics.median(delays) if delays else None,
        "by_kind": by_kind,
        "by_seed": {
            seed: {
                "sensitivity": _ratio(sum(e["detected"] for e in r["events"]), len(r["events"])),
                "false_alerts_per_township_year": round(r["false_alerts"] / r["township_years"], 4)
                if r["township_years"]
                else None,
                "median_delay_months": statistics.median(
                    [e["delay_months"] for e in r["events"] if e["detected"]] or [float("nan")]
                ),
                "false_alerts": r["false_alerts"],
                "township_years": round(r["township_years"], 2),
                "missed": [e["event_id"] for e in r["events"] if not e["detected"]],
            }
            for seed, r in per_seed.items()
        },
        "events": len(events),
        "false_alerts": n_false,
        "township_years": round(ty, 2),
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None
