"""The monthly periods of a run and vectorised random dates/times inside them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Periods:
    """``n`` consecutive months starting at ``start`` ('YYYY-MM')."""

    start: str
    n: int

    @cached_property
    def months(self) -> np.ndarray:
        """datetime64[M] array of the months."""
        return np.datetime64(self.start, "M") + np.arange(self.n)

    @cached_property
    def labels(self) -> list[str]:
        return [str(m) for m in self.months]

    @cached_property
    def calendar_month(self) -> np.ndarray:
        """1..12 for each period."""
        return (self.months.astype(int) % 12) + 1

    @cached_property
    def year(self) -> np.ndarray:
        return self.months.astype(int) // 12 + 1970

    @cached_property
    def first_day(self) -> np.ndarray:
        return self.months.astype("datetime64[D]")

    @cached_property
    def days(self) -> np.ndarray:
        return ((self.months + 1).astype("datetime64[D]") - self.first_day).astype(int)

    @cached_property
    def end(self) -> np.datetime64:
        """First day after the last period."""
        return (self.months[-1] + 1).astype("datetime64[D]")

    def index_of(self, label: str) -> int:
        return int((np.datetime64(label, "M") - np.datetime64(self.start, "M")).astype(int))


def random_days(rng: np.random.Generator, periods: Periods, month_idx: np.ndarray,
                weekday_weight: float = 1.0) -> np.ndarray:
    """A random date (datetime64[D]) inside each given period; ``weekday_weight`` > 1 favours
    Monday–Friday (offices receive petitions and screenings on working days)."""
    month_idx = np.asarray(month_idx)
    first = periods.first_day[month_idx]
    ndays = periods.days[month_idx]
    day = (rng.random(len(month_idx)) * ndays).astype(int)
    dates = first + day
    if weekday_weight > 1.0:
        # move a weekend date to the nearest working day with probability 1 - 1/weight
        wd = (dates.astype(int) + 3) % 7  # 0 = Monday
        redo = (wd >= 5) & (rng.random(len(dates)) < 1 - 1 / weekday_weight)
        forward = rng.random(len(dates)) < 0.5
        shift = np.where(wd == 5, np.where(forward, 2, -1), np.where(forward, 1, -2))
        moved = dates + shift
        inside = (moved >= first) & (moved < first + ndays)
        dates = np.where(redo & inside, moved, dates)
    return dates


def random_times(rng: np.random.Generator, dates: np.ndarray, hour_weights: np.ndarray
                 ) -> np.ndarray:
    """datetime64[s] on ``dates`` with the hour drawn from ``hour_weights`` (24 values)."""
    p = np.asarray(hour_weights, float)
    hours = rng.choice(24, size=len(dates), p=p / p.sum())
    secs = rng.integers(0, 3600, size=len(dates))
    return dates.astype("datetime64[s]") + (hours * 3600 + secs).astype("timedelta64[s]")


def fmt_date(d: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(d).astype("datetime64[D]"), unit="D")


def fmt_datetime(t: np.ndarray) -> np.ndarray:
    s = np.datetime_as_string(np.asarray(t).astype("datetime64[s]"), unit="s")
    return np.char.replace(s, "T", " ")


HOURS_DAYTIME = np.array([1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 14, 10, 12, 15, 15, 14, 12,
                          10, 9, 8, 6, 3, 2], float)
HOURS_EVENING = np.array([5, 4, 3, 2, 2, 2, 3, 5, 7, 8, 8, 8, 7, 8, 8, 8, 9, 10, 12, 14, 15,
                          15, 12, 8], float)
