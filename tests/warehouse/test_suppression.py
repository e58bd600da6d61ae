"""Secondary suppression: a planted table where primary suppression alone is breakable."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.warehouse.attack import attack, interval

K = 10


def suppression_module():
    """The suppression algorithm the dbt models int_suppressed_cells and
    int_suppressed_text_cells call."""
    from models.privacy import suppression

    return suppression


def planted_cells() -> pd.DataFrame:
    """3 townships × channel (letter, visit), with township totals, county by channel and the
    county total — a 2-D table with both margins. Township B's letters (3) are small."""
    rows = []
    table = {
        "A": {"letter": 40, "visit": 25},
        "B": {"letter": 3, "visit": 30},
        "C": {"letter": 22, "visit": 18},
    }

    def add(township, breakdown, value):
        rows.append(
            {
                "month": "2024-01-01",
                "county_code": "999999",
                "township_code": township,
                "measure": "petitions",
                "breakdown": breakdown,
                "value": value,
                "is_published": True,
            }
        )

    for t, by in table.items():
        add(t, "", sum(by.values()))
        for ch, v in by.items():
            add(t, f"channel={ch}", v)
    for ch in ("letter", "visit"):
        add(None, f"channel={ch}", sum(table[t][ch] for t in table))
    add(None, "", sum(sum(by.values()) for by in table.values()))
    return pd.DataFrame(rows)


def exposures(cells: pd.DataFrame, suppressed: np.ndarray):
    sc = suppression_module()
    return attack(
        cells["value"].to_numpy(),
        cells["is_published"].to_numpy(),
        suppressed,
        sc.margin_equations(cells),
        K,
        list(zip(cells["township_code"], cells["breakdown"], strict=True)),
    )


def test_primary_suppression_alone_is_broken_by_the_attacker():
    cells = planted_cells()
    primary = cells["value"].between(1, K - 1).to_numpy()
    found = exposures(cells, primary)
    assert [(e.cell, e.true_value, e.low, e.high) for e in found] == [
        (("B", "channel=letter"), 3, 3.0, 3.0)
    ]


def test_secondary_suppression_defeats_the_attacker():
    sc = suppression_module()
    cells = planted_cells()
    out = sc.protect(cells, K)
    withheld = (out["is_suppressed"] & out["is_published"]).to_numpy()
    assert withheld.sum() >= 4  # at least a rectangle: B letter, B visit / another letter, …
    assert not exposures(cells, withheld)
    lo, hi = interval(
        int(np.flatnonzero(out["is_primary"])[0]),
        sc.margin_equations(cells),
        {i: float(v) for i, v in enumerate(cells["value"]) if not withheld[i]},
        {i: 1.0 for i in np.flatnonzero(withheld)},
    )
    assert lo <= 1 and hi >= K - 1


def test_complements_are_protected_too():
    """'not collective' = total − collective is implied; a small complement is a small cell."""
    sc = suppression_module()
    rows = []
    for t, (total, coll) in {"A": (50, 46), "B": (60, 12), "C": (30, 15)}.items():
        for breakdown, value, pub in (
            ("", total, True),
            ("collective=yes", coll, True),
            ("collective=no", total - coll, False),
        ):
            rows.append(
                {
                    "month": "2024-01-01",
                    "county_code": "999999",
                    "township_code": t,
                    "measure": "petitions",
                    "breakdown": breakdown,
                    "value": value,
                    "is_published": pub,
                }
            )
    for breakdown, pub in (("", True), ("collective=yes", True), ("collective=no", False)):
        value = sum(r["value"] for r in rows if r["breakdown"] == breakdown)
        rows.append(
            {
                "month": "2024-01-01",
                "county_code": "999999",
                "township_code": None,
                "measure": "petitions",
                "breakdown": breakdown,
                "value": value,
                "is_published": pub,
            }
        )
    cells = pd.DataFrame(rows)
    out = sc.protect(cells, K)
    a_collective = out[(out.township_code == "A") & (out.breakdown == "collective=yes")]
    assert bool(a_collective["is_suppressed"].iloc[0])  # 46 hides the complement 4
    assert not exposures(cells, (out["is_suppressed"] & out["is_published"]).to_numpy())


def test_zeros_are_published_and_the_pattern_is_deterministic():
    sc = suppression_module()
    cells = planted_cells()
    cells.loc[cells.index[1], "value"] = 0  # never changes margins in this check
    first = sc.protect(cells, K)["is_suppressed"].tolist()
    assert first == sc.protect(cells, K)["is_suppressed"].tolist()
    assert not sc.protect(cells, K).loc[1, "is_suppressed"]


def test_previously_withheld_cells_stay_withheld():
    sc = suppression_module()
    cells = planted_cells()
    sticky = np.zeros(len(cells), dtype=bool)
    sticky[cells.index[(cells.township_code == "C") & (cells.breakdown == "channel=visit")]] = True
    out = sc.protect(cells, K, sticky)
    assert out.loc[sticky, "is_suppressed"].all()


