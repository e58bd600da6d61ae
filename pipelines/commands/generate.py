"""``xintai generate``: write the synthetic county (or N counties) into the landing zone."""

from __future__ import annotations

import argparse
import json
import re
import sys

from pipelines import settings

NAME = "generate"


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {value!r}")
    return value


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return n


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        NAME, help="synthetic county (or N counties) into landing/, ground truth into truth/",
        description="Writes a realistic, seeded synthetic county in the departments' export "
                    "formats into $XINTAI_HOME/landing and the ground truth into truth/.")
    p.add_argument("--scale", type=_positive, default=1, help="number of counties (default 1)")
    p.add_argument("--months", type=_positive, default=36, help="monthly periods (default 36)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--start", type=_month, default="2023-10", help="first month YYYY-MM")
    p.add_argument("--home", default=None, help="XINTAI_HOME (default $XINTAI_HOME or ./var)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from pipelines.generate.county import generate

    home = settings.home(args.home)
    summary = generate(home.landing, home.truth, scale=args.scale, months=args.months,
                       seed=args.seed, start=args.start,
                       rates_override=home.config / "generate_rates.yaml")
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
