"""Planted events (placement, visibility) and volumes per county-month (documented ranges)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.generate.conftest import read_all

KINDS = {"wage_arrears", "flood", "school_cluster", "land_dispute", "self_harm_cluster",
         "pollution"}

# documented per-county-month ranges (README.md, "Volumes") for a 330k–480k county
RANGES = {
    "petitions": (600, 1250), "hotline_calls": (100, 270), "outpatient_visits": (1300, 2600),
    "smd_followup": (450, 950), "maternal_screening": (250, 600),
}
DISPUTES = {"家庭纠纷", "邻里纠纷", "婚恋纠纷", "劳资纠纷", "土地山林纠纷", "其他纠纷"}


def _events(root):
    return json.loads((root / "truth/events.json").read_text(encoding="utf-8"))


def test_events_placed_after_warm_up(small):
    events = _events(small)
    assert len(events) >= 6 and {e["kind"] for e in events} == KINDS
    for e in events:
        assert e["start_month"] >= "2024-10" and e["end_month"] >= e["start_month"]
        assert e["township_code"].startswith("511321") and len(e["township_code"]) == 12
        assert e["affected"] and all(a["expected_multiplier"] > 1.5 for a in e["affected"])
        assert e["description_zh"]


def test_no_events_without_history(tmp_path):
    from pipelines.generate.county import generate

    generate(tmp_path / "l", tmp_path / "t", months=6, population=20000)
    assert json.loads((tmp_path / "t/events.json").read_text(encoding="utf-8")) == []


def test_volumes_within_documented_ranges(full_county):
    root, summary = full_county
    months = summary["months"]
    for ds, (lo, hi) in RANGES.items():
        per_month = read_all(root, ds).groupby("_file").size()
        assert len(per_month) == months, ds
        assert per_month.between(lo, hi).all(), (ds, per_month.min(), per_month.max())
    inc = read_all(root, "incidents")
    disputes = inc[inc["警情类别"].isin(DISPUTES)].groupby("_file").size()
    assert disputes.between(200, 400).all()
    pop = summary["counties"][0]["population"]
    reg = summary["rows"]["smd_registry"]
    assert 4.0 <= reg / pop * 1000 <= 6.0
    assert 60 <= summary["counties"][0]["schools"] <= 110
    pet = read_all(root, "petitions")
    assert (pet["信访形式"] == "12345").mean() > 0.5


def _township_series(root, ev, affected) -> tuple[float, float]:
    """(mean during the event, mean of the months before it) for the event's township."""
    ds, ind, town = affected["dataset"], affected["indicator"], ev["township_code"]
    if ds == "petitions":
        if ind.startswith("category="):
            lab = pd.read_parquet(root / "truth/text_labels.parquet")
            f = lab[(lab["source"] == "petitions") & (lab["category"] == ind.split("=")[1])
                    & (lab["township_code"] == town)]
            s = f.groupby("month").size()
        else:
            pet = read_all(root, "petitions")
            f = pet[(pet["乡镇代码"] == town) & (pet["是否集体访"] == "是")]
            s = f.groupby(f["受理日期"].str[:7]).size()
    elif ds == "incidents":
        code = {"type=labour_dispute": "劳资纠纷", "type=land_dispute": "土地山林纠纷",
                "type=mass_incident": "群体性事件", "type=self_harm": "自伤自杀"}[ind]
        inc = read_all(root, "incidents")
        f = inc[(inc["乡镇代码"] == town) & (inc["警情类别"] == code)]
        s = f.groupby(f["报警时间"].str[:7]).size()
    elif ds == "hotline_calls":
        units = read_all(root, "admin_units")
        name = units.loc[units["统计用区划代码"] == town, "名称"].iat[0]
        hot = read_all(root, "hotline_calls")
        hot = hot[hot["所在乡镇"] == name]
        if ind == "crisis_count":
            f = hot[hot["是否危机干预"] == "是"]
        else:
            code = {"category=work_money": "就业经济", "category=disaster_stress": "灾害应激"}[ind]
            f = hot[hot["来电类别"] == code]
        s = f.groupby(f["来电时间"].str[:7]).size()
    else:  # student_screening share_phq9_ge10 at the event's school
        st = read_all(root, "student_screening")
        st = st[st["学校代码"] == ev["school_id"]]
        share = (st["PHQ-9"].astype(int) >= 10).groupby(st["筛查日期"].str[:7]).mean()
        during = share.loc[ev["start_month"]]
        before = share[share.index < ev["start_month"]].mean()
        return float(during), float(before)
    months = pd.period_range("2023-10", periods=14, freq="M").astype(str)
    s = s.reindex(months, fill_value=0)
    during = s[(s.index >= ev["start_month"]) & (s.index <= ev["end_month"])].mean()
    before = s[s.index < ev["start_month"]].mean()
    return float(during), float(before)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_planted_events_are_visible(full_county, kind):
    root, _ = full_county
    ev = next(e for e in _events(root) if e["kind"] == kind)
    for affected in ev["affected"]:
        during, before = _township_series(root, ev, affected)
        floor = 0.02 if affected["dataset"] == "student_screening" else 0.5  # share vs count
        assert during >= 2 * max(before, floor), (affected, during, before)
