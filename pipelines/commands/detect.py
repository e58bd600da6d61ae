"""``xintai detect``: run one outbreak detector on a count series from a CSV.

    xintai detect --method ears-c1|ears-c2|ears-c3|farrington|cusum --input CSV
                  [--alpha A] [--option NAME=VALUE ...]

Input columns ``period,count[,population]`` (period a date; weekly or monthly spacing is
inferred).  Output on stdout: CSV ``period,count,expected,upperbound,alarm``, one row per input
period in input order; expected/upperbound empty and alarm 0 where the method gives no value
(too little history, R's NA).  Options use R ``surveillance``'s argument names (``baseline``,
``minSigma``, ``b``, ``w``, ``weightsThreshold``, ``pastWeeksNotIncluded``, ``noPeriods``,
``populationOffset``, ``thresholdMethod``, ``powertrans``, ``trend``, ``pThresholdTrend``,
``reweight``, ``limit54=c(5,4)``, ``k``, ``h``, ``m``, ``trans``, ``range=a:b`` ...); every default
is R's (alpha: 0.001 for EARS C1/C2, 0.025 for C3, 0.05 for Farrington).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd


HEADER = ["period", "count", "expected", "upperbound", "alarm"]
# The keys of models.risk.detectors.METHODS (a test keeps them equal); importing the detectors
# (scipy.stats) only when the command runs keeps every other command quick to start.
METHOD_NAMES = ("cusum", "ears-c1", "ears-c2", "ears-c3", "farrington")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``detect`` subcommand."""
    parser = subparsers.add_parser(
        "detect",
        help="run an outbreak detector (EARS, Farrington flexible, CUSUM) on a count series",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--method", required=True, choices=METHOD_NAMES)
    parser.add_argument(
        "--input", required=True, help="CSV with columns period,count[,population] ('-' = stdin)"
    )
    parser.add_argument("--alpha", type=float, default=None, help="default: R's for the method")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="R control argument, e.g. --option b=3 --option limit54=c(5,4); repeatable",
    )
    parser.set_defaults(func=run)


def _parse_options(items: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--option expects NAME=VALUE; got {item!r}")
        options[name.strip()] = value.strip()
    return options


def _read_input(path: str) -> pd.DataFrame:
    source = sys.stdin if path == "-" else Path(path)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    missing = {"period", "count"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {sorted(missing)}; need period,count[,population]"
        )
    return frame


def _numbers(frame: pd.DataFrame, column: str, path: str) -> np.ndarray:
    text = frame[column].str.strip()
    values = pd.to_numeric(text.replace({"": None, "NA": None}), errors="coerce")
    bad = values.isna() & ~text.isin(["", "NA"])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{path}: row {row + 2}, column {column}: {frame[column].iloc[row]!r} is not a number"
        )
    return values.to_numpy(float)


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def run(args: argparse.Namespace) -> int:
    """Read, detect, write CSV to stdout; errors to stderr with exit status 2."""
    from models.risk.detectors import InsufficientHistoryError, build_control, run_method

    try:
        frame = _read_input(args.input)
        counts = _numbers(frame, "count", args.input)
        population = _numbers(frame, "population", args.input) if "population" in frame else None
        periods = pd.to_datetime(frame["period"].str.strip(), errors="raise")
        control = build_control(args.method, _parse_options(args.option), args.alpha)
        try:
            result = run_method(args.method, counts, periods, control, population)
            expected = result["expected"].to_numpy(float)
            upper = result["upperbound"].to_numpy(float)
            alarm = result["alarm"].to_numpy(bool)
        except InsufficientHistoryError as err:
            print(f"xintai detect: {err}", file=sys.stderr)
            expected = upper = np.full(len(frame), np.nan)
            alarm = np.zeros(len(frame), dtype=bool)
    except (ValueError, OSError, pd.errors.ParserError) as err:
        print(f"xintai detect: {err}", file=sys.stderr)
        return 2
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(len(frame)):
        writer.writerow(
            [
                frame["period"].iloc[i].strip(),
                _fmt(counts[i]),
                _fmt(expected[i]),
                _fmt(upper[i]),
                int(bool(alarm[i])),
            ]
        )
    sys.stdout.write(buffer.getvalue())
    return 0
