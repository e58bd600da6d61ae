"""Run one detector over many series at once (township x indicator x county ...).

At province scale there are ~100 counties x 15 townships x 20 indicators = 30 000 series; a
Python loop per series would dominate the pipeline.  When all series share the same period
grid (the normal case for warehouse marts) they are pivoted into a (series x periods) matrix
and each method runs vectorised over the series axis (Farrington batches every
(series, period) GLM into one IRLS).  Series with their own grids fall back to a loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .base import InsufficientHistoryError, parse_range, prepare_series
from .cusum import CusumControl, _glm_mean, cusum_arrays
from .ears import EarsControl, earsc_arrays
from .farrington import FarringtonControl, farrington_arrays
from .registry import METHODS, build_control, run_method
from .select import choose_method

OUTPUT = ["period", "count", "expected", "upperbound", "alarm", "method"]


def _shared_grid(work: pd.DataFrame, keys: list[str]) -> pd.DatetimeIndex | None:
    grid = pd.DatetimeIndex(np.sort(work["period"].unique()))
    sizes = work.groupby(keys, sort=False).size()
    if (sizes == len(grid)).all() and not work.duplicated(keys + ["period"]).any():
        return grid
    return None


def _matrix_run(
    y: np.ndarray, pop: np.ndarray, grid: pd.DatetimeIndex, method: str, control
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised run of one method on a (series x periods) matrix."""
    probe = prepare_series(np.zeros(len(grid)), grid)
    n = len(grid)
    if isinstance(control, EarsControl):
        if n <= control.max_lag:
            raise InsufficientHistoryError(method, control.max_lag + 1, n)
        exp_, up, al = earsc_arrays(y, control)
        monitored = parse_range(control.range, n)
        if monitored is not None:
            keep = np.zeros(n, dtype=bool)
            keep[monitored] = True
            exp_, up, al = np.where(keep, exp_, np.nan), np.where(keep, up, np.nan), al & keep
        return exp_, up, al
    if isinstance(control, FarringtonControl):
        monitored = parse_range(control.range, n)
        if monitored is None:
            first = control.first_monitored(probe.freq)
            if n < first:
                raise InsufficientHistoryError(method, first, n)
            monitored = np.arange(first - 1, n)
        res = farrington_arrays(y, grid, probe.freq, control, pop, monitored)
        return res["expected"], res["upperbound"], res["alarm"]
    assert isinstance(control, CusumControl)
    monitored = parse_range(control.range, n)
    if monitored is None:
        monitored = np.arange(probe.freq if n > probe.freq else max(1, n // 2), n)
    if control.m is None:
        m = y[:, : monitored[0]].mean(axis=1, keepdims=True)
    elif control.m == "glm":
        epoch = grid[0].isocalendar().week if probe.freq == 52 else grid[0].month
        m = np.stack([_glm_mean(row, monitored, int(epoch), probe.freq) for row in y])
    else:
        m = np.full((y.shape[0], 1), float(control.m))
    e_m, u_m, a_m = cusum_arrays(y, monitored, control, m)
    exp_ = np.full(y.shape, np.nan)
    up = np.full(y.shape, np.nan)
    al = np.zeros(y.shape, dtype=bool)
    exp_[:, monitored], up[:, monitored], al[:, monitored] = e_m, u_m, a_m
    return exp_, up, al


def detect_many(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str],
    method: str = "auto",
    control=None,
    period: str = "period",
    count: str = "count",
    population: str | None = None,
) -> pd.DataFrame:
    """Run ``method`` (or ``"auto"``, see ``select.py``) on every series in a long frame.

    Returns one row per input row: the key columns, ``period, count, expected, upperbound,
    alarm`` and ``method`` (the method actually used), sorted by keys and period.  The input
    frame is not modified.
    """
    keys = list(keys)
    cols = keys + [period, count] + ([population] if population else [])
    work = frame[cols].copy()
    work = work.rename(columns={period: "period", count: "count"})
    work["period"] = pd.to_datetime(work["period"])
    if population:
        work = work.rename(columns={population: "population"})
    else:
        work["population"] = 1.0
    work = work.sort_values(keys + ["period"], kind="stable").reset_index(drop=True)
    if method != "auto" and method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose 'auto' or one of {sorted(METHODS)}")

    grid = _shared_grid(work, keys) if len(work) else None
    if grid is not None:
        chosen = method
        ctrl = control
        if method == "auto":
            probe = prepare_series(np.zeros(len(grid)), grid)
            sel = choose_method(len(grid), probe.freq)
            chosen, ctrl = sel.method, sel.control
        ctrl = ctrl if ctrl is not None else build_control(chosen)
        n_series = len(work) // len(grid)
        y = work["count"].to_numpy(float).reshape(n_series, len(grid))
        pop = work["population"].to_numpy(float).reshape(n_series, len(grid))
        exp_, up, al = _matrix_run(y, pop, grid, chosen, ctrl)
        out = work[keys + ["period", "count"]].copy()
        out["expected"] = exp_.ravel()
        out["upperbound"] = up.ravel()
        out["alarm"] = al.ravel()
        out["method"] = chosen
        return out

    pieces = []
    for key, grp in work.groupby(keys, sort=False):
        chosen, ctrl = method, control
        if method == "auto":
            probe = prepare_series(grp["count"], grp["period"])
            sel = choose_method(len(grp), probe.freq)
            chosen, ctrl = sel.method, sel.control
        pop = grp["population"] if population else None
        res = run_method(chosen, grp["count"], grp["period"], ctrl, pop)
        key = key if isinstance(key, tuple) else (key,)
        for name, value in zip(keys, key, strict=True):
            res[name] = value
        res["method"] = chosen
        pieces.append(res[keys + OUTPUT])
    return pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=keys + OUTPUT)
