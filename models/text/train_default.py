"""Train the shipped default category model on the synthetic county's petition text.

Reads ``$XINTAI_HOME/truth/text_labels.parquet`` (written by ``xintai generate``; columns
source, record_key, month, township_code, category, emotion, topic, text), trains on the
petitions of the first 24 months, tests on the last 12, and writes
``models/text/artifacts/category_model/`` (model.joblib + model_card.md).

    .venv/bin/python -m models.text.train_default [--truth PATH] [--out DIR]

A maintenance script, not part of the pipeline (it is the one place in models/text that reads
files outside the package).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pandas as pd

from models.text.classifier import evaluate, train

OUT = Path(__file__).parent / "artifacts" / "category_model"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    home = Path(os.environ.get("XINTAI_HOME", "var"))
    ap.add_argument("--truth", type=Path, default=home / "truth" / "text_labels.parquet")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--train-months", type=int, default=24)
    args = ap.parse_args(argv)
    if not args.truth.exists():
        raise SystemExit(f"{args.truth} not found: run `xintai generate` first")
    df = pd.read_parquet(args.truth, columns=["source", "month", "category", "text"])
    df = df[(df["source"] == "petitions") & df["category"].notna() & df["text"].notna()]
    months = sorted(df["month"].astype(str).unique())
    if len(months) <= args.train_months:
        raise SystemExit(f"only {len(months)} months of petitions; need > {args.train_months}")
    cut = months[args.train_months - 1]
    tr, te = df[df["month"].astype(str) <= cut], df[df["month"].astype(str) > cut]
    model = train(tr["text"].tolist(), tr["category"].tolist())
    metrics = evaluate(model, te["text"].tolist(), te["category"].tolist())
    model.metrics = {f"synthetic petitions, months after {cut} (n={len(te)})": metrics}
    model.save(
        args.out,
        data_note=(
            f"Synthetic county petitions from {args.truth.name}: {len(tr)} documents of months "
            f"{months[0]}–{cut} for training, {len(te)} of the following months for testing. "
            "Synthetic text is cleaner than real messages: expect lower figures on real data."
        ),
    )
    print(json.dumps({k: metrics[k] for k in ("macro_f1", "accuracy", "n_test")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
