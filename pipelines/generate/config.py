"""Loads the documented rates (``rates.yaml``) and the contracts' first headers.

The rates file ships beside the code; an operator may override any key from
``$XINTAI_HOME/config/generate_rates.yaml``. Headers are read from the ingestion contracts so
that the generator writes exactly what ingestion expects.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RATES_FILE = Path(__file__).parent / "rates.yaml"
CONTRACTS_DIR = Path(__file__).resolve().parents[1] / "ingest" / "contracts"
REQUIRED_SECTIONS = (
    "county", "dirt", "smd", "outpatient", "hotline", "maternal", "schools", "petitions",
    "incidents", "events",
)


class RatesError(ValueError):
    """The rates file is missing a section or has a malformed override."""


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_rates(override: Path | None = None) -> dict[str, Any]:
    """The rates, with ``override`` (a partial YAML file) merged on top when it exists."""
    rates = yaml.safe_load(RATES_FILE.read_text(encoding="utf-8"))
    if override is not None and override.exists():
        extra = yaml.safe_load(override.read_text(encoding="utf-8")) or {}
        if not isinstance(extra, dict):
            raise RatesError(
                f"{override}: expected a mapping of sections, got {type(extra).__name__}")
        rates = _merge(rates, extra)
    missing = [s for s in REQUIRED_SECTIONS if s not in rates]
    if missing:
        raise RatesError(f"rates are missing sections {missing}; see {RATES_FILE}")
    return rates


@cache
def contract(dataset: str) -> dict[str, Any]:
    path = CONTRACTS_DIR / f"{dataset}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def headers(dataset: str) -> dict[str, str]:
    """English column name -> the first (canonical) Chinese header, in contract order."""
    cols = contract(dataset)["columns"]
    return {name: spec["headers"][0] for name, spec in cols.items()}


def source_of(dataset: str) -> str:
    return contract(dataset)["source"]


def normalised(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    """Keys and probabilities (summing to 1) of a weights mapping."""
    keys = list(weights)
    total = float(sum(weights.values()))
    return keys, [weights[k] / total for k in keys]
