"""Schools (教育局 roster) and the twice-yearly student mental-health screening (PHQ-9, GAD-7).

Enrolment follows the township's school-age population (ages 6–17 from the pyramid times the
enrolled share); upper-secondary schools sit in the county seat and the largest towns. Students
are cohorts (school × entry year) who keep their ID and move up a grade every September, so a
student appears in every round while at that school. Scores are gamma-distributed with a
persistent personal level, higher for girls, left-behind children, older grades and exam
grades in the spring round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.generate.context import CountyContext
from pipelines.generate.names import full_names
from pipelines.generate.periods import fmt_date
from pipelines.generate.writers import write_csv, write_xlsx

SOURCE = "schools"
LEVEL_GRADES = {"小学": (1, 6), "初中": (7, 9), "高中": (10, 12), "职高": (10, 12)}
LEVEL_KEY = {"小学": "primary", "初中": "junior", "高中": "senior", "职高": "vocational"}
SENIOR_NAMES = ["县第一中学", "县第二中学", "县实验中学", "县第三中学"]
PRIMARY_URBAN = ["实验小学", "第一小学", "第二小学", "第三小学", "育才小学", "希望小学"]


def _age_cohort(ctx: CountyContext) -> np.ndarray:
    """Residents per single year of age 5–19 by township (from the 5-year bands)."""
    pyr = ctx.pyramids.sum(axis=1)  # townships × bands
    per_year = pyr[:, 1:4] / 5  # 5-9, 10-14, 15-19
    return ctx.township_pop[:, None] * per_year


def plan_schools(ctx: CountyContext) -> list[dict]:
    r = ctx.rng("schools", "roster")
    c = ctx.county
    rates = ctx.rates["schools"]
    cohort = _age_cohort(ctx) * rates["enrolled_share"]  # per age year, per township
    primary_n = cohort[:, 0] * 6
    junior_n = cohort[:, 1] * 3 * 0.97
    upper_total = cohort[:, 2].sum() * 3 * 0.88
    schools: list[dict] = []

    def add(tidx: int, name: str, level: str, enrol: float) -> None:
        schools.append({"township_idx": tidx, "township_code": c.townships[tidx].code,
                        "school_name": name, "level": level, "enrolment": max(int(enrol), 30)})

    big = np.argsort(-ctx.township_pop)
    rural_big = [int(t) for t in big if not c.townships[t].urban][:2]
    for ti, t in enumerate(c.townships):
        stem = t.name[:-2] if t.kind == "街道" else t.name[:-1]
        if t.urban:
            n_p = int(r.integers(2, 5))
            names = [stem + suf for suf in r.choice(PRIMARY_URBAN, size=n_p, replace=False)]
            w = r.dirichlet(np.full(n_p, 4.0))
            for nm, wi in zip(names, w, strict=True):
                add(ti, nm, "小学", primary_n[ti] * wi)
            add(ti, f"{stem}初级中学", "初中", junior_n[ti])
        else:
            vills = [v for v in t.villages if v.kind == "村"]
            n_v = int(r.integers(2, 7)) if t.kind == "镇" else int(r.integers(1, 4))
            n_v = min(n_v, len(vills))
            w = r.dirichlet(np.r_[6.0, np.full(n_v, 1.2)])
            centre = f"{stem}{'镇' if t.kind == '镇' else '乡'}中心小学"
            add(ti, centre, "小学", primary_n[ti] * w[0])
            for v, wi in zip(r.choice(len(vills), size=n_v, replace=False), w[1:], strict=True):
                add(ti, vills[v].name[:-1] + "小学", "小学", primary_n[ti] * wi)
            add(ti, f"{stem}中学", "初中", junior_n[ti])
    # upper secondary: county seat + the two largest towns, plus the vocational school(s)
    seat = next(i for i, t in enumerate(c.townships) if t.name == "城关镇")
    senior_total = upper_total * rates["senior_share"]
    hosts = [seat, seat] + rural_big
    w = r.dirichlet(np.array([5.0, 3.0] + [1.5] * len(rural_big)))
    for k, (h, wi) in enumerate(zip(hosts, w, strict=True)):
        name = c.name + SENIOR_NAMES[k] if k < 2 else c.townships[h].name[:-1] + "高级中学"
        add(h, name, "高中", senior_total * wi)
    voc_total = upper_total - senior_total
    add(seat, c.name + "职业中学", "职高", voc_total * 0.7)
    add(rural_big[0] if rural_big else seat, c.name + "第二职业技术学校", "职高", voc_total * 0.3)
    for k, s in enumerate(schools):
        s["school_id"] = f"1{ctx.code6}{k + 1:03d}"
        central = s["level"] != "小学" or "中心" in s["school_name"] or c.townships[
            s["township_idx"]].urban
        s["has_counselling_room"] = "是" if r.random() < (0.95 if central else 0.6) else "否"
        fte = s["enrolment"] / 900 * r.uniform(0.4, 1.2)
        s["counsellor_fte"] = round(float(np.floor(fte * 2) / 2), 1) if s[
            "has_counselling_room"] == "是" else round(float(r.choice([0.0, 0.0, 0.5])), 1)
    return schools


def write_roster(ctx: CountyContext) -> None:
    frame = pd.DataFrame(ctx.schools)
    path = ctx.path(SOURCE, f"schools_{ctx.code6}.xlsx")
    n = write_xlsx(frame, "schools", path, "学校基本情况")
    ctx.add_rows("schools", n, path)


def _students(ctx: CountyContext, ay_min: int, ay_max: int) -> pd.DataFrame:
    """All cohorts (school × entry year) present in any academic year of the window."""
    r = ctx.rng("schools", "students")
    rates = ctx.rates["schools"]
    parts = []
    for s in ctx.schools:
        lo, hi = LEVEL_GRADES[s["level"]]
        n_grades = hi - lo + 1
        urban = ctx.county.townships[s["township_idx"]].urban
        for entry in range(ay_min - n_grades + 1, ay_max + 1):
            n = int(r.poisson(s["enrolment"] / n_grades))
            if n == 0:
                continue
            # grade 1 entrants are 6 on 1 September of the entry year
            first_birth = np.datetime64(f"{entry - 5 - lo:04d}-09-01")
            birth = first_birth + r.integers(0, 365, n).astype("timedelta64[D]")
            late = r.random(n) < 0.08  # repeated a year or started late
            birth = birth - late * np.timedelta64(365, "D")
            sex = np.where(r.random(n) < 0.52, "M", "F")
            lb_p = rates["left_behind_urban" if urban else "left_behind_rural"]
            mg_p = rates["migrant_urban" if urban else "migrant_rural"]
            u = r.random(n)
            parts.append(pd.DataFrame({
                "school_id": s["school_id"], "level": s["level"], "entry": entry, "lo": lo,
                "hi": hi, "birth": birth, "sex": sex,
                "left_behind": u < lb_p, "migrant": (u >= lb_p) & (u < lb_p + mg_p),
                "trait": r.lognormal(-0.06, 0.35, n),
            }))
    st = pd.concat(parts, ignore_index=True)
    st["id"] = ctx.people.ids.issue(st["birth"].to_numpy().astype("datetime64[D]"),
                                    st["sex"].to_numpy())
    st["name"] = full_names(r, st["sex"].to_numpy())
    return st


def screening(ctx: CountyContext) -> None:
    rates = ctx.rates["schools"]
    p = ctx.periods
    rounds = [i for i in range(p.n) if p.calendar_month[i] in rates["screening_months"]]
    if not rounds:
        return
    ay = lambda i: int(p.year[i] if p.calendar_month[i] >= 9 else p.year[i] - 1)  # noqa: E731
    st = _students(ctx, ay(rounds[0]), ay(rounds[-1]))
    cluster = {e.school_id: e for e in ctx.events if e.kind == "school_cluster"}
    school_idx = {s["school_id"]: k for k, s in enumerate(ctx.schools)}
    for i in rounds:
        r = ctx.rng("schools", "round", i)
        grade = ay(i) - st["entry"].to_numpy() + st["lo"].to_numpy()
        here = (grade >= st["lo"].to_numpy()) & (grade <= st["hi"].to_numpy())
        here &= r.random(len(st)) > 0.02  # absent on screening days
        df = st[here].copy()
        g = grade[here]
        n = len(df)
        spring = p.calendar_month[i] < 9
        scale = np.array([rates["phq9_gamma"][LEVEL_KEY[lv]][1] for lv in df["level"]])
        shape = np.array([rates["phq9_gamma"][LEVEL_KEY[lv]][0] for lv in df["level"]])
        scale = scale * df["trait"].to_numpy() * np.where(df["sex"] == "F", 1.08, 0.95)
        scale *= np.where(df["left_behind"], rates["left_behind_factor"], 1.0)
        if spring:
            scale *= np.where(np.isin(g, [9, 12]), rates["spring_exam_factor"], 1.0)
        sid = df["school_id"].to_numpy()
        unit = r.gamma(shape, 1.0)
        for school_id, e in cluster.items():
            if e.start == i:
                here_s = sid == school_id
                f = ctx.rates["events"]["school_cluster_factor"]
                before = np.mean(np.rint(unit[here_s] * scale[here_s]) >= 10)
                scale = np.where(here_s, scale * f, scale)
                after = np.mean(np.rint(unit[here_s] * scale[here_s]) >= 10)
                e.record("student_screening", "share_phq9_ge10", after / max(before, 1e-9))
        phq = np.clip(np.rint(unit * scale), 0, 27).astype(int)
        ga, gb, gc = rates["gad7_from_phq9"]
        gad = np.clip(np.rint(ga * phq + r.normal(gb, gc, n)), 0, 21).astype(int)
        # screening days: each school screens over 1–3 working days
        sk = np.array([school_idx[x] for x in sid])
        day0 = ctx.rng("schools", "days", i).integers(2, max(p.days[i] - 4, 3), len(ctx.schools))
        date = p.first_day[i] + day0[sk] + r.integers(0, 3, n)
        rel = f"{SOURCE}/student_screening_{ctx.code6}_{p.labels[i]}.csv"
        ids, bad_id = ctx.dirty_ids(r, df["id"].to_numpy(), rel)
        bad_score = ctx.bad_scores(r, n) & ~bad_id
        which = r.random(n) < 0.5
        phq = np.where(bad_score & which, r.integers(28, 40, n), phq)
        gad = np.where(bad_score & ~which, r.integers(22, 30, n), gad)
        ctx.record_bad(rel, "out_of_range", bad_score)
        ctx.finish_file(rel, bad_id | bad_score)
        out = pd.DataFrame({
            "person_pid": ids, "name": df["name"].to_numpy(), "school_id": sid, "grade": g,
            "sex": np.where(df["sex"] == "M", "男", "女"), "screening_date": fmt_date(date),
            "phq9": phq, "gad7": gad,
            "is_left_behind": np.where(df["left_behind"], "是", "否"),
            "is_migrant": np.where(df["migrant"], "是", "否"),
        }).sort_values(["screening_date", "school_id", "grade"], kind="stable")
        path = ctx.landing / rel
        ctx.add_rows("student_screening", write_csv(out, "student_screening", path, "utf-8"), path)
