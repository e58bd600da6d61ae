"""The contract every detector shares, and the helpers that enforce it.

Each detector is a pure function ``f(counts, periods, options, population=None)`` returning a
:func:`result_frame` (columns ``period, count, expected, upperbound, alarm``, one row per input
period in input order).  Rows the method cannot evaluate (too little history, or outside the
requested ``range``) carry ``NaN`` expected/upperbound and ``alarm = False``.  When *no* row can
be evaluated the detector raises :class:`InsufficientHistoryError`, which says how much history
the method needs, so callers can fall back to a method that needs less (see ``select.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

RESULT_COLUMNS = ["period", "count", "expected", "upperbound", "alarm"]

#: Period frequency per year, by spacing, as R's ``sts@freq``.
FREQ_WEEKLY = 52
FREQ_MONTHLY = 12
FREQ_DAILY = 365


class InsufficientHistoryError(ValueError):
    """The series is too short for the method: nothing could be evaluated.

    ``needed`` is the minimum number of periods the method needs (history plus the first
    monitored period); ``got`` the number supplied.
    """

    def __init__(self, method: str, needed: int, got: int, detail: str = "") -> None:
        self.method = method
        self.needed = needed
        self.got = got
        msg = (
            f"{method} needs at least {needed} consecutive periods ({needed - 1} of history "
            f"before the first monitored period); the series has {got}."
        )
        if detail:
            msg += f" {detail}"
        msg += " Supply more history, or use a method that needs less (EARS needs 8 weeks)."
        super().__init__(msg)


@dataclass(frozen=True)
class Series:
    """A validated, time-ordered count series (a private working copy of the caller's data).

    ``order`` maps positions of the sorted series back to the caller's input order.
    """

    periods: pd.DatetimeIndex
    counts: np.ndarray
    population: np.ndarray
    freq: int
    order: np.ndarray


def infer_frequency(periods: pd.DatetimeIndex) -> int:
    """Periods per year from the spacing of the dates (R's ``sts@freq``): 52, 12 or 365."""
    if len(periods) < 2:
        raise ValueError("cannot infer weekly/monthly spacing from fewer than two periods")
    days = np.diff(periods.values).astype("timedelta64[D]").astype(np.int64)
    median = float(np.median(days))
    if median == 7:
        return FREQ_WEEKLY
    if 28 <= median <= 31:
        return FREQ_MONTHLY
    if median == 1:
        return FREQ_DAILY
    raise ValueError(
        f"periods are spaced {median:g} days apart (median); expected weekly (7), monthly "
        "(28-31) or daily (1) spacing"
    )


def _check_regular(periods: pd.DatetimeIndex, freq: int) -> None:
    """Detectors index history by position, so a gap would silently shift every window."""
    if freq == FREQ_MONTHLY:
        months = periods.year.values * 12 + periods.month.values
        step = np.diff(months)
    else:
        days = np.diff(periods.values).astype("timedelta64[D]").astype(np.int64)
        step = days // (7 if freq == FREQ_WEEKLY else 1)
        step = np.where(days % (7 if freq == FREQ_WEEKLY else 1) == 0, step, -1)
    bad = np.flatnonzero(step != 1)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"periods are not regularly spaced: {periods[i].date()} is followed by "
            f"{periods[i + 1].date()} (row {i + 2} after sorting); fill missing periods "
            "(count 0, or empty for unknown) and remove duplicates"
        )


def prepare_series(
    counts: Sequence[float] | np.ndarray | pd.Series,
    periods: Sequence | pd.DatetimeIndex | pd.Series,
    population: Sequence[float] | np.ndarray | pd.Series | None = None,
    freq: int | None = None,
) -> Series:
    """Validate and sort a series without touching the caller's objects."""
    y = np.array(counts, dtype=float, copy=True)
    idx = pd.DatetimeIndex(pd.to_datetime(np.asarray(periods)))
    if y.ndim != 1 or len(y) != len(idx):
        raise ValueError(f"counts ({y.shape}) and periods ({len(idx)}) must be 1-D, same length")
    if np.any(y[~np.isnan(y)] < 0):
        raise ValueError("counts must be non-negative")
    if population is None:
        pop = np.ones_like(y)
    else:
        pop = np.array(population, dtype=float, copy=True)
        if pop.shape != y.shape:
            raise ValueError("population must have the same length as counts")
    order = np.argsort(idx.values, kind="stable")
    idx = idx[order]
    if idx.has_duplicates:
        dup = idx[idx.duplicated()][0]
        raise ValueError(f"period {dup.date()} occurs more than once")
    f = freq if freq is not None else infer_frequency(idx)
    _check_regular(idx, f)
    return Series(periods=idx, counts=y[order], population=pop[order], freq=f, order=order)


def result_frame(
    series: Series, expected: np.ndarray, upperbound: np.ndarray, alarm: np.ndarray
) -> pd.DataFrame:
    """Assemble the contract's output, restoring the caller's row order."""
    inverse = np.empty_like(series.order)
    inverse[series.order] = np.arange(len(series.order))
    frame = pd.DataFrame(
        {
            "period": series.periods,
            "count": series.counts,
            "expected": np.asarray(expected, dtype=float),
            "upperbound": np.asarray(upperbound, dtype=float),
            "alarm": np.asarray(alarm, dtype=bool),
        }
    )
    return frame.iloc[inverse].reset_index(drop=True)


def parse_range(value: str | Sequence[int] | None, n: int) -> np.ndarray | None:
    """R's ``range`` control (1-based positions) as 0-based indices; ``"a:b"`` or a list."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if ":" in text:
            lo, hi = (int(float(p)) for p in text.split(":", 1))
            r = np.arange(lo, hi + 1) if hi >= lo else np.arange(lo, hi - 1, -1)
        else:
            r = np.array([int(float(p)) for p in text.replace(",", " ").split()])
    else:
        r = np.asarray(list(value), dtype=int)
    if r.size == 0 or r.min() < 1 or r.max() > n:
        raise ValueError(f"range must lie within 1..{n} (1-based, as in R); got {value!r}")
    return np.unique(r) - 1
