"""精神科 / 心理科 outpatient visits from the hospitals' HIS extracts (monthly Parquet).

Two groups of patients: registered SMD patients collecting their monthly prescription (the same
IDs as the register), and a pool of other patients (depression, anxiety, insomnia, stress…)
who return with a heavy-tailed frequency. Visits have a winter peak and a Spring-Festival dip;
urban townships near the hospitals use services more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.generate.context import CountyContext
from pipelines.generate.people import age_at
from pipelines.generate.periods import fmt_date, random_days
from pipelines.generate.volumes import categorical, expand, seasonal
from pipelines.generate.writers import write_parquet

SOURCE = "health"
# age weights (18 bands) per diagnosis group
YOUNG = np.array([0, 0.6, 1.0, 0.8, 0.2] + [0.02] * 13)
ADULT = np.array([0, 0.02, 0.3, 0.9, 1.2, 1.2, 1.2, 1.1, 1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 0.8,
                  0.6, 0.4, 0.2])
OLDER = np.array([0, 0, 0.05, 0.2, 0.4, 0.5, 0.7, 0.8, 1.0, 1.2, 1.4, 1.5, 1.6, 1.6, 1.5,
                  1.2, 0.8, 0.4])
AGE_BY_ICD = {"F90": YOUNG, "F84": YOUNG, "G47": OLDER, "F06": OLDER}
SUBCODES = {"F32": ["F32.0", "F32.1", "F32.9"], "F41": ["F41.0", "F41.1", "F41.2", "F41.9"],
            "G47": ["G47.0", "G47.9"], "F43": ["F43.1", "F43.2"], "F45": ["F45.0", "F45.9"],
            "R45": ["R45.0", "R45.8"], "Z63": ["Z63.0", "Z63.8"], "Z73": ["Z73.0", "Z73.3"],
            "F10": ["F10.2"], "F90": ["F90.0"], "F84": ["F84.0"], "F42": ["F42.0", "F42.9"]}
FACILITIES = [("县人民医院", "精神科"), ("县人民医院", "心理科"), ("县精神卫生中心", "精神科"),
              ("县中医院", "心身医学科"), ("县妇幼保健院", "心理科")]


def _pool(ctx: CountyContext) -> pd.DataFrame:
    r = ctx.rng("outpatient", "pool")
    o = ctx.rates["outpatient"]
    n = int(ctx.county.population / 10000 * o["pool_per_10k"])
    icd3 = categorical(r, o["icd10"], n)
    tf = ctx.township_factor("outpatient", sd=0.2, urban_effect=0.35)
    towns = r.choice(len(tf), size=n, p=ctx.township_pop * tf / (ctx.township_pop * tf).sum())
    frames = []
    for code in np.unique(icd3):
        sel = icd3 == code
        k = int(sel.sum())
        male = 0.5 if code in ("F90", "F84", "F10") else 0.4
        if code in ("F90", "F84"):
            male = 0.75
        if code == "F10":
            male = 0.9
        ppl = ctx.people.draw(r, k, ctx.periods.end, age_weights=AGE_BY_ICD.get(code, ADULT),
                              male_share=male, townships=towns[sel])
        ppl["icd3"] = code
        frames.append(ppl)
    pool = pd.concat(frames, ignore_index=True)
    pool["weight"] = r.lognormal(0, 0.9, len(pool))
    return pool


def visits(ctx: CountyContext) -> None:
    o = ctx.rates["outpatient"]
    p = ctx.periods
    pool = _pool(ctx)
    smd = ctx.smd
    season = seasonal(o["seasonality"], p)
    nt = len(ctx.county.townships)
    tf = ctx.township_factor("outpatient", sd=0.2, urban_effect=0.35)
    lam = (ctx.township_pop * tf / 10000 * o["per_10k_month"])[:, None] * season[None, :]
    r_all = ctx.rng("outpatient", "counts")
    t_idx, m_idx = expand(r_all, lam)
    pool_town = pool["township_idx"].to_numpy()
    for m in range(p.n):
        r = ctx.rng("outpatient", "month", m)
        towns = t_idx[m_idx == m]
        chosen = np.empty(len(towns), int)
        for t in range(nt):
            sel = np.flatnonzero(towns == t)
            cand = np.flatnonzero(pool_town == t)
            if len(sel) == 0:
                continue
            if len(cand) == 0:
                cand = np.arange(len(pool))
            w = pool["weight"].to_numpy()[cand]
            chosen[sel] = cand[r.choice(len(cand), size=len(sel), p=w / w.sum())]
        g = pool.iloc[chosen]
        icd = np.array([SUBCODES[c][k % len(SUBCODES[c])] for c, k in
                        zip(g["icd3"], r.integers(0, 4, len(g)), strict=True)])
        # SMD patients on monthly prescriptions
        active = ((smd["reg_m"].to_numpy() <= m) & (smd["stop_m"].to_numpy() >= m)
                  & smd["refill"].to_numpy() & (r.random(len(smd)) < 0.9))
        s = smd[active]
        frame = pd.DataFrame({
            "id": np.r_[g["id"].to_numpy(), s["id"].to_numpy()],
            "birth": np.r_[g["birth"].to_numpy(), s["birth"].to_numpy()],
            "sex": np.r_[g["sex"].to_numpy(), s["sex"].to_numpy()],
            "township_idx": np.r_[g["township_idx"].to_numpy(), s["township_idx"].to_numpy()],
            "icd10": np.r_[icd, s["icd10"].to_numpy()],
            "smd": np.r_[np.zeros(len(g), bool), np.ones(len(s), bool)],
        })
        k = len(frame)
        fac = r.choice(len(FACILITIES), size=k, p=[0.3, 0.25, 0.2, 0.15, 0.1])
        fac = np.where(frame["smd"], np.where(r.random(k) < 0.7, 2, 0), fac)
        young = age_at(frame["birth"].to_numpy(), np.full(k, p.first_day[m])) < 14
        fac = np.where(young & ~frame["smd"].to_numpy() & (r.random(k) < 0.5), 4, fac)
        dates = random_days(r, p, np.full(k, m), weekday_weight=3.0)
        rel = f"{SOURCE}/outpatient_visits_{ctx.code6}_{p.labels[m]}.parquet"
        ids, bad = ctx.dirty_ids(r, frame["id"].to_numpy(), rel)
        ctx.finish_file(rel, bad)
        order = np.lexsort((r.random(k), dates))
        out = pd.DataFrame({
            "visit_id": np.char.add(f"MZ{ctx.code6}{p.labels[m].replace('-', '')}",
                                    np.char.zfill(np.arange(1, k + 1).astype(str), 6)),
            "person_pid": ids[order], "visit_date": fmt_date(dates[order]),
            "facility": np.array([ctx.county.name + FACILITIES[f][0][1:] for f in fac])[order],
            "department": np.array([FACILITIES[f][1] for f in fac])[order],
            "township_code": ctx.township_codes[frame["township_idx"].to_numpy()][order],
            "icd10": frame["icd10"].to_numpy()[order],
            "age": age_at(frame["birth"].to_numpy(), dates)[order],
            "sex": np.where(frame["sex"].to_numpy() == "M", "男", "女")[order],
        })
        path = ctx.landing / rel
        ctx.add_rows("outpatient_visits", write_parquet(out, "outpatient_visits", path), path)
