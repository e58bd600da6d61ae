"""``xintai demo``: generate the synthetic county, run the pipeline and serve the dashboard."""

from __future__ import annotations

import argparse
import json
import time

from pipelines.settings import home


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="generate + run + serve on an empty $XINTAI_HOME")
    p.add_argument("--scale", type=int, default=1, help="number of counties")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--no-serve", action="store_true", help="stop after publishing")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--home", help="state folder (default $XINTAI_HOME or ./var)")
    p.set_defaults(func=demo)


def demo(args: argparse.Namespace) -> int:
    from pipelines.commands.run import materialise, prepare_environment
    from pipelines.generate.county import generate

    layout = home(args.home)
    prepare_environment(str(layout.root))
    timings = {}
    started = time.perf_counter()
    if any(layout.landing.glob("*/*")):
        print(f"landing zone {layout.landing} already has files: generation skipped", flush=True)
    else:
        generate(layout.landing, layout.truth, scale=args.scale, seed=args.seed)
    timings["generate"] = round(time.perf_counter() - started, 1)
    outcome = materialise()
    timings["run"] = outcome["seconds"]
    print(json.dumps({"timings_s": timings, **outcome}, ensure_ascii=False, indent=2), flush=True)
    if not outcome["success"]:
        return 1
    if args.no_serve:
        return 0
    from pipelines.commands.serve import serve

    return serve(argparse.Namespace(port=args.port, home=str(layout.root)))
