"""信访事项 and 12345 工单 (monthly GB18030 CSV).

Volumes per township follow population, a township level and the calendar (a February dip,
欠薪 items around the Spring Festival). 12345 is the main channel. A quarter of items come from
people who petition repeatedly; ``is_repeat`` is set when the same person already had an item.
Planted events add items with their own wording (and, for land disputes, collective visits).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pipelines.generate.context import CountyContext
from pipelines.generate.events import planted_extra
from pipelines.generate.periods import fmt_date, random_days
from pipelines.generate.petition_text import CATEGORIES, petition_text
from pipelines.generate.pii import mobile
from pipelines.generate.volumes import categorical, expand, seasonal
from pipelines.generate.writers import write_csv

SOURCE = "petitions"
ADULT = np.array([0, 0, 0, 0, 0.7, 1, 1.1, 1.1, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 0.7, 0.4, 0.2, 0.1])


def petitions(ctx: CountyContext) -> None:
    pr = ctx.rates["petitions"]
    p = ctx.periods
    tf = ctx.township_factor("petitions", sd=0.25, urban_effect=0.2)
    base = (ctx.township_pop * tf / 10000 * pr["per_10k_month"])[:, None] * seasonal(
        pr["seasonality"], p)[None, :]
    labour = seasonal(pr["labour_seasonality"], p)
    cat_season = {c: labour if c == "劳动和社会保障" else np.ones(p.n) for c in CATEGORIES}
    lam = np.stack([base * pr["category"][c] * cat_season[c][None, :] for c in CATEGORIES], axis=2)
    r = ctx.rng("petitions", "counts")
    t_idx, m_idx, c_idx = expand(r, lam)
    topic = np.full(len(t_idx), "background", dtype=object)
    kind = np.full(len(t_idx), "", dtype=object)
    floor = ctx.rates["events"]["min_extra_per_month"]["petitions"]
    for ci, cat in enumerate(CATEGORIES):
        _, owners = planted_extra(ctx.events, "petitions", f"category={cat}", lam[:, :, ci], floor)
        for e, mask in owners:
            et, em = expand(ctx.rng("petitions", "event", e.event_id), mask)
            t_idx, m_idx = np.r_[t_idx, et], np.r_[m_idx, em]
            c_idx = np.r_[c_idx, np.full(len(et), ci)]
            topic = np.r_[topic, np.full(len(et), e.event_id, dtype=object)]
            kind = np.r_[kind, np.full(len(et), e.kind, dtype=object)]
    collective_base = lam.sum(axis=2) * 0.13 * pr["collective_share_visit"]
    _, owners = planted_extra(ctx.events, "petitions", "collective_count", collective_base, 4)
    n_bg = len(t_idx)
    for e, mask in owners:
        et, em = expand(ctx.rng("petitions", "event_collective", e.event_id), mask)
        t_idx, m_idx = np.r_[t_idx, et], np.r_[m_idx, em]
        c_idx = np.r_[c_idx, np.full(len(et), CATEGORIES.index("城乡建设"))]
        topic = np.r_[topic, np.full(len(et), e.event_id, dtype=object)]
        kind = np.r_[kind, np.full(len(et), e.kind, dtype=object)]
    n = len(t_idx)
    forced_collective = np.arange(n) >= n_bg
    items = _items(ctx, r, t_idx, m_idx, c_idx, topic, kind, forced_collective)
    for m in range(p.n):
        _write_month(ctx, m, items[items["m"] == m])


def _items(ctx: CountyContext, r: np.random.Generator, t_idx, m_idx, c_idx, topic, kind,
           forced_collective) -> pd.DataFrame:
    pr = ctx.rates["petitions"]
    p = ctx.periods
    n = len(t_idx)
    urban = ctx.urban[t_idx]
    channel = categorical(r, pr["channel"], n)
    channel = np.where(~urban & (channel == "12345") & (r.random(n) < 0.2), "来访", channel)
    collective = (channel == "来访") & (r.random(n) < pr["collective_share_visit"])
    collective |= forced_collective
    collective |= (kind == "land_dispute") & (r.random(n) < 0.3)
    channel = np.where(forced_collective, "来访", channel)
    size = np.where(collective, np.clip(r.lognormal(2.5, 0.6, n), 5, 300).astype(int), 1)
    # petitioners: repeaters from a pool, else a new resident of the township
    n_pool = max(int(n * pr["repeat_petitioner_share"] / 6), 20)
    tp = ctx.township_pop / ctx.township_pop.sum()
    pool_t = r.choice(len(tp), size=n_pool, p=tp)
    pool = ctx.people.draw(r, n_pool, p.end, age_weights=ADULT, townships=pool_t)
    pool_w = r.pareto(1.2, n_pool) + 1
    from_pool = r.random(n) < pr["repeat_petitioner_share"]
    who = np.full(n, -1)
    for t in np.unique(t_idx[from_pool]):
        sel = np.flatnonzero(from_pool & (t_idx == t))
        cand = np.flatnonzero(pool["township_idx"].to_numpy() == t)
        if len(cand) == 0:
            continue
        w = pool_w[cand]
        who[sel] = cand[r.choice(len(cand), size=len(sel), p=w / w.sum())]
    new = np.flatnonzero(who < 0)
    fresh = ctx.people.draw(r, len(new), p.end, age_weights=ADULT, townships=t_idx[new])
    persons = pd.concat([pool, fresh], ignore_index=True)
    who[new] = n_pool + np.arange(len(new))
    pr_phone = ctx.py("petitions", "phones")
    phones = np.array([mobile(pr_phone).replace("+86 ", "").replace("+86", "")
                       for _ in range(len(persons))])
    dates = random_days(r, p, m_idx, weekday_weight=2.0)
    frame = pd.DataFrame({
        "t": t_idx, "m": m_idx, "cat": np.array(CATEGORIES)[c_idx], "topic": topic,
        "kind": kind, "channel": channel, "collective": collective, "size": size,
        "who": who, "date": dates,
        "id": persons["id"].to_numpy()[who], "name": persons["name"].to_numpy()[who],
        "phone": phones[who], "village": persons["village_idx"].to_numpy()[who],
    })
    frame = frame.sort_values(["date", "t"], kind="stable").reset_index(drop=True)
    seen_before = frame.duplicated("who", keep="first").to_numpy()
    pooled = frame["who"].to_numpy() < n_pool
    frame["repeat"] = seen_before | (pooled & (r.random(n) < 0.4))
    give = np.array([pr["pid_given"][c] for c in frame["channel"]])
    frame["id_given"] = r.random(n) < give
    return frame


def _status(r: np.random.Generator, m: int, last: int, n: int) -> np.ndarray:
    age = last - m
    if age == 0:
        w = {"已受理": 0.3, "办理中": 0.4, "已办结": 0.28, "不予受理": 0.02}
    elif age == 1:
        w = {"已受理": 0.05, "办理中": 0.25, "已办结": 0.66, "不予受理": 0.04}
    else:
        w = {"办理中": 0.03, "已办结": 0.93, "不予受理": 0.04}
    return categorical(r, w, n)


def _write_month(ctx: CountyContext, m: int, g: pd.DataFrame) -> None:
    p = ctx.periods
    r = ctx.rng("petitions", "month", m)
    pr = ctx.py("petitions", "text", m)
    label = p.labels[m]
    k = len(g)
    villages = ctx.people.village_names
    case_no, contents = [], []
    for j, row in enumerate(g.itertuples(index=False)):
        prefix = "GD" if row.channel == "12345" else "XF"
        key = f"{prefix}{ctx.code6}{label.replace('-', '')}{j + 1:05d}"
        text, spans, _sub = petition_text(
            pr, ctx.pii, row.cat, ctx.township_names[row.t], villages[row.village], row.channel,
            event_kind=row.kind or None)
        case_no.append(key)
        contents.append(text)
        ctx.text_rows.append({
            "source": "petitions", "record_key": key, "month": label,
            "township_code": ctx.township_codes[row.t], "category": row.cat, "emotion": None,
            "topic": row.topic, "text": text, "pii_spans": json.dumps(spans, ensure_ascii=False)})
    rel = f"{SOURCE}/petitions_{ctx.code6}_{label}.csv"
    ids = np.where(g["id_given"].to_numpy(), g["id"].to_numpy(), "")
    ids, bad = ctx.dirty_ids(r, ids, rel)
    ctx.finish_file(rel, bad)
    out = pd.DataFrame({
        "case_no": case_no, "received_date": fmt_date(g["date"].to_numpy()),
        "channel": np.where(g["channel"] == "12345", "12345", g["channel"]),
        "township_code": ctx.township_codes[g["t"].to_numpy()], "petitioner_pid": ids,
        "petitioner_name": np.where(r.random(k) < 0.93, g["name"].to_numpy(), ""),
        "petitioner_phone": np.where(r.random(k) < 0.9, g["phone"].to_numpy(), ""),
        "is_collective": np.where(g["collective"], "是", "否"), "group_size": g["size"].to_numpy(),
        "is_repeat": np.where(g["repeat"], "是", "否"), "content": contents,
        "status": _status(r, m, p.n - 1, k),
    })
    path = ctx.landing / rel
    ctx.add_rows("petitions", write_csv(out, "petitions", path, "gb18030"), path)
