"""Redaction quality and speed: writes benchmarks/results/redaction_quality.md.

    .venv/bin/python benchmarks/redaction_quality.py

Scores models.privacy.redact.find_pii on tests/privacy/data/redaction_cases.jsonl per split
(dev = generated cases used while building the rules, heldout = every 5th generated case,
hand = hand-written hard cases) with the definitions in models/privacy/evaluation.py, and
times redact_many on 1,000 realistic ~100-character texts.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.privacy.evaluation import Quality, load_cases, score  # noqa: E402
from models.privacy.redact import PII_TYPES, find_pii, redact_many  # noqa: E402

CASES = ROOT / "tests" / "privacy" / "data" / "redaction_cases.jsonl"
OUT = ROOT / "benchmarks" / "results" / "redaction_quality.md"
SPLITS = ("dev", "heldout", "hand")


def predict(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.type) for s in find_pii(text)]


def evaluate() -> dict[str, Quality]:
    return {split: score(load_cases(CASES, [split]), predict) for split in SPLITS}


def speed(n: int = 1000, seed: int = 7) -> float:
    """texts/second of redact_many on n texts of ~100 characters cut from the case texts."""
    rows = [c.text for c in load_cases(CASES)]
    rng = random.Random(seed)
    texts = []
    while len(texts) < n:
        s = ""
        while len(s) < 100:
            s += rng.choice(rows)
        texts.append(s[:100])
    redact_many(texts[:10])  # load the lexicon outside the timing
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        redact_many(texts)
        best = min(best, time.perf_counter() - start)
    return n / best


def _fmt(x: float) -> str:
    return "–" if x != x else f"{x:.3f}"


def table(results: dict[str, Quality], rate: float) -> str:
    header = (
        "| split | cases | "
        + " | ".join(f"recall {t}" for t in PII_TYPES)
        + " | recall all | precision |"
    )
    lines = [
        "# Redaction quality",
        "",
        "Span-level, on `tests/privacy/data/redaction_cases.jsonl`. A true span is *found* when",
        "predicted spans of any type cover ≥ 90 % of its characters; precision = predicted spans",
        "overlapping some true span / all predicted spans. `dev`: generated cases (4 in 5) seen",
        "while writing the rules; `heldout`: every 5th generated case; `hand`: hand-written hard",
        "cases. Cells show recall (true spans).",
        "",
        header,
        "|" + "---|" * (len(PII_TYPES) + 4),
    ]
    for split, q in results.items():
        n_cases = len(load_cases(CASES, [split]))
        cells = [f"{_fmt(q.recall(t))} ({q.true_by_type.get(t, 0)})" for t in PII_TYPES]
        lines.append(
            f"| {split} | {n_cases} | "
            + " | ".join(cells)
            + f" | {_fmt(q.overall_recall)} | {_fmt(q.precision)} ({q.predicted}) |"
        )
    lines += [
        "",
        f"Speed: `redact_many` on 1,000 texts of ~100 characters: "
        f"**{rate:,.0f} texts/s** (one core, best of 3).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    results = evaluate()
    rate = speed()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table(results, rate), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))
    for split, q in results.items():
        for typ, span, text in q.misses:
            print(f"[{split}] missed {typ}: {span!r} in {text}")
        for typ, span, text in q.false_alarms:
            print(f"[{split}] false {typ}: {span!r} in {text}")


if __name__ == "__main__":
    main()
