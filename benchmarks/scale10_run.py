"""Benchmark: the whole pipeline (`xintai run`) at scale 10 against scale 1, stage by stage.

With ``--run`` it makes both homes from nothing: ``xintai generate --scale N --home H`` (timed)
then ``xintai run --home H``, scale 1 first, sampling the load average every 30 s.  Without
it, it reads homes made earlier the same way (``--generate-seconds`` then records how long
their ``generate`` took, measured by whoever ran it).  Either way the per-step times come from
the Dagster instance of each home (``$H/dagster``): the step stats of its latest ``all_assets``
run (start, end, status), so a failed or unfinished step is reported too.
Writes benchmarks/results/scale10_run.md.

    .venv/bin/python benchmarks/scale10_run.py --run --home1 /tmp/s1 --home10 /tmp/s10
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "scale10_run.md"
XINTAI = Path(sys.executable).with_name("xintai")
# Dagster step keys -> the pipeline stage they belong to (DESIGN.md "Data flow")
STAGES = (
    ("ingest", lambda k: "__raw_" in k),
    ("dbt warehouse (staging + intermediate)", lambda k: k == "warehouse"),
    ("text analytics", lambda k: k.startswith("text")),
    ("risk stage", lambda k: k.startswith("risk")),
    ("dbt marts", lambda k: k == "marts"),
    ("publish", lambda k: k.startswith("published")),
)


class LoadSampler(threading.Thread):
    """Samples os.getloadavg() every ``every`` seconds until stopped."""

    def __init__(self, every: float = 30.0) -> None:
        super().__init__(daemon=True)
        self.every, self.samples, self._stop = every, [], threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg())
            self._stop.wait(self.every)

    def stop(self) -> list[tuple[float, float, float]]:
        self._stop.set()
        self.join()
        return self.samples


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_home(scale: int, home: Path) -> dict[str, float]:
    """generate + run into an empty ``home``: wall and CPU seconds of both commands."""
    if home.exists() and any(home.iterdir()):
        raise SystemExit(f"{home} is not empty: give a new folder for --run")
    c0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(
        [str(XINTAI), "generate", "--scale", str(scale), "--home", str(home)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    c1, t1 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(
        [str(XINTAI), "run", "--home", str(home)], capture_output=True, text=True, check=False
    )
    c2, t2 = _children_cpu(), time.perf_counter()
    if proc.returncode:
        print(f"xintai run --home {home} exited {proc.returncode}", file=sys.stderr)
    return {
        "generate": t1 - t0,
        "generate_cpu": c1 - c0,
        "command": t2 - t1,
        "command_cpu": c2 - c1,
    }


def step_stats(home: Path) -> dict:
    """Step start/end/status of the latest run in the home's Dagster instance."""
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            raise SystemExit(f"{home}: no Dagster run found in {home / 'dagster'}")
        run = runs[0]
        stats = instance.get_run_step_stats(run.run_id)
        record = instance.get_run_record_by_id(run.run_id)
    steps = {
        s.step_key: {
            "status": s.status.value if s.status else "UNKNOWN",
            "start": s.start_time,
            "end": s.end_time,
            "seconds": (s.end_time - s.start_time) if s.start_time and s.end_time else None,
        }
        for s in stats
    }
    return {
        "run_id": run.run_id,
        "status": run.status.value,
        "start": record.start_time,
        "end": record.end_time,
        "steps": steps,
    }