def test_frozen_cells_keep_their_status_and_other_cells_complement():
    """Text cells under totals another model already decided (int_suppressed_text_cells):
    the totals are frozen, so the complement must come from the text cells themselves."""
    sc = suppression_module()
    rows = []

    def add(township, breakdown, value, published=True):
        rows.append(
            {
                "month": "2024-01-01",
                "county_code": "999999",
                "township_code": township,
                "measure": "petitions",
                "breakdown": breakdown,
                "value": value,
                "is_published": published,
            }
        )

    topics = {"A": {"1": 4, "2": 30, "3": 26}, "B": {"1": 15, "2": 14, "3": 11}}
    for t, by in topics.items():
        add(t, "", sum(by.values()))  # the indicator total, printed by another mart
        for topic, v in by.items():
            add(t, f"text_topic={topic}", v)
    add(None, "", sum(sum(by.values()) for by in topics.values()))
    cells = pd.DataFrame(rows)
    frozen = (cells["breakdown"] == "").to_numpy()
    out = sc.protect(cells, K, frozen=frozen)
    withheld = (out["is_suppressed"] & out["is_published"]).to_numpy()
    assert not withheld[frozen].any()  # frozen totals stay printed
    assert withheld.sum() == 2  # A's topic 1 (primary) and its smallest sibling, topic 3
    assert set(out.loc[withheld, "breakdown"]) == {"text_topic=1", "text_topic=3"}
    assert not exposures(cells, withheld)


def test_unchanged_groups_keep_their_stored_flags(monkeypatch):
    """An incremental rebuild re-protects only the county × month × measure groups whose
    cells changed; the others get the stored flags, which equal what protecting them again
    would give."""
    sc = suppression_module()
    january = planted_cells()
    february = planted_cells().assign(month="2024-02-01")
    cells = pd.concat([january, february], ignore_index=True)
    stored = sc.protect_by_month(cells, K)
    # February is revised: a late letter in township A (its total and the county's move too)
    revised = cells.copy()
    late = (revised["month"] == "2024-02-01") & revised["township_code"].isin(["A", None])
    late &= revised["breakdown"].isin(["", "channel=letter"])
    revised.loc[late, "value"] += 1
    sticky = (stored["is_suppressed"] & stored["is_published"]).to_numpy()
    protected_groups = []
    real_protect = sc.protect

    def counting_protect(part, *args, **kwargs):
        protected_groups.append(part["month"].iloc[0])
        return real_protect(part, *args, **kwargs)

    monkeypatch.setattr(sc, "protect", counting_protect)
    out = sc.protect_changed(revised, stored, K, sticky)
    assert protected_groups == ["2024-02-01"]  # January was not solved again
    monkeypatch.setattr(sc, "protect", real_protect)
    expected = sc.protect_by_month(revised, K, sticky)
    key = [*sc.KEY, "value"]
    got = out.sort_values(key, na_position="first").reset_index(drop=True)
    want = expected.sort_values(key, na_position="first").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        got[[*key, "is_primary", "is_suppressed"]], want[[*key, "is_primary", "is_suppressed"]]
    )
    # a stored group that lost a cell is solved again, not patched
    shrunk = revised[~((revised["month"] == "2024-01-01") & (revised["township_code"] == "C"))]
    protected_groups.clear()
    monkeypatch.setattr(sc, "protect", counting_protect)
    sc.protect_changed(shrunk, stored, K)
    assert sorted(protected_groups) == ["2024-01-01", "2024-02-01"]


def test_a_cell_no_withholding_can_protect_is_reported():
    """A printed total another model froze (21 calls), 18 of them with a document, 13 topics
    of those documents, all small: withheld topic counts are each known to be ≥ 1, so the
    documents are ≥ 13 and the 3 calls without one are ≤ 8 whatever else is withheld. protect
    reports the cell; printing none of the text cells (unpublished unknowns ≥ 0) is safe."""
    sc = suppression_module()
    rows = [("", 21, True), ("text=no", 3, False), ("text=yes", 18, True)]
    rows += [(f"text=yes;text_topic={t}", 6 if t == 0 else 1, True) for t in range(13)]
    cells = pd.DataFrame(
        [
            {
                "month": "2024-05-01",
                "county_code": "999999",
                "township_code": None,
                "measure": "calls",
                "breakdown": b,
                "value": v,
                "is_published": p,
            }
            for b, v, p in rows
        ]
    )
    frozen = (cells["breakdown"] == "").to_numpy()
    out = sc.protect(cells, K, frozen=frozen)
    assert out.loc[cells["breakdown"] == "text=no", "is_uncertified"].all()
    withheld = (out["is_suppressed"] & out["is_published"]).to_numpy()
    found = exposures(cells, withheld)
    assert [(e.cell[1], e.high) for e in found] == [("text=no", 8.0)]
    hidden = cells.assign(is_published=frozen)
    out = sc.protect(hidden, K, frozen=frozen)
    assert not out["is_uncertified"].any()
    assert not exposures(hidden, (out["is_suppressed"] & out["is_published"]).to_numpy())
