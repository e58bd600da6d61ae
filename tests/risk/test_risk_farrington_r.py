"""Farrington flexible against R ``surveillance::farringtonFlexible`` output, to 1e-6.

``data/r_farrington/`` holds what R returned (expected, upper bound, alarm for every monitored
period) on the Salmonella series of the shared reference folder and on held-out series from
the R package's own data (16 regional Salmonella Newport series, hospitalised Salmonella,
Campylobacter with 53-week years, hepatitis A, monthly rotavirus, MOMO deaths with population),
with the issue's parameters (b = 3, w = 3, alpha = 0.01, weightsThreshold = 2.58,
pastWeeksNotIncluded = 26) and variants (noPeriods, nbPlugin/muan thresholds, no reweighting,
population offset, index or Date epochs).  ``make_reference.R`` there regenerates the files;
``cases.csv`` names each call's control list, so the tests take nothing from this file.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.risk.detectors import FarringtonControl, farrington_flexible
from models.risk.detectors.base import parse_range, prepare_series
from models.risk.detectors.farrington import farrington_arrays

DATA = Path(__file__).resolve().parent / "data" / "r_farrington"
CASES = pd.read_csv(DATA / "cases.csv")
TOL = 1e-6


@pytest.fixture(scope="module")
def r_output() -> pd.DataFrame:
    return pd.read_csv(DATA / "output.csv", parse_dates=["period"])


@pytest.fixture(scope="module")
def series(salmonella) -> dict[str, pd.DataFrame]:
    """series name -> wide frame (index period, one column per series_id)."""
    long = pd.read_csv(DATA / "series.csv", parse_dates=["period"])
    long["name"] = long["series_id"].str.split("/").str[0]
    out = {
        name: {
            "count": g.pivot(index="period", columns="series_id", values="count"),
            "population": g.pivot(index="period", columns="series_id", values="population"),
        }
        for name, g in long.groupby("name")
    }
    s = salmonella.set_index("period")["count"].rename("salmonella/1").to_frame()
    out["salmonella"] = {"count": s, "population": s * np.nan}
    return out


def control_of(case: pd.Series) -> FarringtonControl:
    return FarringtonControl(
        range=case["range"],
        b=int(case["b"]),
        w=int(case["w"]),
        alpha=float(case["alpha"]),
        weightsThreshold=float(case["weightsThreshold"]),
        pastWeeksNotIncluded=int(case["pastWeeksNotIncluded"]),
        reweight=bool(case["reweight"]),
        trend=bool(case["trend"]),
        powertrans=str(case["powertrans"]),
        noPeriods=int(case["noPeriods"]),
        thresholdMethod=str(case["thresholdMethod"]),
        populationOffset=bool(case["populationOffset"]),
        epochAsDate=bool(case["epochAsDate"]),
    )


def assert_matches_r(ours: pd.DataFrame, r: pd.DataFrame, label: str) -> None:
    """Same NA pattern, values within 1e-6, identical alarms; failures name the periods."""
    merged = r.merge(ours, on="period", suffixes=("_r", ""), validate="1:1")
    assert len(merged) == len(r), f"{label}: periods missing from our output"
    for col in ("expected", "upperbound"):
        a, b = merged[col].to_numpy(float), merged[f"{col}_r"].to_numpy(float)
        bad = ~np.isclose(a, b, rtol=0, atol=TOL, equal_nan=True)
        assert not bad.any(), (
            f"{label} {col}: {bad.sum()} of {len(bad)} periods differ from R, first "
            f"{merged.loc[bad, ['period', col, f'{col}_r']].head(5).to_dict('records')}"
        )
    wrong = merged["alarm"].astype(int) != merged["alarm_r"]
    assert not wrong.any(), f"{label} alarms differ: {merged.loc[wrong, 'period'].tolist()}"


@pytest.mark.parametrize("case_id", CASES["case_id"].tolist())
def test_batched_port_matches_r(case_id, series, r_output):
    """The production path: every series of a case in one ``farrington_arrays`` call."""
    case = CASES.set_index("case_id").loc[case_id]
    counts = series[case["series"]]["count"]
    pop = series[case["series"]]["population"]
    control = control_of(case)
    freq = prepare_series(np.zeros(len(counts)), counts.index).freq
    monitored = parse_range(case["range"], len(counts))
    res = farrington_arrays(
        counts.to_numpy(float).T,
        counts.index,
        freq,
        control,
        pop.to_numpy(float).T if control.populationOffset else None,
        monitored,
    )
    r_case = r_output[r_output["case_id"] == case_id]
    assert set(r_case["series_id"]) == set(counts.columns)
    for i, sid in enumerate(counts.columns):
        ours = pd.DataFrame(
            {
                "period": counts.index,
                "expected": res["expected"][i],
                "upperbound": res["upperbound"][i],
                "alarm": res["alarm"][i],
            }
        )
        r = r_case[r_case["series_id"] == sid].drop(columns=["case_id", "series_id"])
        assert_matches_r(ours, r, f"{case_id} {sid}")


@pytest.mark.parametrize(
    "case_id", CASES.loc[CASES["series"].isin(["salmonella", "campyDE"]), "case_id"].tolist()
)
def test_public_function_matches_r(case_id, series, r_output):
    """``farrington_flexible`` on one series (what ``xintai detect`` calls)."""
    case = CASES.set_index("case_id").loc[case_id]
    counts = series[case["series"]]["count"].iloc[:, 0]
    out = farrington_flexible(counts.to_numpy(), counts.index, control_of(case))
    r = r_output[r_output["case_id"] == case_id].drop(columns=["case_id", "series_id"])
    assert_matches_r(out, r, case_id)
    # outside the monitored range: no bound, no alarm (R returns only the range)
    outside = ~out["period"].isin(r["period"])
    assert out.loc[outside, "upperbound"].isna().all() and not out.loc[outside, "alarm"].any()


def test_r_output_exercises_what_it_claims(r_output):
    """Guard against a reference file that would make the comparisons vacuous."""
    per_case = r_output.groupby("case_id")
    assert (per_case["upperbound"].count() > 20).all()
    assert r_output["alarm"].sum() > 50
    regions = r_output.loc[r_output["series_id"].str.startswith("salmNewport/"), "series_id"]
    assert regions.nunique() == 16
    # the Salmonella alarm at 2011-08-29 that depends on R's weights quirk (see farrington.py)
    salm = r_output[r_output["case_id"] == "salmonella_date"].set_index("period")
    assert salm.loc["2011-08-29", "alarm"] == 1
