"""Residents: the population table (township × year × sex × age band) and person samplers.

The age pyramid comes from ``rates.yaml``; each township gets a slightly different shape (urban
townships younger, remote 乡 older). ``People`` draws concrete persons (sex, birth date, village,
name, a unique 身份证号 from the county's ``IdRegistry``) with any age distribution.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.generate.geography import County
from pipelines.generate.idnumbers import IdRegistry
from pipelines.generate.names import full_names

AGE_BANDS = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
             "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"]
BAND_LOW = np.arange(0, 90, 5)


def township_pyramids(rng: np.random.Generator, county: County, rates: dict) -> np.ndarray:
    """(townships, 2 sexes [M, F], 18 bands) shares summing to 1 per township."""
    base = np.array([rates["county"]["age_pyramid"][b] for b in AGE_BANDS], float)
    mid = BAND_LOW + 2.5
    out = []
    for t in county.townships:
        tilt = (-0.010 if t.urban else 0.004 if t.kind == "乡" else 0.0) + rng.normal(0, 0.003)
        shape = base * np.exp(tilt * (mid - 40))
        if t.urban:
            shape[4:8] *= 1.25  # working-age residents in the county seat
        male_share = np.clip(0.515 - 0.0012 * np.maximum(mid - 55, 0), 0.38, 0.53)
        m = shape * male_share
        f = shape * (1 - male_share)
        pyr = np.stack([m, f])
        out.append(pyr / pyr.sum())
    return np.array(out)


def population_table(county: County, pyramids: np.ndarray, years: list[int], base_year: int,
                     growth: float) -> pd.DataFrame:
    rows = []
    for t, pyr in zip(county.townships, pyramids, strict=True):
        for y in years:
            total = t.population * (1 + growth) ** (y - base_year)
            ageing = np.exp(0.004 * (y - base_year) * (BAND_LOW - 40) / 10)
            p = pyr * ageing
            p = p / p.sum() * total
            for si, sex in enumerate(["男", "女"]):
                for bi, band in enumerate(AGE_BANDS):
                    rows.append((t.code, y, sex, band, int(round(p[si, bi]))))
    return pd.DataFrame(rows, columns=["unit_code", "year", "sex", "age_band", "population"])


class People:
    """Draws persons resident in one county."""

    def __init__(self, county: County, pyramids: np.ndarray, ids: IdRegistry):
        self.county = county
        self.pyramids = pyramids
        self.ids = ids
        self.village_codes = np.array([v.code for v in county.villages])
        self.village_names = np.array([v.name for v in county.villages])
        self.village_town = np.array([ti for ti, t in enumerate(county.townships)
                                      for _ in t.villages])
        self.village_pop = np.array([v.population for v in county.villages], float)

    def draw(self, rng: np.random.Generator, n: int, ref_date: np.datetime64,
             age_weights: np.ndarray | None = None, male_share: float | None = None,
             township_weights: np.ndarray | None = None,
             age_range: tuple[int, int] | None = None,
             townships: np.ndarray | None = None) -> pd.DataFrame:
        """``n`` persons; ages follow the county pyramid times ``age_weights`` (18 bands)
        unless ``age_range`` (single years, uniform) is given; villages follow population
        times ``township_weights``."""
        vw = self.village_pop.copy()
        if township_weights is not None:
            vw = vw * np.asarray(township_weights)[self.village_town]
        vidx = rng.choice(len(vw), size=n, p=vw / vw.sum())
        tidx = self.village_town[vidx]
        if age_range is not None:
            age_days = rng.uniform(age_range[0], age_range[1] + 1, size=n) * 365.25
            sex = np.where(rng.random(n) < (male_share if male_share is not None else 0.51),
                           "M", "F")
        else:
            pyr = self.pyramids.sum(axis=0)  # county shape; township detail via village draw
            w = pyr * (np.ones(18) if age_weights is None else np.asarray(age_weights))[None, :]
            if male_share is not None:
                w = w / w.sum(axis=1, keepdims=True) * np.array([[male_share], [1 - male_share]])
            flat = (w / w.sum()).ravel()
            cell = rng.choice(36, size=n, p=flat)
            sex = np.where(cell < 18, "M", "F")
            band = cell % 18
            width = np.where(band == 17, 12, 5)
            age_days = (BAND_LOW[band] + rng.random(n) * width) * 365.25
        birth = (np.datetime64(ref_date, "D") - age_days.astype(int).astype("timedelta64[D]"))
        return pd.DataFrame({
            "id": self.ids.issue(birth, sex),
            "name": full_names(rng, sex),
            "sex": sex,
            "birth": birth,
            "village_idx": vidx,
            "village_code": self.village_codes[vidx],
            "township_idx": tidx,
        })

    def _villages_in(self, rng: np.random.Generator, townships: np.ndarray) -> np.ndarray:
        """A village (∝ population) inside each given township."""
        out = np.empty(len(townships), dtype=int)
        for t in np.unique(townships):
            sel = np.flatnonzero(townships == t)
            cand = np.flatnonzero(self.village_town == t)
            w = self.village_pop[cand] + 1.0
            out[sel] = cand[rng.choice(len(cand), size=len(sel), p=w / w.sum())]
        return out


def age_at(birth: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Whole years of age on ``when`` (vectorised)."""
    b = pd.DatetimeIndex(np.asarray(birth).astype("datetime64[D]"))
    w = pd.DatetimeIndex(np.asarray(when).astype("datetime64[D]"))
    had = (w.month > b.month) | ((w.month == b.month) & (w.day >= b.day))
    return np.asarray(w.year - b.year - (~had).astype(int))
