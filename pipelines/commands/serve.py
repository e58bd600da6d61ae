"""``xintai serve`` (the Streamlit app) and ``xintai ui`` (the Dagster web UI for operators)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from pipelines.settings import home

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
BIN = Path(sys.executable).parent


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="the dashboard on http://localhost:8501 (or --port)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--home", help="state folder (default $XINTAI_HOME or ./var)")
    p.set_defaults(func=serve)
    u = sub.add_parser("ui", help="the Dagster web UI for operators")
    u.add_argument("--port", type=int, default=3000)
    u.add_argument("--home", help="state folder (default $XINTAI_HOME or ./var)")
    u.set_defaults(func=ui)


def streamlit_command(port: int) -> list[str]:
    return [str(BIN / "streamlit"), "run", str(APP), "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.address", "0.0.0.0", "--client.toolbarMode", "viewer"]


def serve(args: argparse.Namespace) -> int:
    layout = home(args.home)
    env = {**os.environ, "XINTAI_HOME": str(layout.root)}
    print(f"心态 dashboard: http://localhost:{args.port}  (published data: {layout.published_db})", flush=True)
    return subprocess.call(streamlit_command(args.port), env=env)


def ui(args: argparse.Namespace) -> int:
    from pipelines.commands.run import prepare_environment

    prepare_environment(args.home)
    definitions = Path(__file__).resolve().parents[1] / "definitions.py"
    return subprocess.call([str(BIN / "dagster"), "dev", "-f", str(definitions), "-p", str(args.port),
                            "-h", "0.0.0.0"], env=os.environ.copy())