def landing_size(home: Path) -> tuple[int, int]:
    """(files, bytes) in the home's landing area."""
    files = [p for p in (home / "landing").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def stage_seconds(steps: dict) -> dict[str, float | None]:
    out = {}
    for name, match in STAGES:
        secs = [s["seconds"] for k, s in steps.items() if match(k)]
        out[name] = None if not secs or None in secs else sum(secs)
    return out


def fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


MEASURED = {
    "generate": "generate (outside Dagster), wall",
    "generate_cpu": "generate, CPU (user + sys)",
    "command": "`xintai run` command, wall (with start-up and dbt parse)",
    "command_cpu": "`xintai run` command, CPU (user + sys)",
}


def _row(label: str, d: dict[str, float]) -> str:
    a, b = d.get("1"), d.get("10")
    return f"| {label} | {fmt(a)} | {fmt(b)} | {f'×{b / a:.1f}' if a and b else '–'} |"


def report(argv, homes, stats, sizes, measured, loads) -> list[str]:
    """``measured``: times taken outside Dagster, name -> {scale: seconds}."""
    s1, s10 = stats["1"], stats["10"]
    st1, st10 = stage_seconds(s1["steps"]), stage_seconds(s10["steps"])
    data = sizes["10"][1] / sizes["1"][1]
    wall = {k: (v["end"] - v["start"]) if v["end"] else None for k, v in stats.items()}
    lines = [
        "# Whole pipeline at scale 10 vs scale 1 (`xintai run`)",
        "",
        f"Command: `.venv/bin/python benchmarks/scale10_run.py {' '.join(argv)}`",
        "",
        f"Homes: scale 1 `{homes['1']}`, scale 10 `{homes['10']}`; each made by "
        "`xintai generate --scale N --home H` then `xintai run --home H` (default seed 42, "
        "36 months), one after the other on this 2-core machine, which other jobs shared.",
        f"Landing data: scale 1 {sizes['1'][0]} files, {sizes['1'][1] / 1e6:.0f} MB; scale 10 "
        f"{sizes['10'][0]} files, {sizes['10'][1] / 1e6:.0f} MB (×{data:.1f}).",
        "",
    ]
    for name in ("1", "10"):
        if loads.get(name):
            ones = [x[0] for x in loads[name]]
            lines.append(
                f"Load average (1 min) during scale {name}: median "
                f"{sorted(ones)[len(ones) // 2]:.1f}, min {min(ones):.1f}, max {max(ones):.1f} "
                f"({len(ones)} samples)."
            )
    lines += [
        "",
        f"Dagster runs: scale 1 `{s1['run_id']}` {s1['status']}, "
        f"scale 10 `{s10['run_id']}` {s10['status']}. Seconds from the step stats of the "
        "runs' event logs.",
        "",
        "| stage | scale 1 s | scale 10 s | growth |",
        "|---|---:|---:|---:|",
    ]
    for key in ("generate", "generate_cpu"):
        if measured.get(key):
            lines.append(_row(MEASURED[key], measured[key]))
    for name, _ in STAGES:
        a, b = st1[name], st10[name]
        growth = f"×{b / a:.1f}" if a and b else "–"
        lines.append(f"| {name} | {fmt(a)} | {fmt(b)} | {growth} |")
    w1, w10 = wall["1"], wall["10"]
    lines.append(
        f"| **run, wall clock** | **{fmt(w1)}** | **{fmt(w10)}** | "
        f"**{'×%.1f' % (w10 / w1) if w1 and w10 else '–'}** |"
    )
    for key in ("command", "command_cpu"):
        if measured.get(key):
            lines.append(_row(MEASURED[key], measured[key]))
    lines += [
        "",
        "Every step:",
        "",
        "| step | status 10 | scale 1 s | scale 10 s | growth |",
        "|---|---|---:|---:|---:|",
    ]
    for key in sorted(set(s1["steps"]) | set(s10["steps"])):
        a = s1["steps"].get(key, {}).get("seconds")
        b10 = s10["steps"].get(key, {})
        b = b10.get("seconds")
        growth = f"×{b / a:.1f}" if a and b else "–"
        lines.append(
            f"| {key} | {b10.get('status', 'not run')} | {fmt(a, 2)} | {fmt(b, 2)} | {growth} |"
        )
    lines.append("")
    return lines


def parse_pairs(text: str | None) -> dict[str, float]:
    """'1:30.8,10:479' -> {'1': 30.8, '10': 479.0}"""
    if not text:
        return {}
    return {k: float(v) for k, v in (p.split(":") for p in text.split(","))}


def read_load_log(path: Path | None, stats: dict) -> dict[str, list]:
    """Lines 'ISO-time l1 l5 l15 ...' (a `cat /proc/loadavg` loop) split by each run's span."""
    if path is None:
        return {}
    from datetime import datetime

    out: dict[str, list] = {k: [] for k in stats}
    for line in path.read_text().splitlines():
        parts = line.split()
        when = datetime.fromisoformat(parts[0]).timestamp()
        for k, s in stats.items():
            if s["start"] <= when <= (s["end"] or float("inf")):
                out[k].append(tuple(float(x) for x in parts[1:4]))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home1", type=Path, required=True)
    p.add_argument("--home10", type=Path, required=True)
    p.add_argument("--run", action="store_true", help="generate and run both homes first")
    for key, label in MEASURED.items():
        flag = "--" + key.replace("_", "-")
        p.add_argument(flag, help=f"without --run: {label} as measured, 1:S,10:S")
    p.add_argument("--load-log", type=Path, help="without --run: 'ISO-time load1 load5 load15'")
    args = p.parse_args(argv)
    homes = {"1": args.home1, "10": args.home10}
    measured = {key: parse_pairs(getattr(args, key)) for key in MEASURED}
    loads: dict[str, list] = {}
    if args.run:
        for name, home in homes.items():
            sampler = LoadSampler()
            sampler.start()
            made = make_home(int(name), home)
            loads[name] = sampler.stop()
            for key, seconds in made.items():
                measured[key][name] = seconds
    stats = {name: step_stats(home) for name, home in homes.items()}
    if not args.run:
        loads = read_load_log(args.load_log, stats)
    sizes = {name: landing_size(home) for name, home in homes.items()}
    lines = report(argv, homes, stats, sizes, measured, loads)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
