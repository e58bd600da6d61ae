"""Indicator definitions and the township x month series they make (pure, vectorised).

The risk stage watches a fixed set of indicators, one or more per domain of the composite
index (DESIGN.md, "Risk and early warning").  The asset counts events per township x month in
the restricted store (staging models, and the text stage's ``text_documents`` for petition
categories and negative-emotion documents, ``source="text"``); this module completes the grid
(a month without events is a zero, not a gap, so detectors see a regular series), adds county
series, and attaches rates per 10 000 with Byar/exact Poisson intervals, proportions with
Wilson intervals and Marshall's global empirical-Bayes rates for small townships.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.risk.rates import proportion_ci, rate_ci

# Identify one series value: indicator × area × month (shared by the indicator and alert tables).
SERIES_COLUMNS = [
    "indicator",
    "domain",
    "kind",
    "area_level",
    "area_code",
    "county_code",
    "township_code",
    "month",
]

RATE_PER = 10_000


@dataclass(frozen=True)
class IndicatorDef:
    """One watched indicator: its key, domain, Chinese label and how it is expressed."""

    name: str
    domain: str
    label_zh: str
    unit_zh: str  # 起 / 件 / 人次 / 例
    kind: str = "rate"  # "rate" (count per 10 000 residents) or "proportion" (positives/screened)
    source: str = "warehouse"  # "warehouse" (staging models) or "text" (text stage tables)


INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("disputes_all", "disputes", "矛盾纠纷警情", "起"),
    IndicatorDef("labour_disputes", "disputes", "劳资纠纷警情", "起"),
    IndicatorDef("land_disputes", "disputes", "土地山林纠纷警情", "起"),
    IndicatorDef("mass_incidents", "disputes", "群体性事件警情", "起"),
    IndicatorDef("petitions_all", "petitions", "信访件", "件"),
    IndicatorDef("petitions_collective", "petitions", "集体访", "件"),
    IndicatorDef("petitions_visit", "petitions", "来访信访件", "件"),
    # petition categories from the text stage's classifier (text_documents)
    IndicatorDef("petitions_cat_environment", "petitions", "环境保护类信访件", "件", source="text"),
    IndicatorDef(
        "petitions_cat_labour", "petitions", "劳动和社会保障类信访件", "件", source="text"
    ),
    IndicatorDef("petitions_cat_urban", "petitions", "城乡建设类信访件", "件", source="text"),
    IndicatorDef("self_harm", "self_harm", "自伤自杀警情", "起"),
    IndicatorDef("hotline_crisis", "hotline", "热线危机干预来电", "次"),
    IndicatorDef("hotline_work_money", "hotline", "热线就业经济类来电", "次"),
    IndicatorDef("hotline_disaster_stress", "hotline", "热线灾害应激类来电", "次"),
    IndicatorDef("hotline_emotional_distress", "hotline", "热线情绪困扰类来电", "次"),
    IndicatorDef("mh_outpatient_visits", "mental_health_service", "精神心理门诊就诊", "人次"),
    IndicatorDef(
        "maternal_epds_positive", "screening", "孕产妇EPDS≥13筛查阳性", "人", "proportion"
    ),
    IndicatorDef("student_phq9_positive", "screening", "学生PHQ-9≥10筛查阳性", "人", "proportion"),
    IndicatorDef(
        "smd_unstable_followups", "smd_control", "严重精神障碍病情不稳定/危险性≥3级随访", "人次"
    ),
    # documents (petitions, hotline notes) whose 焦虑 + 愤怒/怨气 score is high (text stage)
    IndicatorDef(
        "negative_emotion_docs",
        "negative_emotion",
        "焦虑/愤怒情绪明显的信访和热线记录",
        "件",
        source="text",
    ),
)

BY_NAME = {d.name: d for d in INDICATORS}
DOMAINS = (
    "disputes",
    "petitions",
    "self_harm",
    "hotline",
    "mental_health_service",
    "screening",
    "smd_control",
    "negative_emotion",
)
DOMAIN_LABEL_ZH = {
    "disputes": "矛盾纠纷",
    "petitions": "信访",
    "self_harm": "自伤自杀",
    "hotline": "心理援助热线",
    "mental_health_service": "精神心理服务利用",
    "screening": "心理筛查阳性",
    "smd_control": "严重精神障碍管控",
    "negative_emotion": "负面情绪",
}

COUNT_COLUMNS = ["indicator", "township_code", "month", "numerator", "denominator"]


def complete_grid(
    counts: pd.DataFrame,
    townships: pd.DataFrame,
    months: pd.Series,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """Every indicator x township x month, zero where nothing was counted.

    ``indicators``: the indicators whose source was read (default all); an indicator whose
    source is missing (e.g. no text stage yet) gets no series rather than a series of zeros.

    ``counts``: columns ``indicator, township_code, month, numerator[, denominator]`` (the
    denominator only for proportions: number screened).  ``townships``: ``township_code,
    county_code``.  Unknown indicators are an error, so a typo cannot silently drop a series.
    """
    unknown = sorted(set(counts["indicator"]) - set(BY_NAME))
    if unknown:
        raise ValueError(f"unknown indicators {unknown}; define them in models/risk/indicators.py")
    month_idx = pd.DatetimeIndex(pd.to_datetime(pd.Series(months).drop_duplicates())).sort_values()
    grid = pd.MultiIndex.from_product(
        [
            indicators if indicators is not None else [d.name for d in INDICATORS],
            townships["township_code"].tolist(),
            month_idx,
        ],
        names=["indicator", "township_code", "month"],
    ).to_frame(index=False)
    work = counts.copy()
    work["month"] = pd.to_datetime(work["month"])
    if "denominator" not in work:
        work["denominator"] = np.nan
    out = grid.merge(work[COUNT_COLUMNS], on=["indicator", "township_code", "month"], how="left")
    out["numerator"] = out["numerator"].fillna(0).astype(float)
    out = out.merge(townships[["township_code", "county_code"]], on="township_code", how="left")
    return out


def attach_population(frame: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Rate denominators: township resident population of the month's year.

    ``population``: ``township_code, year, population``.  Years outside the table take the
    nearest year available for the township (the register lags a year behind events).
    """
    out = frame.copy()
    out["year"] = out["month"].dt.year
    pop = population.groupby(["township_code", "year"], as_index=False)["population"].sum()
    years = np.sort(pop["year"].unique())
    if len(years):
        idx = np.clip(np.searchsorted(years, out["year"].to_numpy()), 0, len(years) - 1)
        lower = np.clip(idx - 1, 0, len(years) - 1)
        ny = np.where(
            np.abs(years[lower] - out["year"].to_numpy())
            <= np.abs(years[idx] - out["year"].to_numpy()),
            years[lower],
            years[idx],
        )
        out["pop_year"] = ny
    else:
        out["pop_year"] = out["year"]
    out = out.merge(
        pop.rename(columns={"year": "pop_year", "population": "_pop"}),
        on=["township_code", "pop_year"],
        how="left",
    )
    is_rate = out["indicator"].map(lambda n: BY_NAME[n].kind == "rate")
    out["denominator"] = np.where(is_rate, out["_pop"], out["denominator"].fillna(0))
    return out.drop(columns=["year", "pop_year", "_pop"])


