"""Expected counts (township × month × class) and their Poisson realisation as rows."""

from __future__ import annotations

import numpy as np

from pipelines.generate.periods import Periods


def seasonal(factors: list[float], periods: Periods) -> np.ndarray:
    """Per-period factor from 12 calendar-month factors (January first)."""
    return np.asarray(factors, float)[periods.calendar_month - 1]


def expand(rng: np.random.Generator, lam: np.ndarray) -> tuple[np.ndarray, ...]:
    """Poisson counts of ``lam`` (any shape) expanded to one index tuple per row."""
    counts = rng.poisson(np.maximum(lam, 0))
    flat = np.repeat(np.arange(lam.size), counts.ravel())
    return np.unravel_index(flat, lam.shape)


def categorical(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(weights))
    p = np.array(list(weights.values()), float)
    return rng.choice(keys, size=n, p=p / p.sum())
