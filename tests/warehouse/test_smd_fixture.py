"""SMD KPIs and the pilot scorecard on a hand-computed county: 2 townships, 8 patients, 3 months.

The warehouse is built from raw tables written here (the shapes ingestion writes), with
k = 1 so that nothing is suppressed and every figure can be checked against the arithmetic
in the comments.

Patients (township A: p1–p5, B: p6–p8); follow-ups as (date, risk, medication, condition,
case-managed, community rehab, family supported):

  p1 F20 home reg 2020-05 managed   01-10 (1 regular stable F T F)
                                    03-12 (0 regular stable F T T)
  p2 F31 home reg 2019-03 managed   02-05 (3 intermittent unstable T F F)
  p3 F20 —    reg 2021-07 lost      none
  p4 F20 home reg 2024-02 managed   02-20 (4 none unstable F F T)
                                    03-20 (2 intermittent basically_stable T T F)
  p5 F06 home reg 2018-01 deceased  01-15 (0 regular stable F F F) → on the register in Jan only
  p6 F20 home reg 2017-06 managed   03-01 (3 regular unstable T T T)
  p7 F72 home reg 2016-01 refused   none
  p8 F25 —    reg 2022-09 managed   01-09 (1 none basically_stable F F F)

The data start in January, so a month's window covers at most the months since January and
规范管理 asks for one follow-up per full quarter of it, at least one.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.warehouse import build

A, B, COUNTY = "999901001000", "999901002000", "999901"
VA, VB = "999901001001", "999901002001"
PATIENTS = {  # pid: (icd10, village, registered, status, home)
    "p1": ("F20.0", VA, "2020-05-01", "managed", True),
    "p2": ("F31.2", VA, "2019-03-01", "managed", True),
    "p3": ("F20.3", VA, "2021-07-01", "lost", False),
    "p4": ("F20.9", VA, "2024-02-15", "managed", True),
    "p5": ("F06.2", VA, "2018-01-01", "deceased", True),
    "p6": ("F20.0", VB, "2017-06-01", "managed", True),
    "p7": ("F72.1", VB, "2016-01-01", "refused", True),
    "p8": ("F25.0", VB, "2022-09-09", "managed", False),
}
FOLLOWUPS = [
    ("p1", "2024-01-10", 1, "regular", "stable", False, True, False),
    ("p1", "2024-03-12", 0, "regular", "stable", False, True, True),
    ("p2", "2024-02-05", 3, "intermittent", "unstable", True, False, False),
    ("p4", "2024-02-20", 4, "none", "unstable", False, False, True),
    ("p4", "2024-03-20", 2, "intermittent", "basically_stable", True, True, False),
    ("p5", "2024-01-15", 0, "regular", "stable", False, False, False),
    ("p6", "2024-03-01", 3, "regular", "unstable", True, True, True),
    ("p8", "2024-01-09", 1, "none", "basically_stable", False, False, False),
]
# area → month → (registered, managed, standard, on_med, regular, schizo, schizo_on_med,
#                 risk≥3, unstable, unstable_case_managed, home, home_rehab, home_family)
EXPECTED = {
    A: {
        "2024-01-01": (4, 2, 2, 2, 2, 2, 1, 0, 0, 0, 3, 1, 0),  # p1 p2 p3 p5; p1 p5 followed
        "2024-02-01": (4, 3, 3, 2, 1, 3, 1, 2, 2, 1, 3, 1, 1),  # p1 p2 p3 p4
        "2024-03-01": (4, 3, 3, 3, 1, 3, 2, 1, 1, 1, 3, 2, 2),
    },
    B: {
        "2024-01-01": (3, 1, 1, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0),  # p6 p7 p8; p8 followed
        "2024-02-01": (3, 1, 1, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0),
        "2024-03-01": (3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1),
    },
}
EXPECTED[COUNTY] = {
    m: tuple(a + b for a, b in zip(EXPECTED[A][m], EXPECTED[B][m], strict=True))
    for m in EXPECTED[A]
}
COUNTS = [
    "n_registered",
    "n_managed",
    "n_standard_managed",
    "n_on_medication",
    "n_regular_medication",
    "n_schizophrenia",
    "n_schizophrenia_on_medication",
    "n_risk_ge3",
    "n_unstable",
    "n_unstable_case_managed",
    "n_home_dwelling",
    "n_home_community_rehab",
    "n_home_family_counselled",
]
POPULATION = {A: 1000, B: 2000}


def write_raw_tables(home) -> None:
    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import ensure_raw_table
    from pipelines.ingest.registry import ensure_tables
    from pipelines.resources import XintaiHome

    con = XintaiHome(root=str(home)).restricted()
    try:
        ensure_tables(con)
        for contract in load_contracts().values():
            ensure_raw_table(con, contract)
        rows = {
            "admin_units": [
                (COUNTY + "000000", "测试县", "county", None, None),
                (A, "甲镇", "township", COUNTY + "000000", None),
                (B, "乙乡", "township", COUNTY + "000000", None),
                (VA, "甲村", "village", A, "220"),
                (VB, "乙村", "village", B, "220"),
            ],
            "population": [
                (A, 2024, "M", "30-34", 500),
                (A, 2024, "F", "30-34", 500),
                (B, 2024, "M", "30-34", 1000),
                (B, 2024, "F", "30-34", 1000),
            ],
            "smd_registry": [
                (pid, "M", "30-34", v, icd, dt.date.fromisoformat(reg), st, home_)
                for pid, (icd, v, reg, st, home_) in PATIENTS.items()
            ],
            "smd_followup": [
                (pid, dt.date.fromisoformat(d), "home", r, med, cond, cm, rehab, fam)
                for pid, d, r, med, cond, cm, rehab, fam in FOLLOWUPS
            ],
            "service_capacity": [
                (VA, dt.date(2023, 12, 1), True, 1, 1, True, 100, 50),
                (VB, dt.date(2023, 12, 1), False, 0, 1, False, 50, 20),
            ],
            "schools": [
                ("S1", "甲小学", A, "primary", 300, True, 1.0),
                ("S2", "乙中学", B, "junior", 200, True, 0.0),
            ],
        }
        # the rows above are in contract order, after the firewall (Contract.output_columns)
        contracts = load_contracts()
        columns = {d: ", ".join(f'"{c}"' for c in contracts[d].output_columns()) for d in rows}
        for dataset, data in rows.items():
            marks = ", ".join("?" * len(data[0]))
            for n, row in enumerate(data, start=1):
                con.execute(
                    f"insert into raw_{dataset} ({columns[dataset]}, _file_id, _row_number) "
                    f"values ({marks}, ?, ?)",
                    [*row, f"file-{dataset}", n],
                )
            con.execute(
                "insert into raw_file_registry values (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    f"file-{dataset}",
                    dataset,
                    load_contracts()[dataset].source,
                    f"{dataset}.csv",
                    f"fixture/{dataset}",
                    None,
                    len(data),
                    len(data),
                    0,
                    "loaded",
                    "",
                    dt.datetime(2024, 4, 5),
                ],
            )
        con.execute("checkpoint")
    finally:
        con.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    home = tmp_path_factory.mktemp("tiny") / "home"
    target = tmp_path_factory.mktemp("tiny_target")
    write_raw_tables(home)
    build.dbt(
        home,
        [
            "build",
            "--select",
            "+kpi_pilot_scorecard",
            "--vars",
            "{suppression_k: 1}",
            "--indirect-selection",
            "cautious",
            "--exclude",
            "test_type:unit",
        ],
        target,
    )
    con = build.published(home)
    try:
        kpis = con.execute("select * from kpi_smd_management_area_month").df()
        scorecard = con.execute("select * from kpi_pilot_scorecard").df()
    finally:
        con.close()
    return kpis, scorecard


@pytest.mark.parametrize("area", [A, B, COUNTY])
@pytest.mark.parametrize("month", ["2024-01-01", "2024-02-01", "2024-03-01"])
def test_smd_counts(tiny, area, month):
    kpis, _ = tiny
    row = kpis[(kpis.area_code == area) & (kpis.month.astype(str) == month)].iloc[0]
    assert tuple(int(row[c]) for c in COUNTS) == EXPECTED[area][month]


def test_smd_rates_for_the_county_in_march(tiny):
    kpis, _ = tiny
    row = kpis[(kpis.area_code == COUNTY) & (kpis.month.astype(str) == "2024-03-01")].iloc[0]
    assert row.reported_prevalence_per_mille == pytest.approx(7 / 3000 * 1000)
    assert row.management_rate == pytest.approx(5 / 7)
    assert row.standard_management_rate == pytest.approx(5 / 7)
    assert row.medication_rate == pytest.approx(4 / 7)
    assert row.regular_medication_rate == pytest.approx(2 / 7)
    assert row.schizophrenia_medication_rate == pytest.approx(3 / 4)
    assert row.risk_ge3_share == pytest.approx(2 / 5)
    assert row.unstable_case_managed_share == pytest.approx(1.0)
    assert row.community_rehab_share == pytest.approx(3 / 5)
    assert row.family_counselled_share == pytest.approx(3 / 5)
    assert row.standard_management_rate_lower < 5 / 7 < row.standard_management_rate_upper


def test_township_prevalence(tiny):
    kpis, _ = tiny
    march = kpis[kpis.month.astype(str) == "2024-03-01"].set_index("area_code")
    assert march.loc[A, "reported_prevalence_per_mille"] == pytest.approx(4.0)
    assert march.loc[B, "reported_prevalence_per_mille"] == pytest.approx(1.5)


SCORECARD_MARCH = {  # county, 2024-03: (numerator, denominator, actual, met)
    "studio_village_share": (1, 2, 0.5, False),
    "school_counselling_share": (1, 2, 0.5, False),  # S2 has a room but no counsellor
    "rehab_coverage_share": (1, 2, 0.5, True),
    "home_patients_community_rehab": (3, 5, 0.6, True),
    "standard_management_rate": (5, 7, 5 / 7, False),
    "treatment_rate": (4, 7, 4 / 7, False),
    "schizophrenia_treatment_rate": (3, 4, 0.75, False),
    "unstable_case_managed_share": (2, 2, 1.0, True),
    "professionals_per_100k": (3, 3000, 100.0, True),
    "awareness_rate": (70, 150, 70 / 150, False),
    "family_counselled_share": (3, 5, 0.6, True),
}


@pytest.mark.parametrize("kpi", sorted(SCORECARD_MARCH))
def test_scorecard_county_march(tiny, kpi):
    _, scorecard = tiny
    row = scorecard[
        (scorecard.area_code == COUNTY)
        & (scorecard.month.astype(str) == "2024-03-01")
        & (scorecard.kpi_code == kpi)
    ].iloc[0]
    num, den, actual, met = SCORECARD_MARCH[kpi]
    assert (int(row.n_numerator), int(row.n_denominator)) == (num, den)
    assert row.actual == pytest.approx(actual)
    assert bool(row.is_met) is met


def test_scorecard_township_values(tiny):
    _, scorecard = tiny
    a = scorecard[
        (scorecard.area_code == A) & (scorecard.month.astype(str) == "2024-03-01")
    ].set_index("kpi_code")
    assert a.loc["standard_management_rate", "actual"] == pytest.approx(3 / 4)
    assert a.loc["unstable_case_managed_share", "actual"] == pytest.approx(1.0)
    assert a.loc["studio_village_share", "actual"] == pytest.approx(1.0)
    b = scorecard[
        (scorecard.area_code == B) & (scorecard.month.astype(str) == "2024-01-01")
    ].set_index("kpi_code")
    assert (
        b.loc["unstable_case_managed_share", "actual"]
        != b.loc["unstable_case_managed_share", "actual"]
    )  # NaN
    assert "no records in the denominator" in b.loc["unstable_case_managed_share", "note"]
    assert b.loc["treatment_rate", "actual"] == pytest.approx(0.0)
