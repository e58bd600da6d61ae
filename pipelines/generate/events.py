"""Planted events: where and when they happen, and the ground truth written to truth/events.json.

Each county gets one event of every kind in ``rates.yaml`` (events.kinds), in different
townships where possible, never before ``warmup_months`` so that detectors have history.
``Event.effects`` says which (dataset, indicator) rises by what target multiplier; the
dataset generators add the extra records and report back the multiplier they actually
planted (relative to the township's expected baseline), which is what the truth file holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pipelines.generate.geography import County
from pipelines.generate.periods import Periods

DURATION = {"wage_arrears": (2, 4), "flood": (2, 4), "school_cluster": (1, 1),
            "land_dispute": (2, 3), "self_harm_cluster": (2, 3), "pollution": (2, 4)}

# (dataset, indicator) pairs each kind raises; indicator names are documented in README.md
EFFECTS = {
    "wage_arrears": [("petitions", "category=劳动和社会保障"), ("incidents", "type=labour_dispute"),
                     ("hotline_calls", "category=work_money")],
    "flood": [("petitions", "category=城乡建设"), ("hotline_calls", "category=disaster_stress")],
    "school_cluster": [("student_screening", "share_phq9_ge10")],
    "land_dispute": [("petitions", "collective_count"), ("incidents", "type=land_dispute"),
                     ("incidents", "type=mass_incident")],
    "self_harm_cluster": [("incidents", "type=self_harm"), ("hotline_calls", "crisis_count")],
    "pollution": [("petitions", "category=环境保护")],
}

DESCRIPTION = {
    "wage_arrears": ("{town}多个工地拖欠农民工工资，"
                     "欠薪信访、劳资纠纷警情和热线就业经济类来电同步上升"),
    "flood": "{town}遭遇暴雨山洪，随后灾后重建类信访和热线灾害应激来电增多",
    "school_cluster": "{school}本轮心理筛查PHQ-9≥10比例显著升高",
    "land_dispute": "{town}征地补偿争议引发集体访和土地纠纷、群体性事件警情",
    "self_harm_cluster": "{town}短期内自伤自杀警情和热线危机来电聚集",
    "pollution": "{town}一家工厂排放异味和污水，环境保护类信访集中",
}


@dataclass
class Event:
    event_id: str
    kind: str
    county_code: str
    township_idx: int
    township_code: str
    start: int
    end: int
    multiplier: float
    school_id: str | None = None
    description_zh: str = ""
    affected: list[dict] = field(default_factory=list)

    def active(self, month_idx: int) -> bool:
        return self.start <= month_idx <= self.end

    def record(self, dataset: str, indicator: str, multiplier: float) -> None:
        self.affected.append({"dataset": dataset, "indicator": indicator,
                              "expected_multiplier": round(float(multiplier), 2)})

    def truth(self, periods: Periods) -> dict:
        out = {
            "event_id": self.event_id, "kind": self.kind, "county_code": self.county_code,
            "township_code": self.township_code,
            "start_month": periods.labels[self.start], "end_month": periods.labels[self.end],
            "affected": self.affected, "description_zh": self.description_zh,
        }
        if self.school_id:
            out["school_id"] = self.school_id
        return out


def plan_events(rng: np.random.Generator, county: County, periods: Periods, rates: dict,
                schools: list[dict]) -> list[Event]:
    """One event per kind, or none when the run is too short to have a warm-up year."""
    ev = rates["events"]
    warm = int(ev["warmup_months"])
    if periods.n <= warm:
        return []
    pops = np.array([t.population for t in county.townships], float)
    w = np.sqrt(pops)
    order = rng.choice(len(pops), size=len(pops), replace=False, p=w / w.sum())
    used: list[int] = []
    events: list[Event] = []
    screening = [i for i in range(warm, periods.n)
                 if periods.calendar_month[i] in rates["schools"]["screening_months"]]
    for k, kind in enumerate(ev["kinds"]):
        lo, hi = DURATION[kind]
        dur = int(rng.integers(lo, hi + 1))
        mult = float(rng.uniform(*ev["multiplier"]))
        school_id = None
        if kind == "school_cluster":
            if not screening:
                continue
            start = int(rng.choice(screening))
            cands = [s for s in schools if s["level"] != "小学" and s["township_idx"] not in used]
            cands = cands or [s for s in schools if s["level"] != "小学"]
            school = cands[int(rng.integers(0, len(cands)))]
            tidx, school_id = school["township_idx"], school["school_id"]
        else:
            start = int(rng.integers(warm, periods.n))
            if kind == "flood":  # prefer the rainy season (June–September) when the run has one
                rainy = [i for i in range(warm, periods.n) if 6 <= periods.calendar_month[i] <= 9]
                if rainy:
                    start = int(rng.choice(rainy))
            tidx = int(next(t for t in order if t not in used))
        used.append(tidx)
        end = min(start + dur - 1, periods.n - 1)
        town = county.townships[tidx]
        e = Event(
            event_id=f"{county.code6}-E{k + 1:02d}-{kind}", kind=kind, county_code=county.code6,
            township_idx=tidx, township_code=town.code, start=start, end=end, multiplier=mult,
            school_id=school_id,
        )
        school_name = next((s["school_name"] for s in schools if s["school_id"] == school_id), "")
        e.description_zh = DESCRIPTION[kind].format(town=county.name + town.name,
                                                    school=school_name)
        events.append(e)
    return events


def planted_extra(events: list[Event], dataset: str, indicator: str, base: np.ndarray,
                  floor: float) -> tuple[np.ndarray, list[tuple[Event, np.ndarray]]]:
    """Expected extra counts (townships × months) for one indicator and the events behind
    them; records each event's realised expected multiplier."""
    extra = np.zeros_like(base, dtype=float)
    owners = []
    for e in events:
        if (dataset, indicator) not in EFFECTS[e.kind]:
            continue
        months = np.arange(e.start, e.end + 1)
        b = base[e.township_idx, months]
        add = np.maximum((e.multiplier - 1) * b, floor)
        if e.kind == "flood" and dataset == "hotline_calls":
            add[0] *= 0.5  # stress calls peak after the flood month
        if indicator == "type=mass_incident":
            add = np.maximum((e.multiplier - 1) * b, 1.5)
        mask = np.zeros_like(base, dtype=float)
        mask[e.township_idx, months] = add
        extra += mask
        e.record(dataset, indicator, (b.sum() + add.sum()) / max(b.sum(), 1e-9))
        owners.append((e, mask))
    return extra, owners
