"""Orchestrates the synthetic county (or N counties): landing files plus ground truth.

``generate`` builds each county's geography, people and planted events, runs every dataset
generator (each with its own random stream) and writes the truth folder: events.json,
text_labels.parquet, dirty_rows.json and a summary. Same arguments ⇒ byte-identical files.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.generate import (
    hotline,
    incidents,
    maternal,
    outpatient,
    petitions,
    reference,
    schools,
    smd,
)
from pipelines.generate.config import load_rates
from pipelines.generate.context import CountyContext
from pipelines.generate.events import plan_events
from pipelines.generate.geography import build_county, county_codes, county_names
from pipelines.generate.idnumbers import IdRegistry
from pipelines.generate.people import People, township_pyramids
from pipelines.generate.periods import Periods
from pipelines.generate.rng import stream
from pipelines.generate.writers import write_json

log = logging.getLogger(__name__)

TEXT_COLUMNS = ["source", "record_key", "month", "township_code", "category", "emotion", "topic",
                "text", "pii_spans"]


def generate(landing: Path, truth: Path, *, scale: int = 1, months: int = 36, seed: int = 42,
             start: str = "2023-10", population: int | None = None,
             rates_override: Path | None = None) -> dict[str, Any]:
    """Writes ``scale`` synthetic counties × ``months`` months into ``landing`` and ground truth
    into ``truth``; returns a summary (files, rows per dataset, seconds).

    ``population`` fixes each county's population (tests use a small one); by default it is
    drawn from the range in rates.yaml.
    """
    if scale < 1 or months < 1:
        raise ValueError(f"scale and months must be ≥ 1 (got scale={scale}, months={months})")
    t0 = time.perf_counter()
    rates = load_rates(rates_override)
    if population is not None:
        rates["county"]["population"] = [population, population + 1]
    periods = Periods(start, months)
    landing, truth = Path(landing), Path(truth)
    codes = county_codes(scale)
    names = county_names(stream(seed, "county_names"), scale)
    all_events, text_frames, dirty, rows, files = [], [], {}, {}, []
    counties = []
    for i, ((city, code6), name) in enumerate(zip(codes, names, strict=True)):
        ctx = _county(seed, i, city, code6, name, periods, rates, landing)
        all_events += [e.truth(periods) for e in ctx.events]
        text_frames.append(pd.DataFrame(ctx.text_rows, columns=TEXT_COLUMNS))
        for f in ctx.files:
            rel = f.relative_to(landing).as_posix()
            ctx.dirty_rows.setdefault(rel, {}).setdefault("bad_rows", 0)
        dirty.update(ctx.dirty_rows)
        for k, v in ctx.rows.items():
            rows[k] = rows.get(k, 0) + v
        files += ctx.files
        counties.append({"county_code": ctx.code6, "name": ctx.county.name,
                         "population": ctx.county.population,
                         "townships": len(ctx.county.townships),
                         "villages": len(ctx.county.villages), "schools": len(ctx.schools)})
        log.info("county %s %s done", code6, name)
    _write_truth(truth, all_events, text_frames, dirty)
    summary = {
        "seed": seed, "scale": scale, "months": months, "start": start,
        "periods": [periods.labels[0], periods.labels[-1]],
        "counties": counties, "rows": dict(sorted(rows.items())),
        "files": len(files), "events": len(all_events),
        "bad_rows": int(sum(v.get("bad_rows", 0) for v in dirty.values())),
    }
    write_json(summary, truth / "summary.json")
    summary.update(landing=str(landing), truth=str(truth),
                   seconds=round(time.perf_counter() - t0, 2))
    return summary


def _county(seed: int, i: int, city: int, code6: str, name: str, periods: Periods,
            rates: dict, landing: Path) -> CountyContext:
    geo_rng = stream(seed, "county", i, "geography")
    county = build_county(geo_rng, i, city, code6, name, rates)
    pyramids = township_pyramids(stream(seed, "county", i, "pyramids"), county, rates)
    ids = IdRegistry(code6, stream(seed, "county", i, "ids"))
    ctx = CountyContext(seed=seed, county=county, periods=periods, rates=rates,
                        people=People(county, pyramids, ids), pyramids=pyramids, landing=landing)
    reference.admin_units(ctx)
    reference.population(ctx)
    reference.township_geo(ctx)
    reference.service_capacity(ctx)
    ctx.schools = schools.plan_schools(ctx)
    ctx.events = plan_events(ctx.rng("events"), county, periods, rates, ctx.schools)
    schools.write_roster(ctx)
    smd.register(ctx)
    smd.write_register(ctx)
    smd.followups(ctx)
    outpatient.visits(ctx)
    hotline.calls(ctx)
    maternal.screenings(ctx)
    schools.screening(ctx)
    petitions.petitions(ctx)
    incidents.incidents(ctx)
    return ctx


def _write_truth(truth: Path, events: list[dict], text_frames: list[pd.DataFrame],
                 dirty: dict[str, dict[str, int]]) -> None:
    truth.mkdir(parents=True, exist_ok=True)
    write_json(events, truth / "events.json")
    texts = pd.concat(text_frames, ignore_index=True) if text_frames else pd.DataFrame(
        columns=TEXT_COLUMNS)
    schema = pa.schema([(c, pa.string()) for c in TEXT_COLUMNS])
    table = pa.Table.from_pandas(texts[TEXT_COLUMNS].astype(object), schema=schema,
                                 preserve_index=False)
    pq.write_table(table, truth / "text_labels.parquet", compression="snappy")
    ordered = {k: dict(sorted(v.items())) for k, v in sorted(dirty.items())}
    write_json(ordered, truth / "dirty_rows.json")


__all__ = ["generate"]
_ = np  # numpy is used by the dataset modules this orchestrates
