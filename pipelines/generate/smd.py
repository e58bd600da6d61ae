"""严重精神障碍: the register snapshot and the monthly follow-up (随访) records.

About 4.6‰ of residents are registered (national register level), mostly with schizophrenia.
Managed patients are followed up at least quarterly; a minority who are unstable or at risk
are seen monthly. Condition, risk level (0–5), medication and case management are drawn per
visit around a patient-level propensity, so KPI rates (规范管理率, 规律服药率, …) land where
county reports usually put them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.generate import pii
from pipelines.generate.context import CountyContext
from pipelines.generate.periods import fmt_date
from pipelines.generate.volumes import categorical
from pipelines.generate.writers import write_csv

SOURCE = "health"
# relative registration by 5-year band (onset in early adulthood, register ages with patients)
AGE_WEIGHTS = np.array([0.0, 0.02, 0.08, 0.35, 0.8, 1.0, 1.25, 1.35, 1.4, 1.45, 1.45, 1.4,
                        1.3, 1.1, 0.9, 0.6, 0.4, 0.25])
SUBCODES = {"F20": ["F20.0", "F20.3", "F20.9", "F20.5"], "F31": ["F31.2", "F31.9", "F31.6"],
            "F25": ["F25.0", "F25.9"], "F06": ["F06.2", "F06.3"], "F22": ["F22.0", "F22.9"],
            "F32": ["F32.3"], "F70": ["F70.1"], "F71": ["F71.1"], "F72": ["F72.1"],
            "F73": ["F73.1"], "F79": ["F79.1"]}
RISK_BY_CONDITION = {"稳定": [0.9, 0.1, 0, 0, 0, 0], "基本稳定": [0.5, 0.35, 0.15, 0, 0, 0],
                     "不稳定": [0.0, 0.2, 0.35, 0.3, 0.1, 0.05]}


def register(ctx: CountyContext) -> pd.DataFrame:
    r = ctx.rng("smd", "register")
    s = ctx.rates["smd"]
    p = ctx.periods
    factor = ctx.township_factor("smd", sd=0.18)
    n = int(round(ctx.county.population * s["prevalence_per_mille"] / 1000 / s["status"]["在管"]))
    tw = ctx.township_pop * factor
    towns = r.choice(len(tw), size=n, p=tw / tw.sum())
    people = ctx.people.draw(r, n, p.end, age_weights=AGE_WEIGHTS, townships=towns)
    icd3 = categorical(r, s["icd10"], n)
    icd = np.array([SUBCODES[c][k % len(SUBCODES[c])] for c, k in
                    zip(icd3, r.integers(0, 4, n), strict=True)])
    start = p.first_day[0]
    in_window = r.random(n) < s["registered_in_window_share"]
    # the register was built up from 2006 on, most patients entered in the last decade
    years_before = r.beta(1.2, 2.2, n) * float((start - np.datetime64("2006-01-01")).astype(int))
    before = start - (years_before.astype(int) + 1).astype("timedelta64[D]")
    during = start + r.integers(0, int((p.end - start).astype(int)), n).astype("timedelta64[D]")
    reg = np.where(in_window, during, before)
    earliest = np.maximum(people["birth"].to_numpy() + np.timedelta64(int(12 * 365.25), "D"),
                          np.datetime64("2006-01-01"))
    reg = np.maximum(reg, earliest)
    reg = np.minimum(reg, p.end - np.timedelta64(1, "D"))
    status = categorical(r, s["status"], n)
    reg_m = ((reg.astype("datetime64[M]") - p.months[0]).astype(int)).clip(0, None)
    # last month with follow-ups: end of window for managed, earlier for the others
    stop = np.where(status == "在管", p.n - 1,
                    reg_m + (r.random(n) * (p.n - reg_m)).astype(int))
    stop = np.where(status == "拒访", -1, np.minimum(stop, p.n - 1))
    addresses = _addresses(ctx, people)
    frame = pd.DataFrame({
        "id": people["id"].to_numpy(), "name": people["name"].to_numpy(),
        "sex": people["sex"].to_numpy(), "birth": people["birth"].to_numpy(),
        "village_code": people["village_code"].to_numpy(),
        "township_idx": people["township_idx"].to_numpy(), "address": addresses,
        "icd10": icd, "registered": reg, "reg_m": reg_m, "stop_m": stop, "status": status,
        "home": r.random(n) < s["home_dwelling"],
        "unstable": r.random(n) < s["unstable_patient_share"],
        "adherence": r.beta(6, 1.6, n), "rehab": r.random(n) < s["community_rehab"],
        "family": r.random(n) < s["family_counselled"],
        "refill": r.random(n) < s["outpatient_monthly_share"],
    })
    ctx.smd = frame
    return frame


def _addresses(ctx: CountyContext, people: pd.DataFrame) -> list[str]:
    r = ctx.py("smd", "address")
    names = ctx.people.village_names[people["village_idx"].to_numpy()]
    out = []
    for vname in names:
        if vname.endswith("村"):
            out.append(f"{vname}{r.randint(1, 12)}组{r.randint(1, 80)}号")
        else:
            short = f"{vname}{r.randint(1, 30)}号"
            out.append(pii.address(r, ctx.pii) if r.random() < 0.8 else short)
    return out


def write_register(ctx: CountyContext) -> None:
    f = ctx.smd
    r = ctx.rng("smd", "register_dirt")
    rel = f"{SOURCE}/smd_registry_{ctx.code6}.csv"
    ids, bad = ctx.dirty_ids(r, f["id"].to_numpy(), rel)
    ctx.finish_file(rel, bad)
    out = pd.DataFrame({
        "person_pid": ids, "name": f["name"], "sex": np.where(f["sex"] == "M", "男", "女"),
        "birth_date": fmt_date(f["birth"].to_numpy()), "village_code": f["village_code"],
        "address": f["address"], "icd10": f["icd10"],
        "registered_date": fmt_date(f["registered"].to_numpy()), "management_status": f["status"],
        "is_home_dwelling": np.where(f["home"], "是", "否"),
    }).sort_values("registered_date", kind="stable")
    path = ctx.landing / rel
    ctx.add_rows("smd_registry", write_csv(out, "smd_registry", path, "utf-8"), path)


def followups(ctx: CountyContext) -> None:
    f = ctx.smd
    s = ctx.rates["smd"]
    p = ctx.periods
    r0 = ctx.rng("smd", "schedule")
    n = len(f)
    phase = r0.integers(0, 3, n)
    for m in range(p.n):
        r = ctx.rng("smd", "followup", m)
        active = (f["reg_m"].to_numpy() <= m) & (f["stop_m"].to_numpy() >= m)
        due = ((m - phase) % 3 == 0) | f["unstable"].to_numpy()
        due &= r.random(n) > 0.03
        sel = np.flatnonzero(active & due)
        k = len(sel)
        g = f.iloc[sel]
        unstable = g["unstable"].to_numpy()
        u = r.random(k)
        cond_unstable = np.where(u < 0.3, "稳定", np.where(u < 0.62, "基本稳定", "不稳定"))
        cond_stable = np.where(u < 0.8, "稳定", np.where(u < 0.975, "基本稳定", "不稳定"))
        cond = np.where(unstable, cond_unstable, cond_stable)
        risk = np.empty(k, int)
        for c, probs in RISK_BY_CONDITION.items():
            idx = np.flatnonzero(cond == c)
            risk[idx] = r.choice(6, size=len(idx), p=probs)
        adh = g["adherence"].to_numpy() * np.where(cond == "不稳定", 0.7, 1.0)
        v = r.random(k)
        med = np.where(v < adh, "规律", np.where(v < adh + (1 - adh) * 0.6, "间断", "不服药"))
        managed = np.where((cond == "不稳定") | (risk >= 3), r.random(k) < 0.93, r.random(k) < 0.06)
        mode = categorical(r, s["mode"], k)
        mode = np.where(cond == "不稳定", np.where(r.random(k) < 0.6, "家庭访视", mode), mode)
        dates = p.first_day[m] + (r.random(k) * p.days[m]).astype(int)
        rehab = g["rehab"].to_numpy() & g["home"].to_numpy()
        family = g["family"].to_numpy() ^ (r.random(k) < 0.05)
        rel = f"{SOURCE}/smd_followup_{ctx.code6}_{p.labels[m]}.csv"
        ids, bad_id = ctx.dirty_ids(r, g["id"].to_numpy(), rel)
        bad_score = ctx.bad_scores(r, k) & ~bad_id
        risk = np.where(bad_score, r.integers(6, 10, k), risk)
        ctx.record_bad(rel, "out_of_range", bad_score)
        ctx.finish_file(rel, bad_id | bad_score)
        out = pd.DataFrame({
            "person_pid": ids, "name": g["name"].to_numpy(), "followup_date": fmt_date(dates),
            "followup_mode": mode, "risk_level": risk, "medication": med, "condition": cond,
            "is_case_managed": np.where(managed, "是", "否"),
            "in_community_rehab": np.where(rehab, "是", "否"),
            "family_counselled": np.where(family, "是", "否"),
        }).sort_values("followup_date", kind="stable")
        path = ctx.landing / rel
        ctx.add_rows("smd_followup", write_csv(out, "smd_followup", path, "utf-8"), path)
