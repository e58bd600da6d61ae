"""Detection evaluation against ground truth (pure)."""

from __future__ import annotations

import pandas as pd

from models.risk.evaluation import evaluate, event_indicators, summarise

EVENTS = [
    {
        "event_id": "E1",
        "kind": "wage_arrears",
        "township_code": "A",
        "start_month": "2025-03",
        "end_month": "2025-04",
        "affected": [
            {"dataset": "incidents", "indicator": "type=labour_dispute", "expected_multiplier": 3},
            {
                "dataset": "petitions",
                "indicator": "category=劳动和社会保障",
                "expected_multiplier": 3,
            },
        ],
    },
    {
        "event_id": "E2",
        "kind": "pollution",
        "township_code": "B",
        "start_month": "2025-06",
        "end_month": "2025-06",
        "affected": [
            {"dataset": "petitions", "indicator": "category=环境保护", "expected_multiplier": 3}
        ],
    },
    {
        "event_id": "E3",
        "kind": "flood",
        "township_code": "C",
        "start_month": "2025-07",
        "end_month": "2025-08",
        "affected": [],
    },
]


def _levels() -> pd.DataFrame:
    months = pd.date_range("2025-01-01", periods=12, freq="MS")
    lv = pd.DataFrame(
        [(t, m, "蓝") for t in "ABC" for m in months], columns=["township_code", "month", "level"]
    )
    lv.loc[(lv.township_code == "A") & (lv.month == "2025-04-01"), "level"] = "橙"
    lv.loc[(lv.township_code == "A") & (lv.month == "2025-05-01"), "level"] = "红"  # lag month
    lv.loc[(lv.township_code == "C") & (lv.month == "2025-01-01"), "level"] = "红"  # false
    lv.loc[(lv.township_code == "B") & (lv.month == "2025-09-01"), "level"] = "黄"  # not high
    return lv


def test_event_indicators_map_truth_names():
    # petition categories map to the text stage's category series
    assert event_indicators(EVENTS[0]) == {"labour_disputes", "petitions_cat_labour"}
    assert event_indicators(EVENTS[1]) == {"petitions_cat_environment"}
    flood = {"affected": [{"dataset": "petitions", "indicator": "category=城乡建设"}]}
    assert event_indicators(flood) == {"petitions_cat_urban"}
    # a petition indicator without its own series falls back to all petitions
    other = {"affected": [{"dataset": "petitions", "indicator": "category=交通运输"}]}
    assert event_indicators(other) == {"petitions_all"}


def test_every_mapped_indicator_is_defined():
    from models.risk.evaluation import TRUTH_TO_INDICATOR
    from models.risk.indicators import BY_NAME

    assert set(TRUTH_TO_INDICATOR.values()) <= set(BY_NAME)


def test_evaluate_counts_detection_delay_and_false_alerts():
    alerts = pd.DataFrame(
        {
            "indicator": ["petitions_cat_environment", "self_harm"],
            "area_level": ["township", "township"],
            "township_code": ["B", "C"],
            "month": pd.to_datetime(["2025-07-01", "2025-08-01"]),
            "method": ["township-share", "ears-c1"],
        }
    )
    r = evaluate(EVENTS, _levels(), alerts)
    by_id = {e["event_id"]: e for e in r["events"]}
    assert by_id["E1"]["detected_by_level"] and by_id["E1"]["delay_months"] == 1
    assert by_id["E2"]["detected_by_alarm"] and by_id["E2"]["delay_months"] == 1
    assert not by_id["E3"]["detected"]  # an alarm on an indicator the event does not raise
    assert r["false_alerts"] == 1 and r["township_years"] == 3
    s = summarise({"1": r})
    assert s["sensitivity"] == round(2 / 3, 4)
    assert s["false_alerts_per_township_year"] == round(1 / 3, 4)
    assert s["median_delay_months"] == 1
    assert s["by_kind"]["flood"]["sensitivity"] == 0.0
    assert s["by_seed"]["1"]["missed"] == ["E3"]
