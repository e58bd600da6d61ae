"""Shared fixtures: every test gets its own $XINTAI_HOME and fixed keys (never the repo's var/)."""

import os

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run, so CI results are reproducible;
# run with --hypothesis-profile=explore to search new examples locally.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TEST_PSEUDONYM_KEY = "11" * 32
TEST_WAREHOUSE_KEY = "22" * 32


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("XINTAI_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    os.makedirs(tmp_path / "dagster", exist_ok=True)
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("DAGSTER_DISABLE_TELEMETRY", "1")
    return home
