"""Farrington flexible (Noufaily et al. 2013), exactly as R ``surveillance::farringtonFlexible``.

Ported line by line from ``R/farringtonFlexible.R`` and ``R/algo_farrington.R`` of surveillance
1.26.0.  For each monitored period t:

1. Reference data: the periods t-w..t of the current year plus windows of +-w around the same
   period 1..b years back.  With ``epochAsDate=False`` (default here) "one year back" is exactly
   ``freq`` periods (52 weeks / 12 months), as R does for an sts without Date epochs.  With
   ``epochAsDate=True`` it is R's Date logic: the same calendar date one year back, moved to the
   nearest same weekday for weekly data (this goes back 53 weeks when leap days push the
   calendar date four or more days away, e.g. b = 5).
   ``noPeriods > 1`` adds the gaps between windows as extra factor levels ("blocks"); the last
   ``pastWeeksNotIncluded`` periods (default w) and t itself are left out.
2. Quasi-Poisson log-link GLM ``response ~ 1 + wtime [+ offset(log(population))] [+ seasgroups]``
   (R's ``glm.fit``, mirrored in ``glm.py``).  phi = max(Pearson dispersion, 1).  If ``reweight``
   the fit is repeated with weights from standardised Anscombe residuals s (gamma * s^-2 above
   ``weightsThreshold``, gamma otherwise, gamma so that weights sum to n).
3. The trend is kept only if b >= 3, its p-value (``summary.glm``'s t-test) is below
   ``pThresholdTrend`` and the predicted value does not exceed the largest reference count;
   otherwise everything is refitted without it.
4. The prediction's standard error comes from ``predict.glm`` (R passes ``phi`` only as a
   stray column of ``newdata``), the threshold uses phi.  Both ``summary.glm`` in step 3 and
   ``predict.glm`` here estimate the dispersion as sum(model$weights * r^2) / df.residual, and
   after reweighting R has set ``model$weights <- omega`` (the Anscombe weights, not glm's
   working weights omega * mu), so with ``reweight`` that dispersion is
   sum(omega * ((y - mu) / mu)^2) / df.residual -- not the Pearson dispersion phi is taken
   from.  Using the Pearson value instead changes the bounds in 88 of the 105 Salmonella
   test weeks and the trend decision in 10, one of them the alarm week 2011-08-29.
   Thresholds:
   ``delta`` (Farrington 1996, power transformation ``powertrans``, one-sided 1 - alpha),
   ``nbPlugin`` (negative-binomial quantile at exp(eta)), ``muan`` (at the 1 - alpha quantile of
   exp(eta)).
5. If fewer than ``limit54[0]`` cases in the last ``limit54[1]`` periods (t included): no
   upper bound, no expected, no alarm.  Alarm = score > 1 and count != 0, where
   score = (y - fit) / (upper - fit) with fit on the scale R uses (link scale for the Noufaily
   methods, as R does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import nbinom, norm, poisson
from scipy.stats import t as student_t

from .base import (
    FREQ_MONTHLY,
    FREQ_WEEKLY,
    InsufficientHistoryError,
    parse_range,
    prepare_series,
    result_frame,
)
from .glm import (
    EPS,
    fit_poisson_log,
    hat_values,
    pearson_dispersion,
    predict_link,
    summary_dispersion,
)

THRESHOLD_METHODS = ("delta", "nbPlugin", "muan")
POWERTRANS = ("2/3", "1/2", "none")
CHUNK_ITEMS = 4096


@dataclass(frozen=True)
class FarringtonControl:
    """R ``farringtonFlexible`` control list: R's names and R's defaults.

    ``epochAsDate`` is not a control element in R but a slot of the sts object; it chooses
    how "one year back" is found (see the module docstring).
    """

    range: str | tuple[int, ...] | None = None
    b: int = 5
    w: int = 3
    reweight: bool = True
    weightsThreshold: float = 2.58  # noqa: N815
    glmWarnings: bool = True  # noqa: N815 - accepted for compatibility; no effect
    alpha: float = 0.05
    trend: bool = True
    pThresholdTrend: float = 0.05  # noqa: N815
    limit54: tuple[int, int] = (5, 4)
    powertrans: str = "2/3"
    fitFun: str = "algo.farrington.fitGLM.flexible"  # noqa: N815
    populationOffset: bool = False  # noqa: N815
    noPeriods: int = 1  # noqa: N815
    pastWeeksNotIncluded: int | None = None  # noqa: N815
    thresholdMethod: str = "delta"  # noqa: N815
    epochAsDate: bool = False  # noqa: N815

    def __post_init__(self) -> None:
        if self.thresholdMethod not in THRESHOLD_METHODS:
            raise ValueError(f"thresholdMethod must be one of {THRESHOLD_METHODS}")
        if self.powertrans not in POWERTRANS:
            raise ValueError("No proper exponent in algo.farrington.threshold.")
        if self.fitFun != "algo.farrington.fitGLM.flexible":
            raise ValueError("fitFun must be 'algo.farrington.fitGLM.flexible'")
        if not (self.limit54[0] >= 0 and self.limit54[1] > 0):
            raise ValueError("The limit54 arguments are out of bounds: cases >= 0 and period > 0.")
        if self.b < 1 or self.w < 0 or self.noPeriods < 1:
            raise ValueError("b must be >= 1, w >= 0 and noPeriods >= 1")

    @property
    def past_weeks_not_included(self) -> int:
        return self.w if self.pastWeeksNotIncluded is None else int(self.pastWeeksNotIncluded)

    def first_monitored(self, freq: int) -> int:
        """R's default ``range`` start (1-based): freq * b + w + 1."""
        return freq * self.b + self.w + 1


