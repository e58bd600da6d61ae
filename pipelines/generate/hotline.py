"""心理援助热线 call log (monthly XLSX with a title row, as the hotline's system exports it).

Calls come mostly in the evening, from every township (the operator records the township for
about four in five calls), with a winter peak, study-stress calls in May–June and money worries
around the Spring Festival. Each call has an operator category, a crisis flag, a free-text
summary and, in truth only, the caller's dominant emotion.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pipelines.generate.context import CountyContext
from pipelines.generate.events import planted_extra
from pipelines.generate.hotline_text import hotline_text
from pipelines.generate.periods import HOURS_EVENING, fmt_datetime, random_days, random_times
from pipelines.generate.pii import mobile
from pipelines.generate.volumes import expand, seasonal
from pipelines.generate.writers import write_xlsx

SOURCE = "health"
CODE = {"情绪困扰": "emotional_distress", "人际关系": "relationships", "婚姻家庭": "family",
        "学业压力": "study", "就业经济": "work_money", "心理危机": "crisis",
        "精神疾病咨询": "mental_illness", "灾害应激": "disaster_stress", "其他": "other"}
# category-specific seasonality (Jan..Dec), 1 elsewhere
CAT_SEASON = {"学业压力": [0.9, 0.6, 1.2, 1.3, 1.8, 2.0, 0.5, 0.5, 1.1, 1.0, 1.0, 1.1],
              "就业经济": [1.8, 1.6, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.1, 1.7]}
EMOTION_BY_CAT = {
    "心理危机": {"sad": 0.6, "fear": 0.25, "angry": 0.1, "neutral": 0.05},
    "灾害应激": {"fear": 0.7, "sad": 0.25, "neutral": 0.05},
    "就业经济": {"angry": 0.38, "sad": 0.3, "fear": 0.2, "neutral": 0.12},
    "精神疾病咨询": {"neutral": 0.45, "fear": 0.35, "sad": 0.2},
    "其他": {"neutral": 0.7, "happy": 0.15, "surprise": 0.15},
}
AGE_BY_CAT = {"学业压力": {"18岁以下": 0.7, "18-29岁": 0.3}}
AGE_DEFAULT = {"18岁以下": 0.08, "18-29岁": 0.26, "30-44岁": 0.3, "45-59岁": 0.2,
               "60岁及以上": 0.08,
               "不详": 0.08}
EVENT_CATEGORY = {("hotline_calls", "category=work_money"): "就业经济",
                  ("hotline_calls", "category=disaster_stress"): "灾害应激",
                  ("hotline_calls", "crisis_count"): "心理危机"}


def calls(ctx: CountyContext) -> None:
    h = ctx.rates["hotline"]
    p = ctx.periods
    cats = list(h["category"])
    tf = ctx.township_factor("hotline", sd=0.2, urban_effect=0.3)
    base = (ctx.township_pop * tf / 10000 * h["per_10k_month"])[:, None] * seasonal(
        h["seasonality"], p)[None, :]
    lam = np.stack([base * h["category"][c] * seasonal(CAT_SEASON.get(c, [1] * 12), p)[None, :]
                    for c in cats], axis=2)  # T × M × C
    r = ctx.rng("hotline", "counts")
    t_idx, m_idx, c_idx = expand(r, lam)
    topic = np.full(len(t_idx), "background", dtype=object)
    for (ds, ind), cat in EVENT_CATEGORY.items():
        ci = cats.index(cat)
        floor = ctx.rates["events"]["min_extra_per_month"]["hotline_calls"]
        extra_base = lam[:, :, ci] if ind != "crisis_count" else lam.sum(axis=2) * 0.07
        _, owners = planted_extra(ctx.events, ds, ind, extra_base, floor)
        for e, mask in owners:
            et, em = expand(ctx.rng("hotline", "event", e.event_id, ind), mask)
            t_idx, m_idx = np.r_[t_idx, et], np.r_[m_idx, em]
            c_idx = np.r_[c_idx, np.full(len(et), ci)]
            topic = np.r_[topic, np.full(len(et), e.event_id, dtype=object)]
    n = len(t_idx)
    known = (r.random(n) < h["township_known"]) | (topic != "background")
    is_crisis = (np.array(cats)[c_idx] == "心理危机") | (r.random(n) < h[
        "crisis_share_non_crisis_category"])
    callers = _callers(ctx, n, r)
    for m in range(p.n):
        sel = np.flatnonzero(m_idx == m)
        _write_month(ctx, m, sel, t_idx, c_idx, known, is_crisis, topic, callers, cats)
    ctx.rows.setdefault("hotline_calls", 0)


def _callers(ctx: CountyContext, n: int, r: np.random.Generator) -> np.ndarray:
    """Caller numbers: a pool of repeat callers plus one-off callers; a few withheld."""
    pr = ctx.py("hotline", "phones")
    n_pool = max(n // 25, 5)
    pool = [mobile(pr).replace(" ", "").replace("-", "").replace("+86", "") for _ in range(n_pool)]
    once = [mobile(pr).replace(" ", "").replace("-", "").replace("+86", "") if pr.random() < 0.85
            else f"{ctx.county.phone_area}-{pr.randint(2000000, 8999999)}" for _ in range(n)]
    rep = r.random(n) < ctx.rates["hotline"]["repeat_caller_share"]
    w = r.pareto(1.5, n_pool) + 1
    pick = r.choice(n_pool, size=n, p=w / w.sum())
    out = np.where(rep, np.array(pool)[pick], np.array(once))
    return np.where(r.random(n) < 0.03, "", out)


def _write_month(ctx: CountyContext, m: int, sel: np.ndarray, t_idx, c_idx, known, is_crisis,
                 topic, callers, cats) -> None:
    p = ctx.periods
    h = ctx.rates["hotline"]
    r = ctx.rng("hotline", "month", m)
    pr = ctx.py("hotline", "text", m)
    k = len(sel)
    times = random_times(r, random_days(r, p, np.full(k, m)), HOURS_EVENING)
    order = np.argsort(times, kind="stable")
    sel, times = sel[order], times[order]
    cat = np.array(cats)[c_idx[sel]]
    sex = np.where(r.random(k) < 0.62, "女", "男")
    sex = np.where(r.random(k) < 0.03, "不详", sex)
    rows, label = [], p.labels[m]
    for j, i in enumerate(sel.tolist()):
        c = cat[j]
        emo_w = EMOTION_BY_CAT.get(c, h["emotion"])
        emotion = pr.choices(list(emo_w), weights=list(emo_w.values()))[0]
        ages = AGE_BY_CAT.get(c, AGE_DEFAULT)
        age = pr.choices(list(ages), weights=list(ages.values()))[0]
        kind = next((e.kind for e in ctx.events if e.event_id == topic[i]), None)
        text, spans = hotline_text(pr, ctx.pii, c, emotion, bool(is_crisis[i]),
                                   town=ctx.township_names[t_idx[i]], event_kind=kind)
        call_id = f"RX{ctx.code6}{label.replace('-', '')}{j + 1:05d}"
        tcode = ctx.township_codes[t_idx[i]]
        rows.append((call_id, callers[i], ctx.township_names[t_idx[i]] if known[i] else "", age,
                     sex[j], c, "是" if is_crisis[i] else "否", text))
        ctx.text_rows.append({
            "source": "hotline_calls", "record_key": call_id, "month": label,
            "township_code": tcode, "category": None, "emotion": emotion, "topic": topic[i],
            "text": text, "pii_spans": json.dumps(spans, ensure_ascii=False)})
    frame = pd.DataFrame(rows, columns=["call_id", "caller_pid", "township_code", "age_band",
                                        "sex", "call_category", "is_crisis", "summary"])
    frame.insert(1, "call_time", fmt_datetime(times))
    rel = f"{SOURCE}/hotline_calls_{ctx.code6}_{label}.xlsx"
    path = ctx.landing / rel
    y, mm = label.split("-")
    n = write_xlsx(frame, "hotline_calls", path, "来电登记",
                   title=f"{ctx.county.name}心理援助热线来电登记表（{y}年{int(mm)}月）")
    ctx.finish_file(rel, np.zeros(0, bool))
    ctx.add_rows("hotline_calls", n, path)
