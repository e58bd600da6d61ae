"""Generated counties shared by the generator tests (session-scoped: generating is slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipelines.generate.config import headers
from pipelines.generate.county import generate

SMALL = {"months": 14, "population": 60000}


def _run(root: Path, **kw) -> dict:
    summary = generate(root / "landing", root / "truth", **kw)
    return summary


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small_a")
    _run(root, seed=42, **SMALL)
    return root


@pytest.fixture(scope="session")
def small_again(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small_b")
    _run(root, seed=42, **SMALL)
    return root


@pytest.fixture(scope="session")
def small_other_seed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small_c")
    _run(root, seed=7, **SMALL)
    return root


@pytest.fixture(scope="session")
def full_county(tmp_path_factory) -> tuple[Path, dict]:
    """One county at the default population, 14 months (events in months 12–13)."""
    root = tmp_path_factory.mktemp("full")
    return root, _run(root, seed=42, months=14)


DATASET_OF = {
    "admin_units": "admin_units", "population": "population", "township_geo": "township_geo",
    "service_capacity": "service_capacity", "smd_registry": "smd_registry",
    "smd_followup": "smd_followup", "outpatient_visits": "outpatient_visits",
    "hotline_calls": "hotline_calls", "maternal_screening": "maternal_screening",
    "schools": "schools", "student_screening": "student_screening", "petitions": "petitions",
    "incidents": "incidents",
}


def dataset_of(path: Path) -> str:
    stem = path.stem
    for name in sorted(DATASET_OF, key=len, reverse=True):
        if stem.startswith(name + "_"):
            return name
    raise KeyError(path)


def read_landing(path: Path) -> pd.DataFrame:
    """A landing file as a frame of strings with its own (Chinese) headers."""
    if path.suffix == ".csv":
        raw = path.read_bytes()
        enc = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            enc = "gb18030"
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc)
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype(str)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        rows = [["" if v is None else str(v) for v in r] for r in wb.worksheets[0].iter_rows(
            values_only=True)]
        wb.close()
        first = next(iter(headers(dataset_of(path)).values()))
        h = next(i for i, r in enumerate(rows) if first in r)
        return pd.DataFrame(rows[h + 1:], columns=rows[h])
    if path.suffix == ".geojson":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return pd.DataFrame([{**f["properties"], "geometry": json.dumps(f["geometry"])}
                             for f in doc["features"]])
    raise ValueError(path)


def landing_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "landing").rglob("*") if p.is_file())


def read_all(root: Path, dataset: str) -> pd.DataFrame:
    frames = []
    for p in landing_files(root):
        if dataset_of(p) == dataset:
            f = read_landing(p)
            f["_file"] = p.relative_to(root / "landing").as_posix()
            frames.append(f)
    return pd.concat(frames, ignore_index=True)
