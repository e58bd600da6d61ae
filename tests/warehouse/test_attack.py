"""The attacker test: every small cell stays hidden from everything published.

The attacker reads every published table, maps each count to the cell it reports (the same
figure in two tables is one cell), writes every linear relation between cells (county = Σ
townships + unknown township; total = Σ values of a breakdown; implied complements), and
solves min / max of each small cell with scipy's linprog. Months and counties are
independent (no published figure sums over them), so each (month, county, measure) is one
system.
"""

from __future__ import annotations

import collections

import numpy as np
import pandas as pd
import pytest

from tests.warehouse import build
from tests.warehouse.attack import attack
from tests.warehouse.test_suppression import suppression_module

K = 10
TYPES = [
    "family_dispute",
    "neighbour_dispute",
    "romantic_dispute",
    "labour_dispute",
    "land_dispute",
    "other_dispute",
    "domestic_violence",
    "self_harm",
    "smd_incident",
    "mass_incident",
]
SMD = {
    "n_registered": "",
    "n_managed": "managed=yes",
    "n_standard_managed": "standard_managed=yes",
    "n_on_medication": "on_medication=yes",
    "n_regular_medication": "regular_medication=yes",
    "n_schizophrenia": "schizophrenia=yes",
    "n_schizophrenia_on_medication": "on_medication=yes;schizophrenia=yes",
    "n_risk_ge3": "managed=yes;risk_ge3=yes",
    "n_unstable": "managed=yes;unstable=yes",
    "n_unstable_case_managed": "case_managed=yes;managed=yes;unstable=yes",
    "n_home_dwelling": "home_dwelling=yes",
    "n_home_community_rehab": "community_rehab=yes;home_dwelling=yes",
    "n_home_family_counselled": "family_counselled=yes;home_dwelling=yes",
}
WIDE = {
    "agg_petitions_area_month": {
        "n_petitions": ("petitions", ""),
        "n_petitions_letter": ("petitions", "channel=letter"),
        "n_petitions_visit": ("petitions", "channel=visit"),
        "n_petitions_online": ("petitions", "channel=online"),
        "n_petitions_12345": ("petitions", "channel=hotline12345"),
        "n_collective_petitions": ("petitions", "collective=yes"),
        "n_collective_persons": ("collective_persons", ""),
        "n_repeat_petitions": ("petitions", "repeat=yes"),
    },
    "agg_incidents_area_month": {
        "n_incidents": ("incidents", ""),
        **{f"n_{t}": ("incidents", f"incident_type={t}") for t in TYPES},
    },
    "agg_hotline_area_month": {"n_calls": ("calls", ""), "n_crisis_calls": ("calls", "crisis=yes")},
    "agg_outpatient_area_month": {
        "n_visits": ("visits", ""),
        **{
            f"n_visits_{g}": ("visits", f"icd_group={g}")
            for g in ("f20_f29", "f30_f39", "f40_f48", "other")
        },
    },
    "agg_maternal_screening_area_month": {
        "n_screened": ("maternal_screened", ""),
        "n_epds_ge13": ("maternal_screened", "epds_ge13=yes"),
    },
    "kpi_smd_management_area_month": {c: ("smd_registered", b) for c, b in SMD.items()},
}
SCORECARD = {
    "standard_management_rate": ("n_standard_managed", "n_registered"),
    "treatment_rate": ("n_on_medication", "n_registered"),
    "schizophrenia_treatment_rate": ("n_schizophrenia_on_medication", "n_schizophrenia"),
    "unstable_case_managed_share": ("n_unstable_case_managed", "n_unstable"),
    "home_patients_community_rehab": ("n_home_community_rehab", "n_home_dwelling"),
    "family_counselled_share": ("n_home_family_counselled", "n_home_dwelling"),
}


def _key(row, measure, breakdown):
    township = row["township_code"] if isinstance(row["township_code"], str) else None
    return (pd.Timestamp(row["month"]), row["county_code"], township, measure, breakdown)