# --------------------------------------------------------------------------------------------
# Thresholds (vectorised ports of algo.farrington.threshold.farrington / .noufaily)
# --------------------------------------------------------------------------------------------


def threshold_farrington(
    pred_fit: np.ndarray,
    pred_se: np.ndarray,
    phi: np.ndarray,
    skewness_transform: str,
    alpha: float,
    y: np.ndarray,
) -> dict[str, np.ndarray]:
    """``algo.farrington.threshold.farrington``: lower, upper, prob (P(Y >= y)), score."""
    mu0 = np.asarray(pred_fit, dtype=float)
    se_fit = np.asarray(pred_se, dtype=float)
    y = np.asarray(y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = phi + se_fit**2 / mu0
        if skewness_transform == "none":
            se, exponent = np.sqrt(mu0 * tau), 1.0
        elif skewness_transform == "1/2":
            se, exponent = np.sqrt(0.25 * tau), 0.5
        elif skewness_transform == "2/3":
            se, exponent = np.sqrt(4 / 9 * mu0 ** (1 / 3) * tau), 2 / 3
        else:
            raise ValueError("No proper exponent in algo.farrington.threshold.")
        z = norm.ppf(1 - alpha)
        a = np.power(mu0**exponent - z * se, 1 / exponent)
        b = np.power(mu0**exponent + z * se, 1 / exponent)
        # R: sort(c(a, b), na.last = FALSE), then lower = max(0, lower, na.rm = TRUE)
        a_nan, b_nan = np.isnan(a), np.isnan(b)
        lower = np.where(a_nan, a, np.where(b_nan, b, np.minimum(a, b)))
        upper = np.where(a_nan, b, np.where(b_nan, a, np.maximum(a, b)))
        lower = np.where(np.isnan(lower), 0.0, np.maximum(0.0, lower))
        prob = norm.sf(y**exponent, loc=mu0**exponent, scale=se)
        score = np.where(np.isnan(upper), np.nan, (y - mu0) / (upper - mu0))
    return {"lower": lower, "upper": upper, "prob": prob, "score": score}


def threshold_noufaily(
    pred_fit: np.ndarray,
    pred_se: np.ndarray,
    phi: np.ndarray,
    alpha: float,
    y: np.ndarray,
    method: str,
) -> dict[str, np.ndarray]:
    """``algo.farrington.threshold.noufaily`` (``nbPlugin`` / ``muan``); pred_fit on link scale."""
    eta0 = np.asarray(pred_fit, dtype=float)
    se_eta = np.asarray(pred_se, dtype=float)
    phi = np.broadcast_to(np.asarray(phi, dtype=float), eta0.shape)
    y = np.broadcast_to(np.asarray(y, dtype=float), eta0.shape)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if method == "nbPlugin":
            mu_q = np.exp(eta0)
        else:
            mu_q = np.exp(norm.ppf(1 - alpha, loc=eta0, scale=se_eta))
        nb = phi > 1
        size = np.where(nb, mu_q / (phi - 1), 1.0)
        prob_nb = 1 / phi
        lower = np.where(nb, nbinom.ppf(alpha, size, prob_nb), poisson.ppf(alpha, mu_q))
        upper = np.where(nb, nbinom.ppf(1 - alpha, size, prob_nb), poisson.ppf(1 - alpha, mu_q))
        lower = np.maximum(0.0, lower)
        prob = np.where(phi != 1, nbinom.sf(y - 1, size, prob_nb), poisson.sf(y - 1, mu_q))
        inf = np.isinf(mu_q)
        lower, upper, prob = (np.where(inf, np.nan, v) for v in (lower, upper, prob))
        score = np.where(np.isnan(upper), np.nan, (y - eta0) / (upper - eta0))
    return {"lower": lower, "upper": upper, "prob": prob, "score": score}


# --------------------------------------------------------------------------------------------
# Reference data (algo.farrington.referencetimepoints, blocks, algo.farrington.data.glm)
# --------------------------------------------------------------------------------------------


def _years_back(day: dt.date, years: int) -> dt.date:
    """R ``seq(day, by = "-1 year")``: POSIXlt year arithmetic, Feb 29 rolls to Mar 1."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 3, 1)


def reference_dates(day: dt.date, b: int, freq: int) -> list[dt.date]:
    """``algo.farrington.referencetimepoints`` with Date epochs (includes ``day`` itself)."""
    refs = [_years_back(day, i) for i in range(b + 1)]
    if freq != FREQ_WEEKLY:
        return refs
    to_get = (day.weekday() + 1) % 7  # R's %w: 0 = Sunday
    out = []
    for ref in refs:
        actual = (ref.weekday() + 1) % 7
        a = ref - dt.timedelta(days=actual - to_get)
        b_ = a + dt.timedelta(days=-7 if a > ref else 7)
        out.append(b_ if abs((a - ref).days) > abs((b_ - ref).days) else a)
    return out


def _r_colon(a: int, b: int) -> np.ndarray:
    """R's ``a:b`` (descending when a > b, a quirk ``blocks`` relies on)."""
    return np.arange(a, b + 1) if b >= a else np.arange(a, b - 1, -1)


def _r_assign(vec: np.ndarray, idx1: np.ndarray, value: float) -> bool:
    """``vec[idx1] <- value`` with R's 1-based rules (0 dropped); False where R would fail."""
    if np.any(idx1 < 0):
        return False
    idx1 = idx1[(idx1 > 0) & (idx1 <= len(vec))]
    vec[idx1 - 1] = value
    return True


@dataclass(frozen=True)
class ReferenceDesign:
    """Rows (0-based), their factor level and wtime, and the wtime to predict at, for one t."""

    rows: np.ndarray
    levels: np.ndarray
    wtime: np.ndarray
    wtime_origin_day: float  # R: dataGLM$vectorOfDates[1] depends on NA removal (date mode)
    day_now: float
    diff1: float
    k: int


def reference_design(
    k: int,
    n: int,
    freq: int,
    control: FarringtonControl,
    dates: pd.DatetimeIndex | None,
) -> ReferenceDesign | None:
    """Reference rows for 1-based period k, or None where R would stop with an error."""
    b, w, p = control.b, control.w, control.noPeriods
    if control.epochAsDate:
        assert dates is not None
        day = dates[k - 1].date()
        refs = (
            reference_dates(day, b, freq)
            if freq in (FREQ_WEEKLY, FREQ_MONTHLY)
            else [_years_back(day, i) for i in range(b + 1)]
        )
        lookup = {d.date(): i + 1 for i, d in enumerate(dates)}
        pos = [lookup.get(r) for r in refs]
        if any(q is None for q in pos):
            return None
        ref_weeks = sorted(pos, reverse=True)
    else:
        ref_weeks = [k - freq * i for i in range(b + 1)]
        if min(ref_weeks) < 1:
            return None
    factors = np.full(n, np.nan)
    if not _r_assign(factors, _r_colon(k - w, k), p):
        return None
    for i in range(1, b + 1):
        ref = ref_weeks[i]
        if not _r_assign(factors, _r_colon(ref - w, ref + w), p):
            return None
        if p != 1:
            period = ref_weeks[i - 1] - 2 * w - 1 - ref
            if period < p - (2 * w + 1):
                raise ValueError("Number of factors too big!")
            lengths = np.full(p - 1, period // (p - 1))
            lengths[: period % (p - 1)] += 1
            cum = np.concatenate([[0], np.cumsum(lengths)])
            for j in range(1, p):
                start = ref + w + 1 + cum[j - 1]
                stop = ref + w + 1 + cum[j] - 1
                if not _r_assign(factors, _r_colon(int(start), int(stop)), j):
                    return None
    ids = factors.copy()
    if not _r_assign(ids, _r_colon(k - control.past_weeks_not_included, k), np.nan):
        return None
    rows = np.flatnonzero(~np.isnan(ids))
    if control.epochAsDate:
        days = dates.values.astype("datetime64[D]").astype(np.int64).astype(float)
        diff1 = days[1] - days[0]
        wtime = (days[rows] - days[rows[0]]) / diff1
        return ReferenceDesign(rows, factors[rows], wtime, days[rows[0]], days[k - 1], diff1, k)
    return ReferenceDesign(rows, factors[rows], (rows + 1).astype(float), 0.0, 0.0, 1.0, k)


# --------------------------------------------------------------------------------------------
# Model fitting (algo.farrington.fitGLM.flexible, algo.farrington.glm), batched
# --------------------------------------------------------------------------------------------


def assign_weights(s: np.ndarray, threshold: float, mask: np.ndarray) -> np.ndarray:
    """``algo.farrington.assign.weights`` over a batch (rows outside ``mask`` get 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        above = s > threshold
        contrib = np.where(above, s**-2.0, 1.0)
        gamma = mask.sum(axis=-1) / np.where(mask, contrib, 0.0).sum(axis=-1)
        omega = np.where(above, gamma[:, None] * s**-2.0, gamma[:, None])
    return np.where(mask, omega, 0.0)


def anscombe_residuals(y, mu, phi, hat) -> np.ndarray:
    """``anscombe.residuals``: standardised Anscombe residuals of a Poisson fit."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - mu**0.5)
        return a / np.sqrt(phi[:, None] * (1 - hat))


@dataclass(frozen=True)
class _Flexible:
    fit: object
    prior: np.ndarray
    phi: np.ndarray
    dispersion: np.ndarray  # what summary.glm / predict.glm see on the returned model
    initial_converged: np.ndarray


def _fit_flexible(x, y, mask, offset, control: FarringtonControl) -> _Flexible:
    """``algo.farrington.fitGLM.flexible`` for a batch sharing the same columns.

    phi = max(Pearson dispersion, 1) of the (re)fitted model.  After reweighting R stores the
    Anscombe weights in ``model$weights`` (``model$weights <- omega``), replacing glm's working
    weights, so every later ``summary.glm`` (the trend's p-value) and ``predict.glm`` (the
    prediction's se.fit) on that model use sum(omega * r^2) / df.residual with r the *working*
    residuals (y - mu) / mu, not the Pearson dispersion.  ``dispersion`` is that value.
    """
    prior = mask.astype(float)
    m0 = fit_poisson_log(x, y, prior, offset)
    disp = pearson_dispersion(m0, y)
    phi = np.maximum(disp, 1.0)
    model = m0
    if control.reweight:
        s = anscombe_residuals(np.where(mask, y, 0.0), m0.mu, phi, hat_values(m0, x))
        prior = assign_weights(s, control.weightsThreshold, mask)
        model = fit_poisson_log(x, y, prior, offset)
        phi = np.maximum(pearson_dispersion(model, y), 1.0)
        disp = summary_dispersion(model, y, prior)
    return _Flexible(model, prior, phi, disp, m0.converged)


def _batch_evaluate(
    designs: list[ReferenceDesign],
    y_rows: np.ndarray,
    pop_rows: np.ndarray,
    y_now: np.ndarray,
    pop_now: np.ndarray,
    y_recent_sum: np.ndarray,
    control: FarringtonControl,
) -> dict[str, np.ndarray]:
    """Evaluate a batch of (series, period) items; arrays padded to the longest design."""
    bsz, nmax = y_rows.shape
    p = control.noPeriods
    mask = np.zeros((bsz, nmax), dtype=bool)
    wtime = np.zeros((bsz, nmax))
    wtime_now = np.zeros(bsz)
    dummies = np.zeros((bsz, nmax, p))
    dummy_now = np.zeros((bsz, p))
    for i, d in enumerate(designs):
        m = len(d.rows)
        valid = ~np.isnan(y_rows[i, :m])
        mask[i, :m] = valid
        if control.epochAsDate:
            origin_pred = d.wtime_origin_day
            first_valid = np.flatnonzero(valid)
            if first_valid.size:
                origin_pred = d.wtime_origin_day + d.wtime[first_valid[0]] * d.diff1
            wtime_now[i] = (d.day_now - origin_pred) / d.diff1
        else:
            wtime_now[i] = d.k
        wtime[i, :m] = d.wtime
        if p > 1:
            lv = d.levels.astype(int)
            present = np.unique(lv)
            dummies[i, np.arange(m), lv - 1] = 1.0
            base = present.min() - 1
            dummies[i, :, base] = 0.0
            if p in present and p - 1 != base:
                dummy_now[i, p - 1] = 1.0
    y = np.where(mask, np.nan_to_num(y_rows), 0.0)
    offset = offset_now = None
    if control.populationOffset:
        with np.errstate(divide="ignore"):
            offset = np.where(mask, np.log(np.where(mask, pop_rows, 1.0)), 0.0)
            offset_now = np.log(pop_now)
    ones = np.ones((bsz, nmax, 1))
    x_base = np.concatenate([ones, dummies], axis=2) if p > 1 else ones
    x0_base = np.concatenate([np.ones((bsz, 1)), dummy_now], axis=1) if p > 1 else np.ones((bsz, 1))

    no_trend = _fit_flexible(x_base, y, mask, offset, control)
    eta, se = predict_link(no_trend.fit, x0_base, offset_now, no_trend.dispersion)
    phi = no_trend.phi
    ok = no_trend.initial_converged
    use_trend = np.zeros(bsz, dtype=bool)
    if control.trend:
        # R fits with the trend first; without convergence it falls back to the no-trend fit,
        # otherwise it keeps the trend only if all three of Farrington's criteria hold.
        x_tr = np.concatenate([x_base[:, :, :1], wtime[..., None], x_base[:, :, 1:]], axis=2)
        x0_tr = np.concatenate([x0_base[:, :1], wtime_now[:, None], x0_base[:, 1:]], axis=1)
        tr = _fit_flexible(x_tr, y, mask, offset, control)
        eta_t, se_t = predict_link(tr.fit, x0_tr, offset_now, tr.dispersion)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            fit_t = np.maximum(np.exp(eta_t), EPS)
            tval = tr.fit.coef[:, 1] / np.sqrt(tr.dispersion * tr.fit.cov_unscaled[:, 1, 1])
            pval = 2 * student_t.sf(np.abs(tval), tr.fit.df_residual)
        max_resp = np.where(mask, y, -np.inf).max(axis=1)
        use_trend = (
            tr.initial_converged
            & (control.b >= 3)
            & (pval < control.pThresholdTrend)
            & (fit_t <= max_resp)
        )
        eta = np.where(use_trend, eta_t, eta)
        se = np.where(use_trend, se_t, se)
        phi = np.where(use_trend, tr.phi, phi)
        ok = use_trend | ok

    if control.thresholdMethod == "delta":
        fit = np.maximum(np.exp(eta), EPS)
        se_resp = se * fit
        lu = threshold_farrington(fit, se_resp, phi, control.powertrans, control.alpha, y_now)
        expected_if = fit
    else:
        fit = eta
        lu = threshold_noufaily(eta, se, phi, control.alpha, y_now, control.thresholdMethod)
        expected_if = np.exp(eta)
    enough = y_recent_sum >= control.limit54[0]  # NaN sum -> False, as R's NA
    enough_known = ~np.isnan(y_recent_sum)
    upper = np.where(enough & enough_known, lu["upper"], np.nan)
    score = np.where(enough & enough_known, lu["score"], np.nan)
    with np.errstate(invalid="ignore"):
        alarm = ~np.isnan(score) & (score > 1) & (y_now != 0) & ~np.isnan(y_now)
    expected = np.where(~np.isnan(lu["upper"]) & enough & enough_known, expected_if, np.nan)
    upper = np.where(ok, upper, np.nan)
    expected = np.where(ok, expected, np.nan)
    alarm = alarm & ok
    return {
        "expected": expected,
        "upperbound": upper,
        "alarm": alarm,
        "score": np.where(ok, lu["score"], np.nan),
        "pvalue": np.where(ok, lu["prob"], np.nan),
        "phi": np.where(ok, phi, np.nan),
        "trend": use_trend & ok,
        "fit": fit,
    }


def farrington_arrays(
    y: np.ndarray,
    dates: pd.DatetimeIndex,
    freq: int,
    control: FarringtonControl = FarringtonControl(),
    population: np.ndarray | None = None,
    monitored: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Farrington flexible for many series sharing one period grid (rows = series).

    ``y`` is (S, T); returns (S, T) arrays ``expected, upperbound, alarm, score, pvalue, phi,
    trend, evaluated``.  ``monitored`` are 0-based period indices (default: R's default range).
    """
    y = np.atleast_2d(np.asarray(y, dtype=float))
    s_count, t_len = y.shape
    pop = np.ones_like(y) if population is None else np.atleast_2d(np.asarray(population, float))
    if monitored is None:
        monitored = np.arange(control.first_monitored(freq) - 1, t_len)
    out = {
        "expected": np.full(y.shape, np.nan),
        "upperbound": np.full(y.shape, np.nan),
        "alarm": np.zeros(y.shape, dtype=bool),
        "score": np.full(y.shape, np.nan),
        "pvalue": np.full(y.shape, np.nan),
        "phi": np.full(y.shape, np.nan),
        "trend": np.zeros(y.shape, dtype=bool),
        "evaluated": np.zeros(y.shape, dtype=bool),
    }
    designs = []
    for k0 in monitored:
        d = reference_design(int(k0) + 1, t_len, freq, control, dates)
        if d is not None:
            designs.append(d)
    if not designs:
        return out
    items = [(s, d) for d in designs for s in range(s_count)]
    l_lag = control.limit54[1]
    for start in range(0, len(items), CHUNK_ITEMS):
        chunk = items[start : start + CHUNK_ITEMS]
        nmax = max(len(d.rows) for _, d in chunk)
        bsz = len(chunk)
        y_rows = np.full((bsz, nmax), np.nan)
        pop_rows = np.ones((bsz, nmax))
        for i, (s, d) in enumerate(chunk):
            y_rows[i, : len(d.rows)] = y[s, d.rows]
            pop_rows[i, : len(d.rows)] = pop[s, d.rows]
        ss = np.array([s for s, _ in chunk])
        kk = np.array([d.k - 1 for _, d in chunk])
        recent = np.array(
            [
                y[s, max(0, d.k - l_lag) : d.k].sum() if d.k - l_lag >= 0 else np.nan
                for s, d in chunk
            ]
        )
        res = _batch_evaluate(
            [d for _, d in chunk], y_rows, pop_rows, y[ss, kk], pop[ss, kk], recent, control
        )
        for key in ("expected", "upperbound", "alarm", "score", "pvalue", "phi", "trend"):
            out[key][ss, kk] = res[key]
        out["evaluated"][ss, kk] = True
    return out


def farrington_flexible(
    counts: Sequence[float] | np.ndarray | pd.Series,
    periods: Sequence | pd.DatetimeIndex | pd.Series,
    control: FarringtonControl = FarringtonControl(),
    population: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """R ``farringtonFlexible`` on one series (weekly or monthly, inferred from the dates)."""
    if control.populationOffset and population is None:
        raise ValueError("populationOffset=TRUE needs a population for every period")
    series = prepare_series(counts, periods, population)
    n = len(series.counts)
    first = control.first_monitored(series.freq)
    name = f"Farrington flexible (b={control.b}, w={control.w}, freq={series.freq})"
    monitored = parse_range(control.range, n)
    if monitored is None:
        if n < first:
            raise InsufficientHistoryError(name, first, n)
        monitored = np.arange(first - 1, n)
    res = farrington_arrays(
        series.counts[None, :],
        series.periods,
        series.freq,
        control,
        series.population[None, :],
        monitored,
    )
    if not res["evaluated"].any():
        raise InsufficientHistoryError(
            name, first, n, "No monitored period has all its reference periods."
        )
    frame = result_frame(series, res["expected"][0], res["upperbound"][0], res["alarm"][0])
    return frame