def add_county_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Append county series (sums over townships) with ``area_level`` township|county."""
    town = frame.assign(area_level="township", area_code=frame["township_code"])
    county = (
        frame.groupby(["indicator", "county_code", "month"], as_index=False)[
            ["numerator", "denominator"]
        ]
        .sum(min_count=1)
        .assign(area_level="county", township_code=None)
    )
    county["area_code"] = county["county_code"]
    return pd.concat([town, county[town.columns]], ignore_index=True)


def add_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates per 10 000 (Byar/exact interval), proportions (Wilson), EB-smoothed rates."""
    out = frame.copy()
    out["domain"] = out["indicator"].map(lambda n: BY_NAME[n].domain)
    out["kind"] = out["indicator"].map(lambda n: BY_NAME[n].kind)
    x = out["numerator"].to_numpy(float)
    n = out["denominator"].fillna(0).to_numpy(float)
    rate = rate_ci(x, n, multiplier=RATE_PER, method="phe")
    prop = proportion_ci(np.minimum(x, n), n)
    is_rate = (out["kind"] == "rate").to_numpy()
    for col, r_col, p_col in (
        ("value", "rate", "value"),
        ("lower", "lower", "lower"),
        ("upper", "upper", "upper"),
    ):
        out[col] = np.where(is_rate, rate[r_col].to_numpy(), prop[p_col].to_numpy())
    out.loc[out["denominator"].fillna(0) <= 0, ["value", "lower", "upper"]] = np.nan
    out["value_smoothed"] = _smoothed(out)
    return out


def _smoothed(frame: pd.DataFrame) -> np.ndarray:
    """Marshall's global EB estimate across a county's townships, per indicator x month.

    The same estimator as :func:`models.risk.rates.eb_global`, applied to every (indicator,
    county, month) group at once with group sums instead of a Python loop per group.
    """
    result = np.full(len(frame), np.nan)
    mask = ((frame["area_level"] == "township") & (frame["denominator"].fillna(0) > 0)).to_numpy()
    sub = frame.loc[mask]
    if sub.empty:
        return result
    g = sub.groupby(["indicator", "county_code", "month"], sort=False).ngroup().to_numpy()
    n = sub["denominator"].to_numpy(float)
    x = np.minimum(sub["numerator"].to_numpy(float), n)
    k = g.max() + 1
    sx, sn = np.bincount(g, x, k), np.bincount(g, n, k)
    cnt = np.bincount(g, minlength=k)
    m = (sx / sn)[g]
    p = x / n
    a = np.bincount(g, n * (p - m) ** 2, k) / sn - (sx / sn) / (sn / cnt)
    a = np.maximum(a, 0.0)[g]
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(a > 0, a / (a + m / n), 0.0)
    est = m + shrink * (p - m)
    scale = np.where(sub["kind"].to_numpy() == "rate", RATE_PER, 1.0)
    result[mask] = est * scale
    return result


def build_indicator_table(
    counts: pd.DataFrame,
    townships: pd.DataFrame,
    months: pd.Series,
    population: pd.DataFrame,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """The whole indicator table: township and county series with intervals."""
    grid = complete_grid(counts, townships, months, indicators)
    grid = attach_population(grid, population)
    both = add_county_series(grid)
    out = add_intervals(both)
    cols = [
        *SERIES_COLUMNS,
        "numerator",
        "denominator",
        "value",
        "lower",
        "upper",
        "value_smoothed",
    ]
    return (
        out[cols]
        .sort_values(["indicator", "area_level", "area_code", "month"])
        .reset_index(drop=True)
    )
