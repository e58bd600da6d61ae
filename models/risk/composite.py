"""Township-share detector, exceedance scores and the composite township risk level.

Why a township-share rule besides R's methods: with 36 months of monthly data the method
``select.py`` picks is EARS C1, whose 7-month moving baseline follows the strong seasonality
of some series (劳资纠纷 nearly double in December/January) and whose standard deviation is
0 for sparse series, so it both over- and under-alarms on township data.  The share rule
compares a township with the rest of its county in the same month:

    expected[i, t] = y_hist[i] / y_hist[others] * y[others, t]

(histories = the ``history_months`` before t), which carries the county's seasonality and any
county-wide shift, and is not inflated by a local event.  The upper bound is the (1 - alpha)
quantile of a negative binomial with that mean and a robust dispersion (median Pearson
residual, floored at 1).  Proportions (screening positives) use the binomial analogue.
County series, having no peers, use the plain history mean.

The composite index (see ``config/risk.yaml``) sums, per township x month, weight x the
largest exceedance score of each domain's indicators; contributions are rounded to 0.01 and
the index is their sum, so they add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

from models.risk.indicators import BY_NAME, DOMAIN_LABEL_ZH, DOMAINS, SERIES_COLUMNS
from models.risk.reasons import alert_reason, level_reason

CONFIG_PATH = Path(__file__).parent / "config" / "risk.yaml"
LEVELS = ("蓝", "黄", "橙", "红")
LEVEL_CODES = {"蓝": "blue", "黄": "yellow", "橙": "orange", "红": "red"}
SHARE_METHOD = "township-share"
COUNTY_METHOD = "history-mean"


class DetectorConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    alpha: float = Field(0.001, gt=0, lt=0.5)
    history_months: int = Field(12, ge=3)
    min_history_months: int = Field(6, ge=1)
    min_count: int = Field(5, ge=1)
    min_denominator: int = Field(30, ge=1)
    window_months: int = Field(3, ge=1, le=6)


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yellow: float = Field(gt=0)
    orange: float
    red: float

    @model_validator(mode="after")
    def _increasing(self) -> Thresholds:
        if not self.yellow < self.orange < self.red:
            raise ValueError(
                f"thresholds must increase yellow < orange < red; got {self.yellow}, "
                f"{self.orange}, {self.red}"
            )
        return self


class RiskConfig(BaseModel):
    """``risk.yaml``, validated."""

    model_config = ConfigDict(extra="forbid")
    score_cap: float = Field(3.0, gt=0)
    score_floor: float = Field(0.5, ge=0, lt=1)
    detector: DetectorConfig = DetectorConfig()
    weights: dict[str, float]
    thresholds: Thresholds

    @model_validator(mode="after")
    def _domains(self) -> RiskConfig:
        unknown = sorted(set(self.weights) - set(DOMAINS))
        if unknown:
            raise ValueError(f"weights: unknown domains {unknown}; known: {list(DOMAINS)}")
        negative = sorted(d for d, w in self.weights.items() if w < 0)
        if negative:
            raise ValueError(f"weights: negative weight for {negative}")
        return self


def load_config(home: Path | str | None = None) -> RiskConfig:
    """The shipped ``risk.yaml``, or ``$XINTAI_HOME/config/risk.yaml`` when it exists."""
    path = CONFIG_PATH
    if home is not None and (Path(home) / "config" / "risk.yaml").exists():
        path = Path(home) / "config" / "risk.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RiskConfig.model_validate(raw)
    except Exception as exc:  # say which file, then the field-level message
        raise ValueError(f"{path}: invalid risk configuration: {exc}") from exc


# ----------------------------------------------------------------------------- detector


def _rolling_sum(m: np.ndarray, window: int) -> np.ndarray:
    """Sum of the ``window`` columns before each column (exclusive), along axis 1."""
    c = np.concatenate([np.zeros((m.shape[0], 1)), np.cumsum(m, axis=1)], axis=1)
    t = np.arange(m.shape[1])
    lo = np.maximum(t - window, 0)
    return c[:, t] - c[:, lo]


def _trailing_sum(m: np.ndarray, window: int) -> np.ndarray:
    """Sum of the ``window`` columns ending at each column (inclusive), along axis 1."""

    def run(a):
        c = np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(a, axis=1)], axis=1)
        t = np.arange(a.shape[1])
        return c[:, t + 1] - c[:, np.maximum(t + 1 - window, 0)]

    missing = run(np.isnan(m).astype(float)) > 0
    return np.where(missing, np.nan, run(np.nan_to_num(m)))


def _upper_count(expected: np.ndarray, phi: np.ndarray, alpha: float) -> np.ndarray:
    e = np.where(np.isfinite(expected), np.maximum(expected, 1e-9), np.nan)
    phi = np.broadcast_to(phi, e.shape)
    pois = stats.poisson.ppf(1 - alpha, e)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = e / np.maximum(phi - 1, 1e-9)
        nb = stats.nbinom.ppf(1 - alpha, n, 1 / phi)
    return np.where(phi > 1.01, nb, pois)


def _dispersion(y: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Robust per-series dispersion: median Pearson chi-square / median of chi2(1), >= 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(expected > 0, (y - expected) ** 2 / expected, np.nan)
    med = np.nanmedian(np.where(np.isfinite(r2), r2, np.nan), axis=1) / stats.chi2.ppf(0.5, 1)
    return np.clip(np.nan_to_num(med, nan=1.0), 1.0, 10.0)[:, None]


def share_detect(indicators: pd.DataFrame, cfg: DetectorConfig) -> pd.DataFrame:
    """Expected, upper bound and alarm for every series of the indicator table (vectorised).

    Returns the input rows with ``expected, upperbound, alarm, method`` added.
    """
    pieces = []
    for (ind, _county), grp in indicators.groupby(["indicator", "county_code"], sort=False):
        kind = BY_NAME[ind].kind
        grp = grp.sort_values(["area_level", "area_code", "month"])
        town = grp[grp["area_level"] == "township"]
        cty = grp[grp["area_level"] == "county"]
        for part, peers in ((town, True), (cty, False)):
            if part.empty:
                continue
            months = part["month"].nunique()
            y = part["numerator"].to_numpy(float).reshape(-1, months)
            n = part["denominator"].fillna(0).to_numpy(float).reshape(-1, months)
            fn = _share_counts if kind == "rate" else _share_props
            e, u = fn(y, n, cfg, peers)
            win = np.ones_like(y)
            yy = y
            if kind == "rate" and cfg.window_months > 1:
                yy, e, u, win = _sustained(y, e, cfg)
            ok = np.isfinite(u)
            alarm = ok & (yy > u) & (yy >= cfg.min_count)
            if kind == "proportion":
                alarm &= n >= cfg.min_denominator
            res = part.copy()
            res["observed"] = yy.ravel()
            res["expected"] = e.ravel()
            res["upperbound"] = u.ravel()
            res["window_months"] = win.ravel().astype(int)
            res["alarm"] = alarm.ravel()
            res["method"] = SHARE_METHOD if peers else COUNTY_METHOD
            pieces.append(res)
    return pd.concat(pieces, ignore_index=True)


def _sustained(y, e, cfg: DetectorConfig):
    """Also test the sums of the last 2 … ``window_months`` months, so that a sustained
    moderate rise (e.g. +50% for three months) is caught; per township-month the window with
    the largest exceedance is kept (observed/expected/upper bound are then window sums)."""
    phi = _dispersion(y, e)
    best = None
    for k in range(1, cfg.window_months + 1):
        yk, ek = _trailing_sum(y, k), _trailing_sum(e, k)  # NaN e keeps the window NaN
        ek = np.where(np.arange(y.shape[1])[None, :] >= k - 1, ek, np.nan)
        uk = np.where(np.isfinite(ek), _upper_count(ek, phi, cfg.alpha), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            sk = np.where(uk > ek, (yk - ek) / (uk - ek), -np.inf)
        sk = np.where(np.isfinite(sk), sk, -np.inf)
        if best is None:
            best = [yk, ek, uk, np.full(y.shape, k), sk]
            continue
        take = sk > best[4]
        for i, v in enumerate((yk, ek, uk, np.full(y.shape, k), sk)):
            best[i] = np.where(take, v, best[i])
    return best[0], best[1], best[2], best[3]


def _history_mask(y: np.ndarray, cfg: DetectorConfig) -> np.ndarray:
    t = np.arange(y.shape[1])
    return np.broadcast_to(np.minimum(t, cfg.history_months) >= cfg.min_history_months, y.shape)


def _share_counts(y, n, cfg: DetectorConfig, peers: bool):
    w = cfg.history_months
    hist = _rolling_sum(y, w)
    months_hist = np.minimum(np.arange(y.shape[1]), w)[None, :]
    if peers and y.shape[0] > 1:
        others = y.sum(axis=0, keepdims=True) - y
        hist_o = _rolling_sum(others, w)
        with np.errstate(divide="ignore", invalid="ignore"):
            e = np.where(hist_o > 0, hist / hist_o * others, hist / np.maximum(months_hist, 1))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            e = hist / np.maximum(months_hist, 1)
    e = np.where(_history_mask(y, cfg), e, np.nan)
    # small floor: a township with no history of an event type still has some chance of one
    e = np.where(np.isfinite(e), np.maximum(e, 0.05), np.nan)
    phi = _dispersion(y, e)
    u = np.where(np.isfinite(e), _upper_count(e, phi, cfg.alpha), np.nan)
    return e, u


def _share_props(x, n, cfg: DetectorConfig, peers: bool):
    w = cfg.history_months
    hx, hn = _rolling_sum(x, w), _rolling_sum(n, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_own = np.where(hn >= cfg.min_denominator, hx / hn, np.nan)
        if peers and x.shape[0] > 1:
            xo, no = x.sum(0, keepdims=True) - x, n.sum(0, keepdims=True) - n
            p_now = np.where(no > 0, xo / no, np.nan)
            ho = _rolling_sum(xo, w) / _rolling_sum(no, w)
            adj = np.where(np.isfinite(ho) & (ho > 0) & np.isfinite(p_now), p_now / ho, 1.0)
            p = np.where(np.isfinite(p_own), p_own * adj, p_now)
        else:
            p = p_own
    p = np.clip(p, 1e-4, 0.999)
    valid = np.isfinite(p) & (n > 0)
    e = np.where(valid, n * p, np.nan)
    u = np.where(
        valid, stats.binom.ppf(1 - cfg.alpha, n.astype(int), np.where(valid, p, 0.5)), np.nan
    )
    return e, u


# ----------------------------------------------------------------------------- composite


def exceedance_scores(detected: pd.DataFrame, cfg: RiskConfig) -> pd.Series:
    """0 at or below the baseline, 1 at the upper bound, capped at ``score_cap``."""
    y = detected["observed" if "observed" in detected else "numerator"].to_numpy(float)
    e = detected["expected"].to_numpy(float)
    u = detected["upperbound"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(u > e, (y - e) / (u - e), np.where(y > e, cfg.score_cap, 0.0))
    s = np.nan_to_num(s, nan=0.0)
    # scores below `score_floor` are noise: rescale so the floor maps to 0 and the bound to 1
    s = np.clip((s - cfg.score_floor) / (1 - cfg.score_floor), 0.0, cfg.score_cap)
    # a handful of events is never a strong signal, whatever the baseline
    s = s * np.minimum(1.0, y / cfg.detector.min_count)
    if "kind" in detected:
        small_n = (detected["kind"] == "proportion").to_numpy() & (
            detected["denominator"].fillna(0).to_numpy() < cfg.detector.min_denominator
        )
        s = np.where(small_n, 0.0, s)
    return pd.Series(s, index=detected.index, name="score")


def level_of(index: np.ndarray | pd.Series, thresholds: Thresholds) -> np.ndarray:
    """蓝/黄/橙/红 from the index and the thresholds (a value at a threshold takes that level)."""
    idx = np.asarray(index, dtype=float)
    cuts = np.array([thresholds.yellow, thresholds.orange, thresholds.red])
    return np.array(LEVELS, dtype=object)[np.searchsorted(cuts, idx, side="right")]


def composite(scored: pd.DataFrame, cfg: RiskConfig) -> pd.DataFrame:
    """Township x month: ``contrib_<domain>`` for every domain, ``risk_index``, ``level``,
    ``top_indicator_<domain>``.  ``scored`` = township rows with ``domain, score``."""
    town = scored[scored["area_level"] == "township"]
    keys = ["county_code", "township_code", "month"]
    best = town.sort_values("score", ascending=False).drop_duplicates(keys + ["domain"])
    wide = best.pivot_table(index=keys, columns="domain", values="score", aggfunc="max")
    top = best.pivot(index=keys, columns="domain", values="indicator")
    out = pd.DataFrame(index=wide.index)
    total = np.zeros(len(out))
    for d in DOMAINS:
        s = wide[d].to_numpy(float) if d in wide else np.zeros(len(out))
        c = np.round(cfg.weights.get(d, 0.0) * np.nan_to_num(s), 2)
        out[f"contrib_{d}"] = c
        out[f"top_indicator_{d}"] = top[d] if d in top else None
        total = total + c
    out["risk_index"] = total
    out["level"] = level_of(total, cfg.thresholds)
    out["level_code"] = out["level"].map(LEVEL_CODES)
    return out.reset_index()


# ----------------------------------------------------------------------------- reasons


def _reason(r, cfg: RiskConfig | None) -> str:
    d = BY_NAME[r["indicator"]]
    method = str(r["method"])
    months = 7 if method.startswith("ears") else (cfg.detector.history_months if cfg else 12)
    return alert_reason(
        d.label_zh,
        d.unit_zh,
        r["observed"],
        r["expected"],
        r["upperbound"],
        kind=d.kind,
        denominator=r["denominator"],
        baseline_months=months,
        window_months=int(r.get("window_months", 1) or 1),
    )


def alerts_table(
    detected: pd.DataFrame, extra: pd.DataFrame | None = None, cfg: RiskConfig | None = None
) -> pd.DataFrame:
    """One row per alarm (series x month x method) with a plain-Chinese reason.

    ``observed``/``expected``/``upperbound`` are sums over ``window_months`` months ending in
    ``month`` (1 for the R methods; 1-3 for the township-share rule's sustained test)."""
    frames = [detected[detected["alarm"]]]
    if extra is not None and len(extra):
        ex = extra[extra["alarm"]].copy()
        ex["observed"] = ex["numerator"]
        ex["window_months"] = 1
        frames.append(ex)
    al = pd.concat(frames, ignore_index=True)
    al["reason"] = [_reason(r, cfg) for r in al.to_dict("records")] if len(al) else []
    cols = [
        *SERIES_COLUMNS,
        "method",
        "window_months",
        "observed",
        "numerator",
        "denominator",
        "expected",
        "upperbound",
        "reason",
    ]
    return (
        al[cols].sort_values(["month", "area_code", "indicator", "method"]).reset_index(drop=True)
    )


def add_level_reasons(
    levels: pd.DataFrame, detected: pd.DataFrame, cfg: RiskConfig
) -> pd.DataFrame:
    """A reason for every township x month level, naming the domains that drive it."""
    key = detected.set_index(["indicator", "area_code", "month"])
    out = levels.copy()
    reasons = []
    for r in out.itertuples(index=False):
        row = r._asdict()
        top = []
        contribs = sorted(((row[f"contrib_{d}"], d) for d in DOMAINS), reverse=True)
        for c, d in contribs:
            if c <= 0 or len(top) == 3:
                continue
            ind = row[f"top_indicator_{d}"]
            detail = ""
            if isinstance(ind, str):
                x = key.loc[(ind, row["township_code"], row["month"])]
                dd = BY_NAME[ind]
                if bool(x["alarm"]):
                    detail = _reason({**x.to_dict(), "indicator": ind}, cfg)
                else:
                    detail = f"{dd.label_zh}高于基线但未超出预警上限"
            top.append((DOMAIN_LABEL_ZH[d], c, detail))
        reasons.append(level_reason(row["level"] + "色", row["risk_index"], top))
    out["reason"] = reasons
    return out


@dataclass(frozen=True)
class RiskStage:
    """Everything the risk stage produces from the indicator table."""

    indicators: pd.DataFrame  # with expected/upperbound/alarm/method/score (share rule)
    alerts: pd.DataFrame
    levels: pd.DataFrame


def run_risk_stage(indicators: pd.DataFrame, cfg: RiskConfig) -> RiskStage:
    """Pure risk stage: detectors (share rule + the method select.py picks), scores, levels."""
    from models.risk.detectors import detect_many

    detected = share_detect(indicators, cfg.detector)
    detected["score"] = exceedance_scores(detected, cfg)
    counts = indicators[indicators["kind"] == "rate"]
    r_methods = detect_many(
        counts, keys=["indicator", "area_code"], method="auto", period="month", count="numerator"
    )
    r_methods = r_methods.rename(columns={"period": "month", "count": "numerator"})
    meta = indicators[
        [
            "indicator",
            "area_code",
            "month",
            "domain",
            "kind",
            "area_level",
            "county_code",
            "township_code",
            "denominator",
        ]
    ]
    r_methods = r_methods.merge(meta, on=["indicator", "area_code", "month"], how="left")
    r_methods["alarm"] = r_methods["alarm"] & (r_methods["numerator"] >= cfg.detector.min_count)
    alerts = alerts_table(detected, r_methods, cfg)
    levels = composite(detected, cfg)
    levels = add_level_reasons(levels, detected, cfg)
    return RiskStage(indicators=detected, alerts=alerts, levels=levels)
