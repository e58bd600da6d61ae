"""Poisson CUSUM, exactly as R ``surveillance::algo.cusum`` (``R/algo_cusum.R``, 1.26.0).

CUSUM accumulates small excesses, so it catches a sustained rise that single-period methods
(EARS, Farrington) miss.  What R does, and we do:

* the expected count m is, by default, the mean of **all** observations before the first
  monitored period (``range``); ``m`` may instead be a number, or ``"glm"``: a Poisson GLM
  ``x ~ 1 + cos(2 pi t / freq) + sin(2 pi t / freq)`` on the history, with t counted from
  the first period's week/month number as R's ``disProgObj$start[2]``;
* each monitored count is standardised (``trans``: ``standard`` (x - m)/sqrt(m) by default,
  ``rossi``, ``anscombe``, ``anscombe2nd``, ``pearsonNegBin``, ``none``);
* S_t = max(0, S_{t-1} + z_t - k) with S_0 = 0; alarm when S_t >= h (note: >=, not >);
  with ``reset`` the sum restarts at 0 after an alarm;
* upperbound = the count that would have signalled, back-transformed from S_{t-1}
  (``standard``: ceiling(sqrt(m) (h + k - S_{t-1}) + m)), NaN/negative set to 0.

R's control has no default ``range``; here the default is every period after the first year
(``freq`` periods) so that m is estimated from at least a year.  ``anscombeNegBin`` (R's
table-interpolated hypergeometric function) is not supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .base import InsufficientHistoryError, parse_range, prepare_series, result_frame
from .glm import EPS, fit_poisson_log

TRANSFORMS = ("standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "none")


@dataclass(frozen=True)
class CusumControl:
    """R ``algo.cusum`` control list (names and defaults as in R, plus a default ``range``)."""

    range: str | tuple[int, ...] | None = None
    k: float = 1.04
    h: float = 2.26
    m: float | str | None = None
    trans: str = "standard"
    alpha: float | None = None  # NegBin overdispersion for pearsonNegBin; R default 0.1
    reset: bool = False

    def __post_init__(self) -> None:
        if self.trans not in TRANSFORMS:
            raise ValueError(f"invalid 'trans'formation {self.trans!r}; one of {TRANSFORMS}")
        if isinstance(self.m, str) and self.m != "glm":
            raise ValueError("m must be a number, 'glm' or None (mean of the history)")


def _standardise(x: np.ndarray, m: np.ndarray, trans: str, alpha: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if trans == "rossi":
            return (x - 3 * m + 2 * np.sqrt(x * m)) / (2 * np.sqrt(m))
        if trans == "standard":
            return (x - m) / np.sqrt(m)
        if trans == "anscombe":
            return 1.5 * (x ** (2 / 3) - m ** (2 / 3)) / m ** (1 / 6)
        if trans == "anscombe2nd":
            return (x ** (2 / 3) - (m ** (2 / 3) - m ** (-1 / 3) / 9)) / (2 / 3 * m ** (1 / 6))
        if trans == "pearsonNegBin":
            return (x - m) / np.sqrt(m + alpha * m**2)
        return x.astype(float)


def _upperbound(m, h, k, c_prev, cusum, trans, alpha) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if trans == "rossi":
            ub = (
                2 * h * m**0.5
                + 2 * k * m**0.5
                - 2 * c_prev * m**0.5
                + 5 * m
                - 2 * (4 * m**2 + 2 * m**1.5 * h + 2 * m**1.5 * k - 2 * m**1.5 * c_prev) ** 0.5
            )
        elif trans == "standard":
            ub = np.ceil(np.sqrt(m) * (h + k - c_prev) + m)
        elif trans == "anscombe":
            inner = (2 / 3) * m ** (1 / 6) * (h + k - c_prev) + m ** (2 / 3)
            ub = np.where(inner < 0, 0.0, np.abs(inner) ** 1.5)
        elif trans == "anscombe2nd":
            inner = (2 / 3) * m ** (1 / 6) * (h + k - c_prev) + (m ** (2 / 3) - m ** (1 / 3) / 9)
            ub = np.where(inner < 0, 0.0, np.abs(inner) ** 1.5)
        elif trans == "pearsonNegBin":
            ub = np.sqrt(m + alpha * m**2) * (h + k - c_prev) + m
        else:
            ub = h - cusum
    ub = np.where(np.isnan(ub), 0.0, ub)
    return np.where(ub < 0, 0.0, ub)


def _glm_mean(y: np.ndarray, monitored: np.ndarray, start_epoch: int, freq: int) -> np.ndarray:
    """R's ``m = "glm"``: seasonal Poisson GLM on the history, predicted over the range."""
    training = np.arange(1, monitored[0] + 1)
    t = start_epoch + training - 1
    x = np.stack(
        [np.ones_like(t, float), np.cos(2 * np.pi / freq * t), np.sin(2 * np.pi / freq * t)],
        axis=1,
    )
    obs = y[: monitored[0]]
    ok = ~np.isnan(obs)
    fit = fit_poisson_log(x[None], np.nan_to_num(obs)[None], ok[None].astype(float))
    t_new = start_epoch + (monitored + 1) - 1
    x_new = np.stack(
        [
            np.ones_like(t_new, float),
            np.cos(2 * np.pi / freq * t_new),
            np.sin(2 * np.pi / freq * t_new),
        ],
        axis=1,
    )
    return np.maximum(np.exp(x_new @ fit.coef[0]), EPS)


