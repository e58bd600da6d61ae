"""Choose a detector from the history a series has, and record the choice.

Farrington flexible needs whole years of history to learn seasonality (its reference windows
lie b years back), so it is used once a series has at least three years before the monitored
period; younger series (new townships, new indicators) get EARS, which needs eight periods.
The choice and the reason are returned with the result so that every alert can say which
method raised it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .base import InsufficientHistoryError, prepare_series
from .farrington import FarringtonControl
from .registry import build_control, run_method

MIN_YEARS_FARRINGTON = 3
MAX_B = 5  # R's default b
DEFAULT_FARRINGTON = FarringtonControl()


@dataclass(frozen=True)
class Selection:
    """The chosen method, its control, and why."""

    method: str
    control: object
    reason: str


def choose_method(
    n_periods: int,
    freq: int,
    *,
    fallback: str = "ears-c1",
    farrington: FarringtonControl = DEFAULT_FARRINGTON,
) -> Selection:
    """Farrington flexible with b = min(5, whole years available) when >= 3 years, else EARS.

    "Years available" counts the history a period t needs: t - (b * freq + w) >= 1.
    """
    years = (n_periods - farrington.w - 1) // freq
    if years >= MIN_YEARS_FARRINGTON:
        b = min(MAX_B, years)
        control = replace(farrington, b=b)
        reason = (
            f"{n_periods} periods = {years} full years of history (freq {freq}) >= "
            f"{MIN_YEARS_FARRINGTON}: Farrington flexible with b={b}"
        )
        return Selection("farrington", control, reason)
    reason = (
        f"{n_periods} periods give {max(years, 0)} full years of history (< "
        f"{MIN_YEARS_FARRINGTON}): {fallback.upper()}"
    )
    return Selection(fallback, build_control(fallback), reason)


def detect_auto(
    counts, periods, population=None, *, fallback: str = "ears-c1"
) -> tuple[Selection, pd.DataFrame]:
    """Run the method :func:`choose_method` picks; the frame's ``attrs`` record the choice."""
    series = prepare_series(counts, periods, population)
    selection = choose_method(len(series.counts), series.freq, fallback=fallback)
    try:
        frame = run_method(selection.method, counts, periods, selection.control, population)
    except InsufficientHistoryError:
        if selection.method == fallback:
            raise
        selection = Selection(fallback, build_control(fallback), "Farrington failed: fallback")
        frame = run_method(fallback, counts, periods, selection.control, population)
    frame.attrs["method"] = selection.method
    frame.attrs["reason"] = selection.reason
    return selection, frame
