"""孕产妇心理健康筛查 (EPDS 0–30): monthly GB18030 CSV from the maternal-health system.

Screenings follow births (≈8‰ a year): most mothers are screened postpartum and many also in
pregnancy. Scores are gamma-distributed (about one in eight ≥ 13), a little higher postpartum,
in rural townships and for very young or older mothers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.generate.context import CountyContext
from pipelines.generate.periods import fmt_date, random_days
from pipelines.generate.volumes import expand
from pipelines.generate.writers import write_csv

SOURCE = "health"


def screenings(ctx: CountyContext) -> None:
    mr = ctx.rates["maternal"]
    p = ctx.periods
    tf = ctx.township_factor("births", sd=0.12, urban_effect=-0.1)
    per_month = ctx.township_pop * tf * mr["births_per_mille_year"] / 1000 / 12
    births = per_month[:, None] * np.ones(p.n)
    lam = np.stack([births * mr["pregnancy_screened"], births * mr["postpartum_screened"]], axis=2)
    t_idx, m_idx, s_idx = expand(ctx.rng("maternal", "counts"), lam)
    urban = ctx.urban
    for m in range(p.n):
        r = ctx.rng("maternal", "month", m)
        sel = m_idx == m
        t, s = t_idx[sel], s_idx[sel]
        k = len(t)
        age = np.clip(np.rint(r.normal(29, 5, k)), 16, 49).astype(int)
        scale = mr["epds_gamma"][1] * np.where(s == 1, 1.05, 0.97) * np.where(urban[t], 0.95, 1.05)
        scale = scale * np.where((age < 20) | (age > 40), 1.15, 1.0)
        epds = np.clip(np.rint(r.gamma(mr["epds_gamma"][0], scale)), 0, 30).astype(int)
        bad = ctx.bad_scores(r, k)
        epds = np.where(bad, r.integers(31, 40, k), epds)
        dates = random_days(r, p, np.full(k, m), weekday_weight=4.0)
        order = np.argsort(dates, kind="stable")
        label = p.labels[m]
        rel = f"{SOURCE}/maternal_screening_{ctx.code6}_{label}.csv"
        ctx.record_bad(rel, "out_of_range", bad)
        ctx.finish_file(rel, bad)
        out = pd.DataFrame({
            "screening_id": [f"YC{ctx.code6}{label.replace('-', '')}{i + 1:05d}" for i in range(k)],
            "screening_date": fmt_date(dates[order]), "township_code": ctx.township_codes[t[order]],
            "age": age[order], "stage": np.where(s[order] == 1, "产后", "孕期"),
            "epds_score": epds[order],
        })
        path = ctx.landing / rel
        n_rows = write_csv(out, "maternal_screening", path, "gb18030")
        ctx.add_rows("maternal_screening", n_rows, path)
