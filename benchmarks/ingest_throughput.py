"""Ingestion throughput against DuckDB's own ``read_csv`` of the same CSV files.

Usage::

    .venv/bin/python benchmarks/ingest_throughput.py --scale 10 [--landing DIR] [--out FILE]

Generates ``--scale`` synthetic counties (36 months) unless ``--landing`` points at an
existing landing zone, then for every dataset delivered as CSV measures, in the same run:

* **duckdb read_csv**: ``create table t as select * from read_csv([files])`` (with
  ``union_by_name=true`` only if that fails) on a fresh in-memory DuckDB connection: DuckDB
  sniffs, parses and types every column of the same CSV files, in parallel on all cores
  (GB18030 files are transcoded to UTF-8 first; that time is not counted for DuckDB).
* **xintai ingest**: ``ingest_files`` for the dataset into a fresh encrypted restricted store:
  reading, contract validation, quarantine, the privacy firewall (ID checksums, HMAC
  pseudonyms, redaction of free text), de-duplication and the insert; files are prepared by
  worker processes (``--workers``, default: one per core for loads of a few MB and more,
  their start-up included in the time) and written by this one.

Both figures are wall-clock rows/s and MB/s (file bytes); the 1-minute load average after
each dataset is reported, as both sides share the machine with whatever else runs on it.
Reference datasets the others are
validated against (admin units, schools) are loaded first and not compared; datasets
delivered as XLSX or Parquet (hotline calls, outpatient visits, schools, service capacity,
township boundaries) are not part of the comparison.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

DATASETS_FIRST = ["admin_units", "population", "township_geo", "service_capacity", "schools"]


def duckdb_read_csv(files: list[Path]) -> tuple[int, float]:
    import duckdb

    from pipelines.ingest.readers import detect_encoding

    with tempfile.TemporaryDirectory() as tmp:
        ready = []
        for f in files:
            if detect_encoding(f) == "gb18030":  # DuckDB reads UTF-8 only: transcode, untimed
                target = Path(tmp) / f.name
                target.write_text(f.read_text(encoding="gb18030"), encoding="utf-8")
                ready.append(str(target))
            else:
                ready.append(str(f))
        con = duckdb.connect()
        t0 = time.perf_counter()
        try:  # DuckDB's fastest way: sniff the first file, read all in parallel
            con.execute("create table t as select * from read_csv(?)", [ready])
        except duckdb.Error:  # files whose header spellings differ need union_by_name
            con.execute(
                "create or replace table t as select * from read_csv(?, union_by_name=true)",
                [ready],
            )
        seconds = time.perf_counter() - t0
        rows = con.execute("select count(*) from t").fetchone()[0]
        con.close()
    return rows, seconds


def run(landing: Path, home: Path, workers: int | None = None) -> list[dict]:
    import pandas as pd

    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import files_for, ingest_files
    from pipelines.ingest.prepare import worker_count
    from pipelines.ingest.references import reference_sets
    from pipelines.resources import XintaiHome

    os.environ.setdefault("XINTAI_PSEUDONYM_KEY", "ab" * 32)
    res = XintaiHome(root=str(home))
    (home / "landing").mkdir(parents=True, exist_ok=True)
    contracts = load_contracts()
    order = DATASETS_FIRST + sorted(set(contracts) - set(DATASETS_FIRST))
    con = res.restricted()
    pseudonymiser = res.pseudonymiser()
    out = []
    for name in order:
        contract = contracts[name]
        paths = files_for(landing, contract)
        all_csv = bool(paths) and all(p.suffix.lower() == ".csv" for p in paths)
        if not all_csv and name not in ("admin_units", "schools"):  # only CSV datasets are compared
            continue
        t0 = time.perf_counter()
        results = ingest_files(
            con, contract, paths, pseudonymiser, reference_sets(con), pd.Timestamp.now(), workers
        )
        seconds = time.perf_counter() - t0
        csvs = paths
        if not all_csv:
            continue
        rows_in = sum(r.rows_in for r in results)
        mb = sum(p.stat().st_size for p in csvs) / 1e6
        duck_rows, duck_s = duckdb_read_csv(csvs)
        out.append(
            {
                "dataset": name,
                "files": len(csvs),
                "mb": mb,
                "rows": rows_in,
                "duck_rows": duck_rows,
                "duck_s": duck_s,
                "ingest_s": seconds,
                "failed": sum(r.status == "failed" for r in results),
                "quarantined": sum(r.rows_quarantined for r in results),
                "load": os.getloadavg()[0],
                "workers": worker_count(workers, paths),
            }
        )
    con.close()
    return out


def report(rows: list[dict], command: str, load: tuple[float, float]) -> str:
    lines = [
        "| dataset | files | MB | rows | DuckDB read_csv rows/s | MB/s | xintai ingest rows/s "
        "| MB/s | workers | ratio | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        d_rs, i_rs = r["duck_rows"] / r["duck_s"], r["rows"] / r["ingest_s"]
        lines.append(
            f"| {r['dataset']} | {r['files']} | {r['mb']:.1f} | {r['rows']:,} | {d_rs:,.0f} | "
            f"{r['mb'] / r['duck_s']:.1f} | {i_rs:,.0f} | {r['mb'] / r['ingest_s']:.1f} | "
            f"{r['workers']} | {r['duck_s'] / r['ingest_s']:.0%} | {r['load']:.1f} |"
        )
    tot = {k: sum(r[k] for r in rows) for k in ("mb", "rows", "duck_s", "ingest_s")}
    lines.append(
        f"| **all CSV datasets** | | {tot['mb']:.1f} | {tot['rows']:,} | "
        f"{tot['rows'] / tot['duck_s']:,.0f} | {tot['mb'] / tot['duck_s']:.1f} | "
        f"{tot['rows'] / tot['ingest_s']:,.0f} | {tot['mb'] / tot['ingest_s']:.1f} | | "
        f"{tot['duck_s'] / tot['ingest_s']:.0%} | |"
    )
    cores = len(os.sched_getaffinity(0))
    return (
        HEADER
        + f"command: `{command}`\n\n{cores} cores; 1-minute load average {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end\n\n" + "\n".join(lines) + "\n"
    )


HEADER = """# Ingestion throughput vs DuckDB read_csv (scale 10)

What is compared, per dataset delivered as CSV, in the same run on the same files:

* **DuckDB read_csv**: `create table t as select * from read_csv([all files of the dataset])`
  on a fresh in-memory connection: sniff, parse and type every column, in parallel on all
  cores (GB18030 files are transcoded to UTF-8 first, untimed).
* **xintai ingest**: `ingest_files` into a fresh encrypted restricted store: read, contract
  validation (DuckDB SQL), quarantine, privacy firewall (ID checksums in SQL, HMAC pseudonyms,
  redaction of free text), primary-key de-duplication, registry, insert, one transaction per
  file; `workers` processes read, validate and firewall (0: all in the loading process).

Landing zone: `pipelines.generate.county.generate(landing, truth, scale=10, seed=42)` (36 months);
without `--landing` the script generates it.

"""


def main() -> None:
    import sys

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--landing", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--workers", type=int, help="worker processes (0: none; default: auto)")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        landing = args.landing
        if landing is None:
            from pipelines.generate.county import generate

            landing = Path(tmp) / "landing"
            generate(landing, Path(tmp) / "truth", scale=args.scale, months=args.months, seed=42)
        rows = run(landing, Path(tmp) / "home", args.workers)
    text = report(rows, "python " + " ".join(sys.argv), (load_before, os.getloadavg()[0]))
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
