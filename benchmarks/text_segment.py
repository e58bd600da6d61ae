"""Benchmark: segmentation throughput on ~20k citizen-message-like documents.

Compares raw ``rjieba.cut`` (default dictionary, no filtering) with the Segmenter on the same
normalised texts, like for like (one process each, normalisation timed on its own row):
``cut_many`` (domain dictionary) and ``tokenize_many`` (the same + stop-word/punctuation
filter), in-process and on 2 processes; then the emotion scorer and Python ``jieba.lcut`` with
the same dictionaries (on a subset, extrapolated). Raw and Segmenter runs alternate
``--repeats`` times and the best of each is kept, so that a busy machine hurts both alike.
Documents are 2–4 sentences drawn from tests/text/data/complaints_corpus.txt (seeded). Prints
a Markdown table.

    .venv/bin/python benchmarks/text_segment.py [--docs 20000] [--repeats 3]
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


def best_of(repeats: int, fns: dict) -> dict[str, float]:
    """Best time of each function over ``repeats`` alternating rounds."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            best[name] = min(best[name], timed(fn)[0])
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    n = args.docs
    docs = documents(n)
    chars = sum(map(len, docs))
    seg = Segmenter()
    t_norm, norm = timed(normalise_many, docs)
    best = best_of(
        args.repeats,
        {
            "rjieba.cut (raw, default dict), 1 process": lambda: [rjieba.cut(d) for d in norm],
            "Segmenter.cut_many (domain dict), 1 process": lambda: seg.cut_many(norm),
            "Segmenter.tokenize_many (domain dict + filter), 1 process": lambda: seg.tokenize_many(
                norm, normalised=True, workers=1
            ),
        },
    )
    rows = [("normalise_many (once, not in the rows below)", t_norm), *best.items()]
    t, _ = timed(seg.tokenize_many, norm, normalised=True, workers=2, chunk_size=5_000)
    rows.append(("Segmenter.tokenize_many, 2 processes (incl. start-up)", t))
    scorer = EmotionScorer()
    t, _ = timed(scorer.score_many, norm, normalised=True)
    rows.append(("EmotionScorer.score_many (cut+score+crisis)", t))
    sub = norm[: max(1, n // 10)]
    ref = reference_tokenizer()
    t, _ = timed(lambda: [ref.lcut(d, HMM=True) for d in sub])
    rows.append(
        (f"jieba.lcut (Python, same dicts), extrapolated from {len(sub)} docs", t * n / len(sub))
    )
    raw = best["rjieba.cut (raw, default dict), 1 process"]
    tok = best["Segmenter.tokenize_many (domain dict + filter), 1 process"]
    print(f"{n} documents, {chars / n:.0f} characters each on average; best of {args.repeats}\n")
    print("| step | seconds | docs/s |")
    print("|---|---:|---:|")
    for name, sec in rows:
        print(f"| {name} | {sec:.2f} | {n / sec:,.0f} |")
    print(f"\ntokenize_many / raw rjieba.cut = {tok / raw:.2f}")


if __name__ == "__main__":
    main()
