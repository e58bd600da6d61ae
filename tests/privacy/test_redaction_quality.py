"""Redaction quality on the labelled set (definitions: models/privacy/evaluation.py).

Thresholds (DESIGN.md "Privacy firewall"): recall ≥ 0.99 for ID and phone numbers, ≥ 0.92
for names, ≥ 0.95 for addresses, overall precision ≥ 0.95, on every split: generated dev,
generated held-out (every 5th case, never used for tuning) and hand-written hard cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models.privacy.evaluation import load_cases, score
from models.privacy.redact import find_pii

CASES = Path(__file__).parent / "data" / "redaction_cases.jsonl"
THRESHOLDS = {"id_number": 0.99, "phone": 0.99, "name": 0.92, "address": 0.95}


def predict(text):
    return [(s.start, s.end, s.type) for s in find_pii(text)]


def test_case_file_is_big_enough_and_consistent():
    cases = load_cases(CASES)
    assert sum(c.split in ("dev", "heldout") for c in cases) >= 400
    assert sum(c.split == "hand" for c in cases) >= 120
    for c in cases:
        for s, e, t in c.spans:
            assert 0 <= s < e <= len(c.text) and t in {
                "name",
                "phone",
                "id_number",
                "bank_card",
                "plate",
                "address",
                "email",
                "account",
            }


@pytest.mark.parametrize("split", ["dev", "heldout", "hand"])
def test_quality(split):
    q = score(load_cases(CASES, [split]), predict)
    failures = {
        t: round(q.recall(t), 3)
        for t, minimum in THRESHOLDS.items()
        if q.true_by_type.get(t) and q.recall(t) < minimum
    }
    assert not failures, f"recall below threshold on {split}: {failures}; misses: {q.misses[:10]}"
    assert q.precision >= 0.95, f"precision {q.precision:.3f} on {split}: {q.false_alarms[:10]}"
