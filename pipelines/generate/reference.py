"""Reference data: 行政区划, 常住人口, 乡镇边界 and 心理服务能力 (village × quarter)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pipelines.generate import geoshape
from pipelines.generate.context import CountyContext
from pipelines.generate.people import population_table
from pipelines.generate.writers import write_csv, write_xlsx

SOURCE = "reference"


def admin_units(ctx: CountyContext) -> None:
    c = ctx.county
    rows = [(c.code12, c.name, "县", "", "")]
    for t in c.townships:
        rows.append((t.code, t.name, "街道" if t.kind == "街道" else "乡镇", c.code12, ""))
        for v in t.villages:
            rows.append((v.code, v.name, v.kind, t.code, v.urban_rural_code))
    frame = pd.DataFrame(rows, columns=["unit_code", "unit_name", "level", "parent_code",
                                        "urban_rural_code"])
    path = ctx.path(SOURCE, f"admin_units_{ctx.code6}.csv")
    ctx.add_rows("admin_units", write_csv(frame, "admin_units", path, "utf-8-sig"), path)


def population(ctx: CountyContext) -> None:
    years = sorted(set(ctx.periods.year.tolist()))
    frame = population_table(ctx.county, ctx.pyramids, years, years[0],
                             ctx.rates["county"]["yearly_growth"])
    path = ctx.path(SOURCE, f"population_{ctx.code6}.csv")
    ctx.add_rows("population", write_csv(frame, "population", path, "utf-8"), path)


def township_geo(ctx: CountyContext) -> None:
    rings = geoshape.township_polygons(ctx.rng("geo"), ctx.county)
    fc = geoshape.feature_collection(ctx.county, rings)
    path = ctx.path(SOURCE, f"township_geo_{ctx.code6}.geojson")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    ctx.add_rows("township_geo", len(fc["features"]), path)


def service_capacity(ctx: CountyContext) -> None:
    """Coverage grows over the pilot: studios ~70% → ~90%, rehab ~40% → ~60%, 知晓率 ~45% → 60%."""
    r = ctx.rng("service_capacity")
    villages = ctx.county.villages
    nv = len(villages)
    q_idx = [i for i in range(ctx.periods.n) if ctx.periods.calendar_month[i] in (3, 6, 9, 12)]
    if not q_idx:  # a short run without a quarter end: report the one just before it
        q_idx = [-int((ctx.periods.calendar_month[0] % 3) or 3)]
    urban = np.array([v.kind == "社区" for v in villages])
    pop = np.array([v.population for v in villages], float)
    # each village adopts a studio / rehab coverage at some month and keeps it
    studio_at = r.uniform(-14, 40, nv) - 10 * urban
    rehab_at = r.uniform(-10, 60, nv) - 14 * urban
    couns = r.poisson(0.4 + 1.2 * urban + pop / 6000)
    social = r.poisson(0.6 + 1.5 * urban + pop / 5000)
    rows = []
    for i in q_idx:
        has_studio = studio_at <= i
        grow = i / max(ctx.periods.n, 1)
        surveyed = np.where(r.random(nv) < 0.85, r.integers(30, 121, nv), 0)
        p_correct = np.clip(0.45 + 0.15 * grow + 0.05 * urban + r.normal(0, 0.05, nv), 0.2, 0.9)
        correct = r.binomial(surveyed, p_correct)
        rows.append(pd.DataFrame({
            "unit_code": [v.code for v in villages],
            "period_month": str(ctx.periods.months[0] + i),
            "has_studio": np.where(has_studio, "是", "否"),
            "n_counselors": couns + (has_studio & (r.random(nv) < 0.1 * grow)),
            "n_social_workers": social + (r.random(nv) < 0.2 * grow),
            "has_rehab_coverage": np.where(rehab_at <= i, "是", "否"),
            "awareness_surveyed": surveyed,
            "awareness_correct": correct,
        }))
    frame = pd.concat(rows, ignore_index=True)
    path = ctx.path(SOURCE, f"service_capacity_{ctx.code6}.xlsx")
    n = write_xlsx(frame, "service_capacity", path, "心理服务能力",
                   title=f"{ctx.county.name}社会心理服务能力季度统计表")
    ctx.add_rows("service_capacity", n, path)
