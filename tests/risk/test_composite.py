"""Composite risk index: contributions, levels, reasons and the township-share detector."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from models.risk.composite import (
    RiskConfig,
    Thresholds,
    composite,
    level_of,
    load_config,
    run_risk_stage,
)
from models.risk.indicators import DOMAINS, build_indicator_table
from models.risk.reasons import alert_reason, count_text, level_reason

TOWNS = [f"5113211{i:02d}000" for i in range(6)]
SPIKE_TOWN, SPIKE_MONTH = TOWNS[2], pd.Timestamp("2025-06-01")
COUNT_UNIT = re.compile(r"(?<![\d.])(\d+) (起|件|次|人次|人)")


@pytest.fixture(scope="module")
def indicator_table() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    months = pd.date_range("2024-01-01", periods=24, freq="MS")
    rows = []
    for t_i, town in enumerate(TOWNS):
        for m in months:
            for ind, lam in (
                ("labour_disputes", 3 + t_i),
                ("petitions_all", 40 + 5 * t_i),
                ("self_harm", 0.4),
                ("hotline_crisis", 2.0),
            ):
                n = rng.poisson(lam)
                if ind == "labour_disputes" and town == SPIKE_TOWN and m == SPIKE_MONTH:
                    n = 40
                rows.append((ind, town, m, float(n), np.nan))
            n_scr = 200 if m.month in (4, 10) else 0
            pos = rng.binomial(n_scr, 0.1) if n_scr else 0
            rows.append(("student_phq9_positive", town, m, float(pos), float(n_scr)))
    counts = pd.DataFrame(
        rows, columns=["indicator", "township_code", "month", "numerator", "denominator"]
    )
    towns = pd.DataFrame({"township_code": TOWNS, "county_code": "511321"})
    pop = pd.DataFrame(
        [(t, y, 20_000 + 5_000 * i) for i, t in enumerate(TOWNS) for y in (2024, 2025)],
        columns=["township_code", "year", "population"],
    )
    return build_indicator_table(counts, towns, pd.Series(months), pop)


@pytest.fixture(scope="module")
def stage(indicator_table):
    return run_risk_stage(indicator_table, load_config())


def test_indicator_table_has_intervals_and_county_series(indicator_table):
    t = indicator_table
    assert set(t["area_level"]) == {"township", "county"}
    rates = t[(t["kind"] == "rate") & (t["area_level"] == "township")]
    assert (rates["lower"] <= rates["value"]).all() and (rates["value"] <= rates["upper"]).all()
    row = rates[(rates["indicator"] == "petitions_all")].iloc[0]
    assert row["value"] == pytest.approx(row["numerator"] / row["denominator"] * 10_000)
    props = t[(t["kind"] == "proportion") & (t["denominator"] > 0)]
    assert ((props["value"] >= 0) & (props["value"] <= 1)).all()
    assert t["value_smoothed"].notna().any()


def test_contributions_add_up_to_the_index(stage):
    lv = stage.levels
    contrib = lv[[f"contrib_{d}" for d in DOMAINS]].sum(axis=1)
    assert np.allclose(contrib, lv["risk_index"], rtol=0, atol=1e-9)
    assert (lv[[f"contrib_{d}" for d in DOMAINS]] >= 0).all().all()


def test_planted_spike_raises_level_and_alert(stage):
    lv = stage.levels.set_index(["township_code", "month"])
    assert lv.loc[(SPIKE_TOWN, SPIKE_MONTH), "level"] in ("橙", "红")
    assert lv.loc[(SPIKE_TOWN, SPIKE_MONTH), "contrib_disputes"] > 0
    al = stage.alerts
    hit = al[
        (al["area_code"] == SPIKE_TOWN)
        & (al["month"] == SPIKE_MONTH)
        & (al["indicator"] == "labour_disputes")
        & (al["method"] == "township-share")
    ]
    assert len(hit) == 1
    assert hit["reason"].iat[0].startswith("劳资纠纷警情 40 起")
    assert "超出预警上限" in hit["reason"].iat[0]
    # the R method chosen by history is recorded with its alerts
    assert {"ears-c1", "township-share"} <= set(al["method"])


def test_every_alert_has_method_baseline_bound_and_reason(stage):
    al = stage.alerts
    assert al[["method", "expected", "upperbound", "reason"]].notna().all().all()
    assert stage.levels["reason"].str.startswith("综合风险指数").all()


def test_no_reason_quotes_a_small_count(stage):
    texts = list(stage.alerts["reason"]) + list(stage.levels["reason"])
    for text in texts:
        for n, _unit in COUNT_UNIT.findall(text):
            assert int(n) >= 10 or int(n) == 0, text


def test_levels_from_thresholds():
    th = Thresholds(yellow=20, orange=40, red=80)
    got = level_of([0, 19.99, 20, 39.99, 40, 79.99, 80, 500], th)
    assert list(got) == ["蓝", "蓝", "黄", "黄", "橙", "橙", "红", "红"]


def test_composite_from_scores_with_weights():
    cfg = load_config()
    scored = pd.DataFrame(
        {
            "area_level": "township",
            "county_code": "511321",
            "township_code": "t1",
            "month": pd.Timestamp("2025-01-01"),
            "domain": ["disputes", "disputes", "petitions"],
            "indicator": ["labour_disputes", "disputes_all", "petitions_all"],
            "score": [1.5, 0.2, 0.25],
        }
    )
    lv = composite(scored, cfg).iloc[0]
    assert lv["contrib_disputes"] == pytest.approx(1.5 * cfg.weights["disputes"])
    assert lv["top_indicator_disputes"] == "labour_disputes"
    assert lv["contrib_petitions"] == pytest.approx(0.25 * cfg.weights["petitions"])
    assert lv["risk_index"] == pytest.approx(lv["contrib_disputes"] + lv["contrib_petitions"])


def test_reason_from_numbers():
    text = alert_reason("劳资纠纷警情", "起", 23, 8.7, 15.2, baseline_months=3)
    assert text == "劳资纠纷警情 23 起，较前 3 个月基线 8.7 起上升 164%，超出预警上限（15.2 起）"


@pytest.mark.parametrize("n", [1, 5, 9])
def test_small_counts_are_generalised(n):
    assert count_text(n, "起") == "少量（<10）"
    text = alert_reason("自伤自杀警情", "起", n, 1.2, 4.0)
    assert f"{n} 起" not in text and "少量（<10）" in text
    assert "%" not in text  # a rise over a quoted baseline would reveal the count
    prop = alert_reason(
        "学生PHQ-9≥10筛查阳性", "人", n, 2.0, 5.0, kind="proportion", denominator=40
    )
    assert "%" not in prop and "少量（<10）" in prop
    assert "少量" not in count_text(10, "起")


def test_level_reason_names_domains():
    text = level_reason("橙色", 52.5, [("矛盾纠纷", 52.5, "劳资纠纷警情 23 起")])
    assert text == "综合风险指数 52.5，橙色：矛盾纠纷贡献 52.5 分（劳资纠纷警情 23 起）"


def test_config_validation_and_override(tmp_path):
    base = load_config().model_dump()
    with pytest.raises(ValueError, match="increase"):
        RiskConfig.model_validate({**base, "thresholds": {"yellow": 50, "orange": 40, "red": 80}})
    with pytest.raises(ValueError, match="unknown domains"):
        RiskConfig.model_validate({**base, "weights": {"weather": 1}})
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "risk.yaml").write_text(
        "weights: {disputes: 10}\nthresholds: {yellow: 1, orange: 2, red: 3}\n", encoding="utf-8"
    )
    cfg = load_config(tmp_path)
    assert cfg.weights == {"disputes": 10} and cfg.thresholds.red == 3
    (tmp_path / "config" / "risk.yaml").write_text("weights: {disputes: -1}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="risk.yaml"):
        load_config(tmp_path)


def test_eb_smoothing_matches_rates_eb_global(indicator_table):
    from models.risk.rates import eb_global

    t = indicator_table
    grp = t[
        (t["indicator"] == "labour_disputes")
        & (t["area_level"] == "township")
        & (t["month"] == pd.Timestamp("2024-05-01"))
    ]
    expected = eb_global(grp["numerator"], grp["denominator"]) * 10_000
    assert np.allclose(grp["value_smoothed"], expected, rtol=1e-12)
