"""A new month is built incrementally, and the publication equals a full rebuild.

A small county is generated; its last month's landing files are held back, the rest is
ingested and built, then the last month is ingested and dbt runs again (incremental models
rebuild only the months the new files touch: a month of SMD follow-ups also revises the 2
months before it). The incremental run must leave older months of the month-keyed marts
untouched, and a full refresh on the same store must publish exactly the same marts: it
honours the ledger of every cell an earlier build withheld, as a revision must.
"""

from __future__ import annotations

import pytest

from tests.warehouse import build

MONTHS = 14


def _watermarks(home) -> dict:
    """Month → the file-registry watermark its petition indicator rows were built from."""
    con = build.published(home)
    try:
        rows = con.execute(
            "select strftime(month, '%Y-%m'), max(_source_watermark) "
            "from agg_petitions_area_month group by 1"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    home, held, target = root / "home", root / "held_back", root / "target"
    build.generate(home, MONTHS, seed=11)
    months = sorted(
        {p.stem[-7:] for p in (home / "landing").rglob("*") if p.is_file() and p.stem[-3] == "-"}
    )
    last = months[-1]
    assert build.hold_back(home / "landing", last, held)
    build.ingest(home)
    build.dbt(home, ["run", *build.SELECTION], target)
    watermarks_before = _watermarks(home)
    build.restore(held, home / "landing")
    build.ingest(home, [last])
    build.dbt(home, ["run", *build.SELECTION], target)
    watermarks_after = _watermarks(home)
    incremental = build.snapshot(home)
    build.dbt(home, ["run", *build.SELECTION, "--full-refresh"], target)
    return {
        "home": home,
        "last": last,
        "incremental": incremental,
        "full": build.snapshot(home),
        "watermarks": (watermarks_before, watermarks_after),
    }


def test_incremental_publication_equals_a_full_rebuild(runs):
    differing = sorted(t for t in runs["full"] if runs["incremental"].get(t) != runs["full"][t])
    assert not differing


def test_only_the_new_month_is_rebuilt(runs):
    before, after = runs["watermarks"]
    assert runs["last"] not in before and runs["last"] in after
    assert len(before) == MONTHS - 1
    revised = sorted(m for m, w in before.items() if after[m] != w)
    assert revised == sorted(before)[-2:]  # SMD follow-ups revise the 2 months before
    assert after[runs["last"]] > max(before.values())


def test_full_refresh_keeps_every_cell_an_earlier_build_withheld(runs):
    """A --full-refresh drops int_suppressed_cells but not the ledger: a non-zero cell that an
    earlier publication withheld is still withheld (else the two publications difference)."""
    con = build.restricted(runs["home"])
    try:
        ledger = con.execute("select count(*) from suppression_ledger").fetchone()[0]
        printed_again = con.execute(
            "select count(*) from int_suppressed_cells c join suppression_ledger l using (cell_id) "
            "where c.value > 0 and c.is_published and not c.is_suppressed"
        ).fetchone()[0]
        withheld = con.execute(
            "select count(*) from int_suppressed_cells where is_suppressed and is_published"
        ).fetchone()[0]
    finally:
        con.close()
    assert ledger >= withheld > 0
    assert printed_again == 0
