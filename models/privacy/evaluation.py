"""Span-level quality of the redactor against a labelled set (tests/privacy, benchmarks).

Definitions (stated once, used by the test and the benchmark alike):

* **recall** of a PII type: the share of true spans of that type that are *found*. A true
  span ``[s, e)`` is found when the predicted spans, of **any** PII type, together cover at
  least 90 % of its characters (the placeholder hides the data whatever its label; the 10 %
  slack lets e.g. a ``+86`` prefix or a trailing separator fall either side).
* **precision** (overall): the share of predicted spans that overlap at least one true span
  by one character or more. A predicted span overlapping no true span is a false positive:
  ordinary text destroyed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

COVERAGE = 0.90

__all__ = ["COVERAGE", "Case", "Quality", "load_cases", "score"]


@dataclass(frozen=True)
class Case:
    text: str
    spans: tuple[tuple[int, int, str], ...]
    note: str = ""
    split: str = ""


@dataclass
class Quality:
    true_by_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    found_by_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted: int = 0
    false_positives: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (type, span, text)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, typ: str) -> float:
        n = self.true_by_type.get(typ, 0)
        return self.found_by_type.get(typ, 0) / n if n else float("nan")

    @property
    def overall_recall(self) -> float:
        n = sum(self.true_by_type.values())
        return sum(self.found_by_type.values()) / n if n else float("nan")

    @property
    def precision(self) -> float:
        return 1 - self.false_positives / self.predicted if self.predicted else 1.0


def load_cases(path: Path, splits: Iterable[str] | None = None) -> list[Case]:
    wanted = set(splits) if splits is not None else None
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if wanted is None or row.get("split") in wanted:
            spans = tuple((int(s), int(e), str(t)) for s, e, t in row["spans"])
            cases.append(Case(row["text"], spans, row.get("note", ""), row.get("split", "")))
    return cases


def score(
    cases: Iterable[Case], predict: Callable[[str], Iterable[tuple[int, int, str]]]
) -> Quality:
    """Recall per type and overall precision of ``predict`` (text -> spans) on ``cases``."""
    q = Quality()
    for case in cases:
        predicted = [(s, e, t) for s, e, t in predict(case.text)]
        covered = bytearray(len(case.text))
        for s, e, _ in predicted:
            covered[s:e] = b"\x01" * (e - s)
        for s, e, t in case.spans:
            q.true_by_type[t] += 1
            if e > s and sum(covered[s:e]) >= COVERAGE * (e - s):
                q.found_by_type[t] += 1
            else:
                q.misses.append((t, case.text[s:e], case.text))
        for s, e, t in predicted:
            q.predicted += 1
            if not any(s < te and ts < e for ts, te, _ in case.spans):
                q.false_positives += 1
                q.false_alarms.append((t, case.text[s:e], case.text))
    return q
