"""Shared fixtures: the Salmonella Newport series (R ``surveillance`` data via epysurv)."""

from pathlib import Path

import pandas as pd
import pytest

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


@pytest.fixture(scope="session")
def salmonella() -> pd.DataFrame:
    """Train n_cases followed by test n_cases: 470 weeks, detection over the last 105."""
    if not (REFERENCE / "salmonella_train.csv").exists():
        pytest.skip(f"reference data not found in {REFERENCE}")
    train = pd.read_csv(REFERENCE / "salmonella_train.csv", index_col=0, parse_dates=True)
    test = pd.read_csv(REFERENCE / "salmonella_test.csv", index_col=0, parse_dates=True)
    frame = pd.concat([train, test])
    return pd.DataFrame({"period": frame.index, "count": frame["n_cases"].to_numpy()})
