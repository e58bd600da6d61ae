"""警情 of social-mentality relevance (公安接处警, monthly UTF-8 CSV).

Dispute types dominate; family disputes rise in summer and around the Spring Festival, labour
disputes before it. The persons involved are residents of the township (for 精神障碍肇事肇祸
usually a registered SMD patient), listed as ；-separated ID numbers.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pipelines.generate.context import CountyContext
from pipelines.generate.events import planted_extra
from pipelines.generate.incident_text import incident_text
from pipelines.generate.periods import HOURS_EVENING, fmt_datetime, random_days, random_times
from pipelines.generate.volumes import expand, seasonal
from pipelines.generate.writers import write_csv

SOURCE = "public_security"
FAMILY = ("家庭纠纷", "婚恋纠纷", "家庭暴力", "邻里纠纷")
SEVERITY = {"自伤自杀": {"一般": 0.45, "较大": 0.4, "重大": 0.15},
            "群体性事件": {"一般": 0.3, "较大": 0.6, "重大": 0.1},
            "精神障碍肇事肇祸": {"一般": 0.6, "较大": 0.32, "重大": 0.08}}
EVENT_TEXT = {
    ("wage_arrears", "劳资纠纷"): [
        "称{town}某工地二十余名农民工讨要被拖欠的工资，与项目负责人发生争执。",
                                 "称包工头拖欠工资后失联，十几名工人聚集在{town}工地门口。"],
    ("land_dispute", "土地山林纠纷"): ["称{village}村民因征地补偿标准与施工方发生冲突，阻挡施工。",
                                    "称{village}村民与征地工作人员因青苗补偿发生争执。"],
    ("land_dispute", "群体性事件"): [
        "称{n}余名{village}村民聚集在{town}政府门口，反映征地补偿问题。"],
    ("self_harm_cluster", "自伤自杀"): ["称其家人在{town}家中服药自杀，已送医抢救。",
                                     "称一年轻人在{town}河边欲轻生，被路人拉住。",
                                     "称{town}一名学生在家中割腕，情绪低落。"],
}
EVENT_TYPES = {"type=labour_dispute": "劳资纠纷", "type=land_dispute": "土地山林纠纷",
               "type=mass_incident": "群体性事件", "type=self_harm": "自伤自杀"}


def incidents(ctx: CountyContext) -> None:
    ir = ctx.rates["incidents"]
    p = ctx.periods
    types = list(ir["type"])
    tf = ctx.township_factor("incidents", sd=0.25, urban_effect=0.1)
    base = (ctx.township_pop * tf / 10000 * ir["per_10k_month"])[:, None] * np.ones(p.n)[None, :]
    fam, lab = seasonal(ir["family_seasonality"], p), seasonal(ir["labour_seasonality"], p)
    lam = np.stack([base * ir["type"][t] * (fam if t in FAMILY else lab if t == "劳资纠纷"
                                           else np.ones(p.n))[None, :] for t in types], axis=2)
    r = ctx.rng("incidents", "counts")
    t_idx, m_idx, y_idx = expand(r, lam)
    topic = np.full(len(t_idx), "background", dtype=object)
    kind = np.full(len(t_idx), "", dtype=object)
    floor = ctx.rates["events"]["min_extra_per_month"]["incidents"]
    for ind, tname in EVENT_TYPES.items():
        yi = types.index(tname)
        _, owners = planted_extra(ctx.events, "incidents", ind, lam[:, :, yi], floor)
        for e, mask in owners:
            et, em = expand(ctx.rng("incidents", "event", e.event_id, ind), mask)
            t_idx, m_idx = np.r_[t_idx, et], np.r_[m_idx, em]
            y_idx = np.r_[y_idx, np.full(len(et), yi)]
            topic = np.r_[topic, np.full(len(et), e.event_id, dtype=object)]
            kind = np.r_[kind, np.full(len(et), e.kind, dtype=object)]
    n = len(t_idx)
    itype = np.array(types)[y_idx]
    n_persons = np.where(r.random(n) < 0.08, 0, r.choice([1, 2, 2, 3], size=n))
    n_persons = np.where(itype == "群体性事件", r.integers(2, 6, n), n_persons)
    owner = np.repeat(np.arange(n), n_persons)
    people = ctx.people.draw(r, len(owner), p.end, age_weights=_ADULT, townships=t_idx[owner])
    pid = people["id"].to_numpy().astype(object)
    # 精神障碍肇事肇祸: the first person is a registered patient of the same township if any
    smd = ctx.smd
    first = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.zeros(0, bool)
    for j in np.flatnonzero(first & (itype[owner] == "精神障碍肇事肇祸")):
        cand = np.flatnonzero(smd["township_idx"].to_numpy() == t_idx[owner[j]])
        if len(cand):
            pid[j] = smd["id"].to_numpy()[cand[r.integers(0, len(cand))]]
    frame = pd.DataFrame({"t": t_idx, "m": m_idx, "type": itype, "topic": topic, "kind": kind})
    frame["dates"] = random_days(r, p, m_idx)
    for m in range(p.n):
        _write_month(ctx, m, frame, owner, pid)


_ADULT = np.array([0, 0, 0.1, 0.5, 0.9, 1.1, 1.2, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.7, 0.5, 0.3,
                   0.2, 0.1])


def _write_month(ctx: CountyContext, m: int, frame: pd.DataFrame, owner: np.ndarray,
                 pid: np.ndarray) -> None:
    p = ctx.periods
    r = ctx.rng("incidents", "month", m)
    pr = ctx.py("incidents", "text", m)
    label = p.labels[m]
    rows = np.flatnonzero(frame["m"].to_numpy() == m)
    times = random_times(r, frame["dates"].to_numpy()[rows], HOURS_EVENING)
    order = np.argsort(times, kind="stable")
    rows, times = rows[order], times[order]
    rel = f"{SOURCE}/incidents_{ctx.code6}_{label}.csv"
    # dirt per ID; a row is bad when any of its IDs is invalid
    mine = np.isin(owner, rows)
    written, invalid = ctx.dirty_ids(r, pid[mine].astype(str), rel, inner_spaces=False)
    own = owner[mine]
    by_row: dict[int, list[str]] = {}
    bad_rows: set[int] = set()
    for o, w, bad in zip(own.tolist(), written.tolist(), invalid.tolist(), strict=True):
        by_row.setdefault(o, []).append(w)
        if bad:
            bad_rows.add(o)
    out_rows = []
    villages = [v.name for v in ctx.county.villages]
    vt = ctx.people.village_town
    for j, i in enumerate(rows.tolist()):
        t = int(frame["t"].iat[i])
        itype = frame["type"].iat[i]
        kind = frame["kind"].iat[i]
        vill = [villages[v] for v in np.flatnonzero(vt == t)]
        opts = EVENT_TEXT.get((kind, itype)) if kind else None
        text, spans = incident_text(pr, ctx.pii, itype, ctx.township_names[t], pr.choice(vill),
                                    event_text=pr.choice(opts) if opts else None)
        sev_w = SEVERITY.get(itype, ctx.rates["incidents"]["severity"])
        sev = pr.choices(list(sev_w), weights=list(sev_w.values()))[0]
        key = f"J{ctx.code6}{label.replace('-', '')}{j + 1:05d}"
        persons = "；".join(by_row.get(i, []))
        out_rows.append((key, ctx.township_codes[t], itype, persons, sev, text))
        ctx.text_rows.append({
            "source": "incidents", "record_key": key, "month": label,
            "township_code": ctx.township_codes[t], "category": None, "emotion": None,
            "topic": frame["topic"].iat[i], "text": text,
            "pii_spans": json.dumps(spans, ensure_ascii=False)})
    out = pd.DataFrame(out_rows, columns=["incident_no", "township_code", "incident_type",
                                          "person_pids", "severity", "narrative"])
    out.insert(1, "reported_at", fmt_datetime(times))
    ctx.finish_file(rel, np.array([i in bad_rows for i in rows.tolist()], bool))
    path = ctx.landing / rel
    ctx.add_rows("incidents", write_csv(out, "incidents", path, "utf-8"), path)
