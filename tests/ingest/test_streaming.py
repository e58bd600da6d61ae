"""Large files stream: peak memory does not grow with the file's size.

A subprocess ingests one student-screening CSV of a given size into a fresh encrypted store
and reports its peak RSS; a file ten times larger must not need much more memory. The 10 MB
vs 100 MB comparison is slow (-m slow); a 2 MB vs 20 MB variant always runs, also with the
files prepared by two worker processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.privacy.idnumber import check_digit
from tests.ingest.conftest import ADMIN_CSV, COUNTY_A, PSEUDONYM_KEY, SCHOOL, SCHOOLS_CSV

HEADER = "身份证号,姓名,学校代码,年级,性别,筛查日期,PHQ-9,GAD-7,是否留守儿童,是否流动儿童\n"
CHILD = r"""
import json, resource, sys
from pathlib import Path
import pandas as pd
from pipelines.ingest.contracts import load_contracts
from pipelines.ingest.load import ingest_files
from pipelines.ingest.references import reference_sets
from pipelines.settings import home as layout_of
from pipelines.warehouse import connect_restricted
from models.privacy.pseudonym import Pseudonymiser

import pipelines.ingest.load as load, pipelines.ingest.readers as readers

home, big, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[5])
readers.BLOCK_BYTES, load.MEMORY_LIMIT = int(sys.argv[3]), sys.argv[4]  # batch size, DuckDB cap
con, ps, contracts = connect_restricted(layout_of(home)), Pseudonymiser.from_env(home), load_contracts()
worker_peak = [0.0]
if workers:  # sample the workers' high-water marks while they run (they are not our children)
    import pipelines.ingest.prepare as prepare
    get = prepare._Workers._get
    def sampling_get(self, w):
        message = get(self, w)
        for proc in self.procs:
            try:
                status = Path(f"/proc/{proc.pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():  # (an exited process has no VmHWM line)
                if line.startswith("VmHWM"):
                    worker_peak[0] = max(worker_peak[0], int(line.split()[1]) / 1024)
        return message
    prepare._Workers._get = sampling_get
    (home / "small").mkdir()
    other = home / "small" / big.name.replace("2024-03", "2024-02")
    other.write_text(big.read_text(encoding="utf-8").split("\n", 2)[0] + "\n", encoding="utf-8")
students = [other, big] if workers else [big]
for name, paths in [("admin_units", [home / "admin_units_x.csv"]),
                    ("schools", [home / "schools_x.csv"]), ("student_screening", students)]:
    *_, r = ingest_files(con, contracts[name], paths, ps, reference_sets(con), pd.Timestamp.now(),
                         workers=workers)
con.close()
print(json.dumps({"rows_in": r.rows_in, "loaded": r.rows_loaded, "quarantined": r.rows_quarantined,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": worker_peak[0]}))
"""


def write_students(path: Path, megabytes: float) -> int:
    target = int(megabytes * 1e6)
    rows, size, i = [], len(HEADER.encode()), 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        while size < target:
            year, month, day = 2005 + i // 336_000 % 10, 1 + i // 1000 % 12, 1 + i // 12_000 % 28
            body = f"{COUNTY_A}{year}{month:02d}{day:02d}{i % 1000:03d}"  # unique below 3.36M rows
            line = (
                f"{body}{check_digit(body)},王小明,{SCHOOL},{1 + i % 12},{'男女'[i % 2]},"
                f"2024-03-{1 + i % 28:02d},{i % 28},{i % 22},否,是\n"
            )
            rows.append(line)
            size += len(line.encode())
            i += 1
            if len(rows) >= 100_000:
                fh.writelines(rows)
                rows = []
        fh.writelines(rows)
    return i


def peak_rss(
    tmp_path: Path,
    megabytes: float,
    block_bytes: int = 4 << 20,
    memory_limit: str = "96MB",
    workers: int = 0,
) -> dict:
    home = tmp_path / f"home{megabytes}_{block_bytes}_{workers}"
    home.mkdir()
    (home / "admin_units_x.csv").write_text(ADMIN_CSV, encoding="utf-8")
    (home / "schools_x.csv").write_text(SCHOOLS_CSV, encoding="utf-8")
    big = home / f"student_screening_{COUNTY_A}_2024-03.csv"
    n = write_students(big, megabytes)
    env = {**os.environ, "XINTAI_HOME": str(home), "XINTAI_PSEUDONYM_KEY": PSEUDONYM_KEY}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), str(big), str(block_bytes), memory_limit]
        + [str(workers)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rows_in"] == n == result["loaded"] + result["quarantined"]
    return result


def _assert_flat(small: dict, large: dict, allowance_mb: float) -> None:
    growth = large["peak_mb"] - small["peak_mb"]
    assert growth < allowance_mb, f"peak RSS grew {growth:.0f} MB: {small} → {large}"


def test_memory_does_not_grow_with_file_size_small(tmp_path):
    """The same mechanism at a smaller scale: 256 KB batches and a 32 MB DuckDB cap, so a
    2 MB and a 20 MB file are both past the first few batches (before streaming was fixed,
    this pair differed by ~250 MB)."""
    small = peak_rss(tmp_path, 2, block_bytes=256 << 10, memory_limit="32MB")
    large = peak_rss(tmp_path, 20, block_bytes=256 << 10, memory_limit="32MB")
    _assert_flat(small, large, allowance_mb=60)


def test_memory_does_not_grow_with_file_size_in_parallel(tmp_path):
    """The same with the files prepared by two worker processes: batches stream through
    bounded queues, so a worker's peak stays flat, and the loader, which now only inserts
    and commits, needs no more than a serial loader for the same file (its peak, at the
    commit of a large file, is DuckDB's, and the same in both)."""
    small = peak_rss(tmp_path, 2, block_bytes=256 << 10, memory_limit="32MB", workers=2)
    large = peak_rss(tmp_path, 20, block_bytes=256 << 10, memory_limit="32MB", workers=2)
    serial = peak_rss(tmp_path, 20, block_bytes=256 << 10, memory_limit="32MB")
    assert small["worker_peak_mb"] > 0 and large["worker_peak_mb"] > 0
    growth = large["worker_peak_mb"] - small["worker_peak_mb"]
    assert growth < 60, f"a worker's peak RSS grew {growth:.0f} MB: {small} → {large}"
    assert large["peak_mb"] < serial["peak_mb"] + 20, f"loader: {large} vs serial {serial}"


@pytest.mark.slow
def test_memory_does_not_grow_with_file_size_100mb(tmp_path):
    """10 MB vs 100 MB (about 1.4 million rows), production batch size and cap."""
    _assert_flat(peak_rss(tmp_path, 10), peak_rss(tmp_path, 100), allowance_mb=60)
