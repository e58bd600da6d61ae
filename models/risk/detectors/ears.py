"""EARS C1, C2 and C3, exactly as R ``surveillance::earsC`` (version 1.26.0, ``R/earsC.R``).

EARS needs only a few weeks of history, which is why it is the fall-back for townships and
indicators that are too new for Farrington.  What decides a match with R:

* C1: baseline = the ``baseline`` (default 7) periods just before t; bound = mean +
  qnorm(1 - alpha) * max(sd, minSigma), sd with the n - 1 denominator (R's ``sd``).
* C2: the same window lagged by two periods (t-baseline-2 .. t-3).
* C3: **not** the textbook cumulative sum.  R computes the C2 statistic
  ``C2(s) = (y_s - mean_s) / max(sd_s, minSigma)`` at s = t-2 and t-1 and sets
  ``bound(t) = max(0, y_t + max(sd_t, minSigma) * (z - max(0, C2(t-2) - 1) - max(0, C2(t-1) - 1)))``
  with the C2 window's sd at t.  Note the bound contains the observation itself.
* alarm = observed > bound (strict).  NaN bounds (zero sd with minSigma = 0 in C3, or missing
  counts) give no alarm here where R gives ``NA``.
* alpha: when not given, R uses 0.001 for C1/C2 and 0.025 for C3.

``expected`` is not an output of R's earsC; we report the baseline mean used by the bound (for
C3 the mean of the C2 window at t) so the dashboard can show "usual level".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy.stats import norm

from .base import InsufficientHistoryError, parse_range, prepare_series, result_frame

METHODS = ("C1", "C2", "C3")


@dataclass(frozen=True)
class EarsControl:
    """R ``earsC`` control list; names and defaults as in R.

    ``alpha=None`` means R's per-method default (0.001 for C1/C2, 0.025 for C3).
    ``range`` (R's 1-based positions, ``"a:b"``) restricts the monitored periods; ``None`` is
    R's default: every period with enough history.
    """

    method: str = "C1"
    baseline: int = 7
    minSigma: float = 0.0  # noqa: N815 - R's name
    alpha: float | None = None
    range: str | tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"EARS method must be one of {METHODS}; got {self.method!r}")
        if self.minSigma < 0:
            raise ValueError("The minimum sigma parameter (minSigma) needs to be positive")
        if self.baseline < 3:
            raise ValueError("Minimum baseline to use is 3.")

    @property
    def resolved_alpha(self) -> float:
        if self.alpha is not None:
            return float(self.alpha)
        return 0.025 if self.method == "C3" else 0.001

    @property
    def max_lag(self) -> int:
        """Periods of history needed before the first monitored period (R's ``maxLag``)."""
        return {"C1": self.baseline, "C2": self.baseline + 2, "C3": self.baseline + 4}[self.method]


def _window_stats(y: np.ndarray, baseline: int, lag: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sd (n-1) of y[..., t-lag-baseline : t-lag] for every t (NaN where unavailable)."""
    t_len = y.shape[-1]
    mean = np.full(y.shape, np.nan)
    sd = np.full(y.shape, np.nan)
    first = baseline + lag
    if t_len <= first:
        return mean, sd
    win = sliding_window_view(y, baseline, axis=-1)[..., : t_len - first, :]
    mean[..., first:] = win.mean(axis=-1)
    sd[..., first:] = win.std(axis=-1, ddof=1)
    return mean, sd


def earsc_arrays(
    y: np.ndarray, control: EarsControl = EarsControl()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected, upper bound and alarm for every period of one or many series (last axis time).

    Vectorised over leading axes, so a (series x periods) matrix is evaluated in one pass.
    Periods with too little history are NaN / False.
    """
    y = np.asarray(y, dtype=float)
    z = norm.ppf(1 - control.resolved_alpha)
    b, ms = control.baseline, control.minSigma
    with np.errstate(divide="ignore", invalid="ignore"):
        if control.method == "C1":
            mean, sd = _window_stats(y, b, 0)
            upper = mean + z * np.maximum(sd, ms)
        elif control.method == "C2":
            mean, sd = _window_stats(y, b, 2)
            upper = mean + z * np.maximum(sd, ms)
        else:
            mean, sd = _window_stats(y, b, 2)
            sig = np.maximum(sd, ms)
            c2 = (y - mean) / sig
            part = np.full(y.shape, np.nan)
            part[..., 2:] = np.maximum(0.0, c2[..., :-2] - 1) + np.maximum(0.0, c2[..., 1:-1] - 1)
            upper = np.maximum(0.0, y + sig * (z - part))
            first = control.max_lag
            upper[..., :first] = np.nan
            mean = mean.copy()
            mean[..., :first] = np.nan
        alarm = y > upper
    return mean, upper, alarm


def earsc(
    counts: Sequence[float] | np.ndarray | pd.Series,
    periods: Sequence | pd.DatetimeIndex | pd.Series,
    control: EarsControl = EarsControl(),
    population: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """R ``earsC`` on one series; see the module docstring.  ``population`` is ignored, as in R."""
    series = prepare_series(counts, periods, population)
    n = len(series.counts)
    first = control.max_lag
    name = f"EARS {control.method} (baseline={control.baseline})"
    if n <= first:
        raise InsufficientHistoryError(name, first + 1, n)
    expected, upper, alarm = earsc_arrays(series.counts, control)
    monitored = parse_range(control.range, n)
    if monitored is not None:
        if monitored.min() < first:
            raise InsufficientHistoryError(
                name, first + 1, int(monitored.min()) + 1, "The range starts too early."
            )
        keep = np.zeros(n, dtype=bool)
        keep[monitored] = True
        expected = np.where(keep, expected, np.nan)
        upper = np.where(keep, upper, np.nan)
        alarm = alarm & keep
    return result_frame(series, expected, upper, alarm)


def ears_c1(counts, periods, control: EarsControl | None = None, population=None) -> pd.DataFrame:
    """EARS C1 (R ``earsC(method = "C1")``)."""
    return earsc(counts, periods, control or EarsControl(method="C1"), population)


def ears_c2(counts, periods, control: EarsControl | None = None, population=None) -> pd.DataFrame:
    """EARS C2 (R ``earsC(method = "C2")``)."""
    return earsc(counts, periods, control or EarsControl(method="C2"), population)


def ears_c3(counts, periods, control: EarsControl | None = None, population=None) -> pd.DataFrame:
    """EARS C3 (R ``earsC(method = "C3")``)."""
    return earsc(counts, periods, control or EarsControl(method="C3"), population)
