"""Benchmark: emerging topics against the generator's planted events, per seed.

For each seed, a scale-1 county is generated (or reused from ``--root/s<seed>``), its text
redacted and run through :func:`models.text.stage.run_stage` with the county's place names, as
the pipeline does. Reported per seed: which planted text events have their topic among the
emerging topics of their township in the start month or the next (the acceptance test's
definition, ``tests/text/test_stage.py::event_hits``), how many township-months outside every
event (start to one month after the end) carry an emerging flag, and the burst topics added.

    .venv/bin/python benchmarks/text_topics.py [--seeds 42 7 11] [--root /tmp/text_seeds]

Writes ``benchmarks/results/text_topics.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.privacy.redact import redact_many  # noqa: E402
from models.text.stage import N_TOPICS, EmergingRule, run_stage  # noqa: E402
from tests.text.test_stage import SOURCES, _place_names, chance_flags, event_hits  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "text_topics.md"


def county(root: Path, seed: int) -> tuple[pd.DataFrame, list[dict], list[str]]:
    if not (root / "truth" / "events.json").exists():
        from pipelines.generate.county import generate

        generate(root / "landing", root / "truth", seed=seed)
    truth = pd.read_parquet(root / "truth" / "text_labels.parquet")
    events = json.loads((root / "truth" / "events.json").read_text(encoding="utf-8"))
    return truth, events, _place_names(root / "landing")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 11])
    ap.add_argument("--root", type=Path, default=Path("/tmp/text_topics_bench"))
    args = ap.parse_args()
    rule = EmergingRule()
    rows, bursts = [], []
    for seed in args.seeds:
        truth, events, places = county(args.root / f"s{seed}", seed)
        docs = pd.DataFrame(
            {
                "source": truth["source"].map(SOURCES),
                "document_key": truth["record_key"].astype(str),
                "township_code": truth["township_code"],
                "month": truth["month"].astype(str),
                "text": redact_many(truth["text"].tolist()),
            }
        )
        t0 = time.perf_counter()
        result = run_stage(docs, extra_words=places)
        seconds = time.perf_counter() - t0
        hits = event_hits(result, truth, events)
        flagged, tested = chance_flags(result, events)
        rows.append((seed, hits, flagged, tested, len(result.emerging_topics), seconds))
        t = result.topics
        extra = t[t["topic_id"] >= t["source"].map(N_TOPICS)]
        bursts += [(seed, r.source, r.topic_id, r.label) for r in extra.itertuples()]
    kinds = sorted({k for r in rows for k in r[1]})
    cmd = " ".join(["python benchmarks/text_topics.py", *sys.argv[1:]])
    lines = [
        "# Emerging topics vs planted events",
        "",
        f"Command: `{cmd}`; load average at the end {os.getloadavg()[0]:.1f}.",
        f"Rule: {rule}.",
        "",
        "| seed | " + " | ".join(kinds) + " | found | flagged township-months outside "
        "events / tested | emerging cells | stage s |",
        "|---|" + "---|" * len(kinds) + "---:|---:|---:|---:|",
    ]
    for seed, hits, flagged, tested, n_em, sec in rows:
        marks = " | ".join("yes" if hits.get(k) else "**no**" for k in kinds)
        lines.append(
            f"| {seed} | {marks} | {sum(hits.values())}/{len(hits)} | {flagged} / {tested} "
            f"({flagged / tested:.1%}) | {n_em} | {sec:.0f} |"
        )
    lines += ["", "Burst topics (added beside the fitted ones):", ""]
    lines += [f"- seed {s}, {src} {tid}: {label}" for s, src, tid, label in bursts]
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
