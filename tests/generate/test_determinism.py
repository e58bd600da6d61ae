"""Same seed ⇒ byte-identical files; another seed ⇒ different data and event placement."""

from __future__ import annotations

import json

from tests.generate.conftest import landing_files


def _all_files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_same_seed_gives_identical_bytes(small, small_again):
    files = _all_files(small)
    assert files == _all_files(small_again)
    assert any(str(f).endswith(".xlsx") for f in files)
    assert any(str(f).endswith(".parquet") for f in files)
    for rel in files:
        assert (small / rel).read_bytes() == (small_again / rel).read_bytes(), rel


def test_other_seed_differs(small, small_other_seed):
    a = {p.relative_to(small): p.read_bytes() for p in landing_files(small)}
    b = {p.relative_to(small_other_seed): p.read_bytes() for p in landing_files(small_other_seed)}
    assert a.keys() == b.keys()  # same county code and layout
    assert sum(a[k] != b[k] for k in a) == len(a)
    ev_a = json.loads((small / "truth/events.json").read_text(encoding="utf-8"))
    ev_b = json.loads((small_other_seed / "truth/events.json").read_text(encoding="utf-8"))
    place = lambda ev: {(e["kind"], e["township_code"], e["start_month"]) for e in ev}  # noqa: E731
    assert place(ev_a) != place(ev_b)
