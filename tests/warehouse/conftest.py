"""One small synthetic county, generated, ingested and built once per test session.

Set XINTAI_TEST_WAREHOUSE_HOME to a home that already holds a built warehouse to reuse it
(handy when iterating on tests); otherwise a fresh 14-month county is built under a
session temporary directory (a few minutes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.warehouse import build

MONTHS = 14


@dataclass(frozen=True)
class Warehouse:
    home: Path
    target: Path
    build_output: str


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    reuse = os.environ.get("XINTAI_TEST_WAREHOUSE_HOME")
    if reuse:
        home = Path(reuse)
        target = tmp_path_factory.mktemp("dbt_target")
        proc, _ = build.dbt(home, ["parse"], target)
        return Warehouse(home, target, proc.stdout)
    home = tmp_path_factory.mktemp("county") / "home"
    target = tmp_path_factory.mktemp("dbt_target")
    build.generate(home, MONTHS)
    build.ingest(home)
    proc, _ = build.dbt(home, ["build", *build.SELECTION], target)
    return Warehouse(home, target, proc.stdout)