def published_figures(con) -> dict[tuple, list]:
    """Cell key → every value printed for it (None when printed as withheld)."""
    seen = collections.defaultdict(list)
    for table, columns in WIDE.items():
        frame = con.execute(f"select * from {table}").df()
        for row in frame.to_dict("records"):
            for col, (measure, breakdown) in columns.items():
                value = row[col]
                seen[_key(row, measure, breakdown)].append(None if pd.isna(value) else int(value))
    students = con.execute("select * from agg_student_screening_area_month").df()
    for row in students.to_dict("records"):
        dims = {d: row[d] for d in ("school_level", "left_behind") if row[d] != "all"}
        for col, extra in (
            ("n_screened", {}),
            ("n_phq9_ge10", {"phq9_ge10": "yes"}),
            ("n_gad7_ge10", {"gad7_ge10": "yes"}),
        ):
            items = {**dims, **extra}
            breakdown = ";".join(f"{d}={items[d]}" for d in sorted(items))
            value = row[col]
            seen[_key(row, "students_screened", breakdown)].append(
                None if pd.isna(value) else int(value)
            )
    township = con.execute(
        "select *, left(township_code, 6) as county_code from agg_township_month"
    ).df()
    for row in township.to_dict("records"):
        for col, measure in (("n_petitions", "petitions"), ("n_incidents", "incidents")):
            value = row[col]
            seen[_key(row, measure, "")].append(None if pd.isna(value) else int(value))
    scorecard = con.execute(
        "select * from kpi_pilot_scorecard where kpi_code in ("
        + ",".join(f"'{k}'" for k in SCORECARD)
        + ")"
    ).df()
    for row in scorecard.to_dict("records"):
        for col, source in zip(
            ("n_numerator", "n_denominator"), SCORECARD[row["kpi_code"]], strict=True
        ):
            value = row[col]
            seen[_key(row, "smd_registered", SMD[source])].append(
                None if pd.isna(value) else int(value)
            )
    return seen


@pytest.fixture(scope="module")
def figures(warehouse):
    pub = build.published(warehouse.home)
    res = build.restricted(warehouse.home)
    try:
        printed = published_figures(pub)
        cells = res.execute("select * from int_suppressed_cells").df()
    finally:
        pub.close()
        res.close()
    cells["month"] = pd.to_datetime(cells["month"])
    cells["township_code"] = cells["township_code"].where(cells["township_code"].notna(), None)
    return printed, cells


def test_every_printed_figure_is_a_true_cell_and_consistent_across_tables(figures):
    printed, cells = figures
    truth = {
        (r.month, r.county_code, r.township_code, r.measure, r.breakdown): (r.value, r.is_published)
        for r in cells.itertuples()
    }
    missing = [k for k in printed if k not in truth]
    assert not missing[:5]
    inconsistent = [k for k, vs in printed.items() if len(set(vs)) > 1]
    assert not inconsistent[:5]  # the same figure is printed, or withheld, everywhere
    wrong = [k for k, vs in printed.items() if vs[0] is not None and vs[0] != truth[k][0]]
    assert not wrong[:5]
    unprinted = [k for k, (_, pub) in truth.items() if pub and k not in printed]
    assert not unprinted[:5]  # every cell marked published is printed somewhere


def test_no_small_cell_can_be_narrowed(figures):
    printed, cells = figures
    sc = suppression_module()
    exposures, systems, small = [], 0, 0
    for _, part in cells.groupby(["month", "county_code", "measure"], sort=True):
        part = part.sort_values(sc.KEY, na_position="first").reset_index(drop=True)
        keys = list(
            zip(
                part.month,
                part.county_code,
                part.township_code,
                part.measure,
                part.breakdown,
                strict=True,
            )
        )
        shown = np.array([k in printed for k in keys])
        withheld = np.array([k in printed and printed[k][0] is None for k in keys])
        values = part["value"].to_numpy()
        small += int(((values >= 1) & (values <= K - 1)).sum())
        exposures += attack(values, shown, withheld, sc.margin_equations(part), K, keys)
        systems += 1
    assert systems > 50 and small > 100
    assert not exposures[:10], f"{len(exposures)} small cells narrowed below [1, k−1]"


def test_no_figure_sums_over_months(warehouse):
    """Months are independent systems only while no published table aggregates over months."""
    con = build.published(warehouse.home)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.columns where table_schema = 'main' "
                "and column_name like 'n\\_%' escape '\\' group by 1"
            ).fetchall()
        ]
        for table in tables:
            cols = {
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_name = ?",
                    [table],
                ).fetchall()
            }
            if table == "agg_data_quality_month":
                continue  # file and row counts, not people
            assert "month" in cols, table
    finally:
        con.close()
