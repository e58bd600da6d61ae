"""``xintai eval``: measure the text models (and, via the risk team's module, detection).

``xintai eval classifier --train CSV --test CSV`` trains the category model on one labelled
``text,label`` CSV and scores it on another; ``xintai eval emotion --test CSV [--train CSV]``
scores the lexicon emotion labeller (or, with ``--train``, a TF-IDF model trained on it).
Both print ``{"macro_f1": …, "accuracy": …, "n_test": …}``. ``xintai eval detection`` belongs
to the risk team (``pipelines.commands.eval_detection``) and is loaded only when asked for.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="evaluate the text models or detection")
    sub = parser.add_subparsers(dest="eval_command", metavar="{classifier,emotion,detection}")
    sub.required = True

    clf = sub.add_parser("classifier", help="train on one text,label CSV, score on another")
    clf.add_argument("--train", type=Path, required=True, help="CSV with columns text,label")
    clf.add_argument("--test", type=Path, required=True, help="CSV with columns text,label")
    clf.set_defaults(func=_run_classifier)

    emo = sub.add_parser("emotion", help="score emotion labels on a text,label CSV")
    emo.add_argument("--test", type=Path, required=True, help="CSV with columns text,label")
    emo.add_argument(
        "--train", type=Path, help="train a TF-IDF model on this CSV instead of the lexicon"
    )
    emo.set_defaults(func=_run_emotion)

    det = sub.add_parser(
        "detection", help="detection quality against the generator's truth (risk team)"
    )
    det.add_argument("--seeds", help="comma-separated generator seeds, e.g. 1,2,3")
    det.add_argument(
        "--workdir", help="keep each seed's home under this folder (or $XINTAI_EVAL_WORKDIR)"
    )
    det.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    det.set_defaults(func=_run_detection)


def _print(result: dict) -> int:
    out = {k: result[k] for k in ("macro_f1", "accuracy", "n_test")}
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _run_classifier(args: argparse.Namespace) -> int:
    from models.text.classifier import evaluate, read_labelled_csv, train

    tr, te = read_labelled_csv(args.train), read_labelled_csv(args.test)
    model = train(tr["text"].tolist(), tr["label"].tolist())
    return _print(evaluate(model, te["text"].tolist(), te["label"].tolist()))


def _run_emotion(args: argparse.Namespace) -> int:
    from models.text.classifier import evaluate, read_labelled_csv, train
    from models.text.emotion import canonical_label, evaluate_lexicon

    te = read_labelled_csv(args.test)
    if args.train is not None:
        # Same 6-label scheme as the lexicon, so the two figures are comparable.
        tr = read_labelled_csv(args.train)
        y_train = [canonical_label(v) for v in tr["label"]]
        model = train(tr["text"].tolist(), y_train)
        y_test = [canonical_label(v) for v in te["label"]]
        return _print(evaluate(model, te["text"].tolist(), y_test))
    return _print(evaluate_lexicon(te["text"].tolist(), te["label"].tolist()))


def _run_detection(args: argparse.Namespace) -> int:
    """Hand over to ``pipelines.commands.eval_detection.main(argv)`` (or ``run(argv)``)."""
    try:
        module = importlib.import_module("pipelines.commands.eval_detection")
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.commands.eval_detection":
            raise
        print(
            "xintai eval detection is not available: pipelines/commands/eval_detection.py "
            "(owned by the risk team) is not installed in this checkout.",
            file=sys.stderr,
        )
        return 2
    run = getattr(module, "main", None) or getattr(module, "run", None)
    if run is None:
        print(
            "pipelines.commands.eval_detection defines neither main(argv) nor run(argv)",
            file=sys.stderr,
        )
        return 2
    argv = (["--seeds", args.seeds] if args.seeds else []) + (
        ["--workdir", args.workdir] if args.workdir else []
    )
    argv += list(args.rest or [])
    return int(run(argv) or 0)
