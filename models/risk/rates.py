"""Rates, proportions and standardised rates with the intervals public-health analysts expect.

Township counts are small, so naive normal intervals mislead; this module follows
PHEindicatormethods (Fingertips) so that our published figures are comparable with theirs:

* counts / rates: Byar's approximation to the exact Poisson interval (``method="byar"``), the
  exact chi-square interval (``"exact"``), or PHE's rule (``"phe"``, the default: exact for
  fewer than 10 events, Byar otherwise);
* proportions: Wilson score interval;
* directly age-standardised rates: Dobson et al. (1991) interval, built on the count interval;
* empirical-Bayes smoothing (Marshall 1991, global and local), so a township with 200 people
  and one event is not ranked above a town of 20 000 with 60.

Everything is vectorised: pass scalars, arrays or DataFrame columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

ArrayLike = float | int | Sequence[float] | np.ndarray | pd.Series

COUNT_CI_METHODS = ("phe", "byar", "exact")


def _z(conf_level: float) -> float:
    """Two-sided normal quantile; accepts 0.95 or 95, as PHEindicatormethods does."""
    level = conf_level / 100 if conf_level >= 90 else conf_level
    if not 0.5 < level < 1:
        raise ValueError(f"confidence level must be in (0.5, 1) or (50, 100); got {conf_level}")
    return float(norm.ppf(level + (1 - level) / 2))


def _level(conf_level: float) -> float:
    return conf_level / 100 if conf_level >= 90 else conf_level


def _nonneg(x: ArrayLike, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if np.any(a[~np.isnan(a)] < 0):
        raise ValueError(f"{name} must be greater than or equal to zero")
    return a


def byar_lower(x: ArrayLike, conf_level: float = 0.95) -> np.ndarray:
    """Byar's lower limit for an observed count x (PHEindicatormethods ``byars_lower``).

    Negative results (tiny counts, very high confidence) are NaN, as in PHE.
    """
    x = _nonneg(x, "observed events")
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(lo < 0, np.nan, lo)


def byar_upper(x: ArrayLike, conf_level: float = 0.95) -> np.ndarray:
    """Byar's upper limit for an observed count x (PHEindicatormethods ``byars_upper``)."""
    x = _nonneg(x, "observed events")
    z = _z(conf_level)
    return (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3


def exact_poisson_ci(x: ArrayLike, conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood, chi-square) interval for a Poisson count."""
    x = _nonneg(x, "observed events")
    a = 1 - _level(conf_level)
    lo = np.where(x > 0, chi2.ppf(a / 2, 2 * x) / 2, 0.0)
    hi = chi2.ppf(1 - a / 2, 2 * x + 2) / 2
    return lo, hi


def count_ci(
    x: ArrayLike, conf_level: float = 0.95, method: str = "phe"
) -> tuple[np.ndarray, np.ndarray]:
    """Interval for a Poisson count; ``phe`` = exact below 10 events, Byar from 10."""
    if method not in COUNT_CI_METHODS:
        raise ValueError(f"method must be one of {COUNT_CI_METHODS}; got {method!r}")
    x = _nonneg(x, "observed events")
    if method == "byar":
        return byar_lower(x, conf_level), byar_upper(x, conf_level)
    elo, ehi = exact_poisson_ci(x, conf_level)
    if method == "exact":
        return elo, ehi
    small = x < 10
    return (
        np.where(small, elo, byar_lower(np.where(small, 10, x), conf_level)),
        np.where(small, ehi, byar_upper(np.where(small, 10, x), conf_level)),
    )


def rate_ci(
    count: ArrayLike,
    population: ArrayLike,
    multiplier: float = 100_000,
    conf_level: float = 0.95,
    method: str = "phe",
) -> pd.DataFrame:
    """Crude rate per ``multiplier`` (10 000 or 100 000) with a Poisson interval.

    Returns columns ``count, population, rate, lower, upper``; zero population gives NaN.
    """
    x = _nonneg(count, "count")
    n = _nonneg(population, "population")
    x, n = np.broadcast_arrays(x, n)
    lo, hi = count_ci(x, conf_level, method)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, multiplier / n, np.nan)
    return pd.DataFrame(
        {
            "count": x,
            "population": n,
            "rate": x * scale,
            "lower": lo * scale,
            "upper": hi * scale,
        }
    )


def wilson_ci(
    x: ArrayLike, n: ArrayLike, conf_level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x successes out of n (PHEindicatormethods ``wilson_*``)."""
    x = _nonneg(x, "numerator")
    n = _nonneg(n, "denominator")
    if np.any(x > n):
        raise ValueError("numerator must be less than or equal to denominator")
    z = _z(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = 2 * x + z**2
        spread = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        denom = 2 * (n + z**2)
        return (centre - spread) / denom, (centre + spread) / denom


def proportion_ci(
    numerator: ArrayLike, denominator: ArrayLike, conf_level: float = 0.95
) -> pd.DataFrame:
    """Proportion with Wilson interval: columns ``numerator, denominator, value, lower, upper``."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    lo, hi = wilson_ci(x, n, conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, x / n, np.nan)
    return pd.DataFrame(
        {"numerator": x, "denominator": n, "value": value, "lower": lo, "upper": hi}
    )


def dsr(
    frame: pd.DataFrame,
    *,
    count: str = "count",
    population: str = "population",
    standard: str = "standard_population",
    by: Sequence[str] = (),
    multiplier: float = 100_000,
    conf_level: float = 0.95,
    method: str = "phe",
) -> pd.DataFrame:
    """Directly standardised rate per group with the Dobson et al. (1991) interval.

    ``frame`` holds one row per (group, age band) with the band's count, population and the
    standard population weight (e.g. the 2020 census age structure).  As in PHEindicatormethods
    ``calculate_dsr``::

        dsr    = sum(w_i x_i / n_i) / sum(w_i)
        var    = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2
        limits = dsr + sqrt(var / O) * (O_limit - O),  O = sum(x_i)

    where O_limit is the Poisson interval for the total count O (``method`` as in
    :func:`count_ci`).  Rows with zero population contribute nothing.
    """
    keys = list(by)
    work = frame[keys + [count, population, standard]].copy()
    x = work[count].to_numpy(float)
    n = work[population].to_numpy(float)
    w = work[standard].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        work["_num"] = np.where(n > 0, w * x / n, 0.0)
        work["_var"] = np.where(n > 0, w**2 * x / n**2, 0.0)
    work["_w"] = w
    work["_x"] = x
    work["_n"] = n
    agg_cols = ["_num", "_var", "_w", "_x", "_n"]
    if keys:
        totals = work.groupby(keys, sort=False)[agg_cols].sum().reset_index()
    else:
        totals = work[agg_cols].sum().to_frame().T
    o = totals["_x"].to_numpy(float)
    rate = totals["_num"].to_numpy(float) / totals["_w"].to_numpy(float)
    var = totals["_var"].to_numpy(float) / totals["_w"].to_numpy(float) ** 2
    lo_o, hi_o = count_ci(o, conf_level, method)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd_per_event = np.sqrt(var / o)
    out = totals[keys].copy() if keys else pd.DataFrame(index=totals.index)
    out["count"] = o
    out["population"] = totals["_n"].to_numpy(float)
    out["rate"] = rate * multiplier
    out["lower"] = (rate + sd_per_event * (lo_o - o)) * multiplier
    out["upper"] = (rate + sd_per_event * (hi_o - o)) * multiplier
    return out.reset_index(drop=True)


def eb_global(count: ArrayLike, population: ArrayLike) -> np.ndarray:
    """Marshall's global empirical-Bayes rates (as R ``spdep::EBest``, Poisson).

    Each area's raw rate is shrunk towards the overall rate m by C_i = A / (A + m / n_i), where
    A = s^2 - m / n_bar is the between-area variance (method of moments, floored at 0).  Small
    areas move most.  Returns rates per person (multiply by 10 000 / 100 000 as needed).
    """
    x = _nonneg(count, "count")
    n = _nonneg(population, "population")
    if np.any(n <= 0):
        raise ValueError("population must be positive for empirical-Bayes smoothing")
    p = x / n
    m = x.sum() / n.sum()
    a = np.sum(n * (p - m) ** 2) / n.sum() - m / n.mean()
    a = max(a, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(a > 0, a / (a + m / n), 0.0)
    return m + shrink * (p - m)


def eb_local(
    count: ArrayLike, population: ArrayLike, neighbours: np.ndarray | Sequence[Sequence[int]]
) -> np.ndarray:
    """Marshall's local empirical-Bayes rates (as R ``spdep::EBlocal``, geoda = FALSE).

    Each area is shrunk towards the rate of its neighbourhood (itself plus its neighbours):
    m_i = sum r / sum n over the neighbourhood, s2_i = sum n_j (p_j - m_i)^2 / sum n,
    a_i = max(s2_i - m_i / n_bar_i, 0), estimate = m_i + (p_i - m_i) a_i / (a_i + m_i / n_i).

    ``neighbours`` is a square 0/1 adjacency matrix or a list of neighbour index lists.
    """
    x = _nonneg(count, "count")
    n = _nonneg(population, "population")
    if np.any(n <= 0):
        raise ValueError("population must be positive for empirical-Bayes smoothing")
    k = len(x)
    if isinstance(neighbours, np.ndarray) and neighbours.ndim == 2:
        adj = neighbours.astype(bool).copy()
    else:
        adj = np.zeros((k, k), dtype=bool)
        for i, nb in enumerate(neighbours):
            adj[i, list(nb)] = True
    if adj.shape != (k, k):
        raise ValueError(f"neighbours must describe {k} areas; got shape {adj.shape}")
    np.fill_diagonal(adj, True)
    a_mat = adj.astype(float)
    p = x / n
    r_i = a_mat @ x
    n_i = a_mat @ n
    m_i = r_i / n_i
    nbar_i = n_i / a_mat.sum(axis=1)
    s2_i = (a_mat * (n[None, :] * (p[None, :] - m_i[:, None]) ** 2)).sum(axis=1) / n_i
    a_i = np.maximum(s2_i - m_i / nbar_i, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(a_i > 0, a_i / (a_i + m_i / n), 0.0)
    return m_i + shrink * (p - m_i)