def cusum_arrays(
    y: np.ndarray, monitored: np.ndarray, control: CusumControl, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CUSUM over the monitored positions of one or many series (leading axes = series).

    ``m`` broadcasts against ``y[..., monitored]``.  Returns (expected, upperbound, alarm)
    for the monitored positions only.
    """
    alpha = 0.1 if control.alpha is None else float(control.alpha)
    x = np.asarray(y, dtype=float)[..., monitored]
    m = np.broadcast_to(np.asarray(m, dtype=float), x.shape)
    z = _standardise(x, m, control.trans, alpha)
    cusum = np.zeros(x.shape[:-1] + (x.shape[-1] + 1,))
    alarm = np.zeros(x.shape, dtype=bool)
    for t in range(x.shape[-1]):
        s = np.maximum(0.0, cusum[..., t] + (z[..., t] - control.k))
        # R: max(0, NA) is NA and NA >= h is NA (no alarm); the sum stays NA afterwards
        s = np.where(np.isnan(z[..., t]) | np.isnan(cusum[..., t]), np.nan, s)
        hit = s >= control.h
        alarm[..., t] = hit
        cusum[..., t + 1] = np.where(hit & control.reset, 0.0, s)
    c_prev = cusum[..., :-1]
    upper = _upperbound(m, control.h, control.k, c_prev, cusum[..., 1:], control.trans, alpha)
    return m, upper, alarm


def cusum(
    counts: Sequence[float] | np.ndarray | pd.Series,
    periods: Sequence | pd.DatetimeIndex | pd.Series,
    control: CusumControl = CusumControl(),
    population: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """R ``algo.cusum`` on one series.  ``population`` is ignored, as in R."""
    series = prepare_series(counts, periods, population)
    n = len(series.counts)
    monitored = parse_range(control.range, n)
    if monitored is None:
        start = series.freq if n > series.freq else max(1, n // 2)
        if n < 2:
            raise InsufficientHistoryError("CUSUM", 2, n)
        monitored = np.arange(start, n)
    if monitored[0] < 1:
        raise InsufficientHistoryError(
            "CUSUM", 2, n, "The range must start after at least one period of history."
        )
    if np.any(np.diff(monitored) != 1):
        raise ValueError("CUSUM needs a contiguous range")
    y = series.counts
    if control.m is None:
        m = np.full(len(monitored), np.mean(y[: monitored[0]]))
    elif control.m == "glm":
        first = series.periods[0]
        epoch = first.isocalendar().week if series.freq == 52 else first.month
        m = _glm_mean(y, monitored, int(epoch), series.freq)
    else:
        m = np.full(len(monitored), float(control.m))
    exp_m, upper_m, alarm_m = cusum_arrays(y, monitored, control, m)
    expected = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    alarm = np.zeros(n, dtype=bool)
    expected[monitored], upper[monitored], alarm[monitored] = exp_m, upper_m, alarm_m
    return result_frame(series, expected, upper, alarm)
