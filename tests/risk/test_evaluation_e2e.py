"""End to end: generate one seed, run the whole pipeline, score detection against truth."""

from __future__ import annotations

import pytest

from models.risk.evaluation import summarise
from pipelines.commands.eval_detection import TARGETS, evaluate_home, meets_targets, prepare_home


@pytest.mark.slow
def test_detection_meets_targets_on_seed_42(tmp_path):
    home = prepare_home(42, tmp_path)
    summary = summarise({"42": evaluate_home(home)})
    assert summary["sensitivity"] >= TARGETS["sensitivity"], summary
    assert summary["false_alerts_per_township_year"] <= TARGETS["false_alerts_per_township_year"]
    assert summary["median_delay_months"] <= TARGETS["median_delay_months"]
    assert meets_targets(summary)
