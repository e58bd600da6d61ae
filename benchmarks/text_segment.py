"""Benchmark: segmentation throughput on ~20k citizen-message-like documents.

Compares raw ``rjieba.cut`` (no dictionary, no normalisation, no filtering), the Segmenter's
``tokenize_many`` (normalise + domain dictionary + stop-word filtering), its parallel path, and
Python ``jieba.lcut`` with the same dictionaries (on a subset). Documents are 2–4 sentences
drawn from tests/text/data/complaints_corpus.txt (seeded). Prints a Markdown table.

    .venv/bin/python benchmarks/text_segment.py [--docs 20000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import rjieba

from models.text.emotion import EmotionScorer
from models.text.normalise import normalise_many
from models.text.segment import Segmenter, reference_tokenizer

CORPUS = Path(__file__).resolve().parents[1] / "tests/text/data/complaints_corpus.txt"


def documents(n: int, seed: int = 0) -> list[str]:
    lines = [
        ln.strip()
        for ln in CORPUS.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(lines, size=rng.integers(2, 5))) for _ in range(n)]


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20_000)
    n = ap.parse_args().docs
    docs = documents(n)
    chars = sum(map(len, docs))
    seg = Segmenter()
    rows = []
    t, _ = timed(lambda: [rjieba.cut(d) for d in docs])
    rows.append(("rjieba.cut (raw, default dict)", t))
    t, _ = timed(normalise_many, docs)
    rows.append(("normalise_many", t))
    t, _ = timed(seg.tokenize_many, docs, workers=1)
    rows.append(("Segmenter.tokenize_many (normalise+dict+filter), 1 process", t))
    t, _ = timed(seg.tokenize_many, docs, workers=2, chunk_size=5_000)
    rows.append(("Segmenter.tokenize_many, 2 processes", t))
    scorer = EmotionScorer()
    t, _ = timed(scorer.score_many, docs)
    rows.append(("EmotionScorer.score_many (normalise+cut+score+crisis)", t))
    sub = docs[: max(1, n // 10)]
    ref = reference_tokenizer()
    t, _ = timed(lambda: [ref.lcut(d, HMM=True) for d in sub])
    rows.append(
        (f"jieba.lcut (Python, same dicts), extrapolated from {len(sub)} docs", t * n / len(sub))
    )
    print(f"{n} documents, {chars / n:.0f} characters each on average\n")
    print("| step | seconds | docs/s |")
    print("|---|---:|---:|")
    for name, sec in rows:
        print(f"| {name} | {sec:.2f} | {n / sec:,.0f} |")


if __name__ == "__main__":
    main()
