"""Farrington flexible: R ``surveillance``'s own unit cases
(tests/testthat/test-farringtonFlexible.R) and the contract.  Comparisons with R's output on
whole series: test_risk_farrington_r.py.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from models.risk.detectors import FarringtonControl, InsufficientHistoryError, farrington_flexible
from models.risk.detectors.farrington import (
    assign_weights,
    reference_dates,
    reference_design,
    threshold_farrington,
    threshold_noufaily,
)

TEST_START = 365


@pytest.mark.parametrize(
    ("transform", "expected"),
    [
        ("none", [1.3073128, 8.6926872, 0.0907246, 0.8124165]),
        ("1/2", [1.9891097, 9.3744842, 0.1189986, 0.6857951]),
        ("2/3", [1.8084477, 9.1154825, 0.1094727, 0.7289546]),
    ],
)
def test_threshold_farrington_r_unit_cases(transform, expected):
    out = threshold_farrington(np.array(5.0), np.array(0.2), 1.0, transform, 0.05, np.array(8.0))
    got = [float(out[k]) for k in ("lower", "upper", "prob", "score")]
    assert got == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("phi", "method", "expected"),
    [
        (1.5, "muan", [8.0, 24.0, 0.8597797, 0.4193982]),
        (1.0, "muan", [9.0, 22.0, 0.9093099, 0.4605347]),
        (1.5, "nbPlugin", [1.0, 10.0, 0.03763657, 1.11918153]),
        (1.0, "nbPlugin", [2.0, 9.0, 0.01369527, 1.27061541]),
    ],
)
def test_threshold_noufaily_r_unit_cases(phi, method, expected):
    out = threshold_noufaily(
        np.array(np.log(5)), np.array(np.log(2)), phi, 0.05, np.array(11.0), method
    )
    got = [float(out[k]) for k in ("lower", "upper", "prob", "score")]
    assert got == pytest.approx(expected, abs=1e-6)


def test_weights_r_unit_cases():
    mask = np.ones((1, 10), dtype=bool)
    assert assign_weights(np.zeros((1, 10)), 0, mask) == pytest.approx(np.ones((1, 10)))
    s = np.full((1, 10), 2.0)
    s[0, :5] = 0
    w = assign_weights(s, 0, mask)
    assert w[0, :5] == pytest.approx([1.6] * 5)
    assert w[0, 5:] == pytest.approx([0.4] * 5)


def test_reference_dates_r_unit_case():
    got = reference_dates(dt.date(2013, 6, 6), 3, 52)
    assert sorted(got) == [
        dt.date(2010, 6, 3),
        dt.date(2011, 6, 9),
        dt.date(2012, 6, 7),
        dt.date(2013, 6, 6),
    ]


def test_reference_window_length_r_unit_case():
    dates = pd.DatetimeIndex(pd.Timestamp("1990-06-07") + pd.to_timedelta(7 * np.arange(1301), "D"))
    k = int(np.flatnonzero(dates == pd.Timestamp("2013-06-06"))[0]) + 1
    for p in (1, 8):
        control = FarringtonControl(b=3, w=3, noPeriods=p, pastWeeksNotIncluded=0, epochAsDate=True)
        d = reference_design(k, len(dates), 52, control, dates)
        # R: level p marks w + 1 + b (2w + 1) weeks; only week t itself is left out here
        assert int((d.levels == p).sum()) == 3 + 1 + 3 * 7 - 1
        assert len(np.unique(d.levels)) == p


def test_intercept_only_model_by_hand():
    """Without trend and reweighting the GLM is a mean; check R's formulas end to end."""
    rng = np.random.default_rng(7)
    y = rng.poisson(4, 12 * 4).astype(float)
    periods = pd.date_range("2020-01-01", periods=len(y), freq="MS")
    control = FarringtonControl(b=2, w=1, trend=False, reweight=False, limit54=(0, 4))
    out = farrington_flexible(y, periods, control)
    t = len(y) - 1
    ref = np.concatenate([y[t - 13 : t - 10], y[t - 25 : t - 22]])
    mu = ref.mean()
    disp = ((ref - mu) ** 2 / mu).sum() / (len(ref) - 1)
    phi = max(disp, 1.0)
    tau = phi + disp * mu / len(ref) / mu  # se.fit^2 = disp * mu / n on the response scale
    se = np.sqrt(4 / 9 * mu ** (1 / 3) * tau)
    upper = (mu ** (2 / 3) + norm.ppf(0.95) * se) ** 1.5
    assert out["expected"].iloc[t] == pytest.approx(mu, rel=1e-9)
    assert out["upperbound"].iloc[t] == pytest.approx(upper, rel=1e-9)
    first = 12 * 2 + 1 + 1  # R: range starts at freq * b + w + 1 (1-based)
    assert out["upperbound"].iloc[: first - 1].isna().all()
    assert out["upperbound"].iloc[first - 1 :].notna().all()


@pytest.mark.parametrize("epoch_as_date", [False, True])
def test_salmonella_limit54_and_range(salmonella, epoch_as_date):
    """R's output itself is compared in test_risk_farrington_r.py; here the contract."""
    control = FarringtonControl(
        b=3,
        w=3,
        alpha=0.01,
        pastWeeksNotIncluded=26,
        range="366:470",
        epochAsDate=epoch_as_date,
    )
    out = farrington_flexible(salmonella["count"], salmonella["period"], control)
    test = out.iloc[TEST_START:]
    assert out["upperbound"].iloc[:TEST_START].isna().all()
    assert not out["alarm"].iloc[:TEST_START].any()
    # limit54: fewer than 5 cases in the last 4 weeks -> no bound, no expected (R's NA)
    recent = salmonella["count"].rolling(4).sum().iloc[TEST_START:].to_numpy()
    assert test.loc[recent < 5, "upperbound"].isna().all()
    assert test.loc[recent >= 5, "upperbound"].notna().all()
    # an alarm is exactly count > upper bound where a bound exists
    ok = test["upperbound"].notna()
    assert (test.loc[ok, "alarm"] == (test.loc[ok, "count"] > test.loc[ok, "upperbound"])).all()


def test_default_needs_five_years():
    y = np.ones(100)
    periods = pd.date_range("2020-01-06", periods=100, freq="W-MON")
    with pytest.raises(InsufficientHistoryError, match="at least 264"):
        farrington_flexible(y, periods)


def test_population_offset_scales_out():
    rng = np.random.default_rng(3)
    y = rng.poisson(5, 52 * 4).astype(float)
    periods = pd.date_range("2019-01-07", periods=len(y), freq="W-MON")
    control = FarringtonControl(b=3, populationOffset=True)
    a = farrington_flexible(y, periods, control, population=np.full(len(y), 1e4))
    b = farrington_flexible(y, periods, control, population=np.full(len(y), 2e4))
    pd.testing.assert_series_equal(a["upperbound"], b["upperbound"], rtol=1e-8)


def test_noperiods_and_nbplugin_run():
    rng = np.random.default_rng(5)
    y = rng.poisson(8, 52 * 4 + 10).astype(float)
    periods = pd.date_range("2018-01-01", periods=len(y), freq="W-MON")
    control = FarringtonControl(
        b=3, noPeriods=10, pastWeeksNotIncluded=26, thresholdMethod="nbPlugin", alpha=0.1
    )
    out = farrington_flexible(y, periods, control)
    ok = out["upperbound"].notna()
    assert ok.sum() > 0
    assert (out.loc[ok, "upperbound"] == np.floor(out.loc[ok, "upperbound"])).all()
    assert (out["alarm"] == (out["count"] > out["upperbound"]) & (out["count"] > 0)).all()
