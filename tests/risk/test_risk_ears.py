"""EARS C1/C2/C3 against R ``surveillance::earsC``.

Golden values: R's own test (tests/testthat/test-earsC.R: first four C1 bounds, alpha 0.05) and
shared/reference/README.md (alarm weeks); C2/C3 alarm weeks at alpha = 0.001 from epysurv's
regression files tests/data/EarsC{2,3}_pred.csv, which were produced by R ``earsC``.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from models.risk.detectors import EarsControl, InsufficientHistoryError, earsc

TEST_START = 365  # 0-based position of 2011-01-03, the first test week

GOLDEN = {
    ("C1", 0.05): (
        [3.278854, 3.278854, 3.436517, 3.855617],
        "2011-08-01 2011-08-29 2011-10-24 2011-10-31 2011-11-07 2011-11-14 2012-06-11 "
        "2012-06-25 2012-09-10 2012-09-24 2012-10-22",
    ),
    ("C1", 0.001): (
        [4.653683, 4.653683, 5.075423, 5.611731],
        "2011-08-01 2011-10-31 2011-11-07 2012-06-11 2012-06-25",
    ),
    ("C2", 0.001): (
        None,
        "2011-08-01 2011-10-31 2011-11-07 2011-11-14 2011-11-21 2012-06-11 2012-06-25",
    ),
    ("C3", 0.001): (
        None,
        "2011-11-14 2011-11-21 2011-11-28 2011-12-05 2012-07-02 2012-07-09",
    ),
}


@pytest.mark.parametrize(("method", "alpha"), list(GOLDEN))
def test_salmonella_golden(salmonella, method, alpha):
    bounds, alarms = GOLDEN[(method, alpha)]
    control = EarsControl(method=method, alpha=alpha, baseline=7, minSigma=0)
    out = earsc(salmonella["count"], salmonella["period"], control).iloc[TEST_START:]
    if bounds is not None:
        assert out["upperbound"].iloc[:4].to_numpy() == pytest.approx(bounds, abs=1e-6)
    got = [str(p.date()) for p in out.loc[out["alarm"], "period"]]
    assert got == alarms.split()


LINEAR = np.arange(1.0, 13.0)
PERIODS = pd.date_range("2024-01-01", periods=12, freq="W-MON")


def test_c1_hand_computed():
    # window of three consecutive integers: mean = y_t - 2, sd = 1
    out = earsc(LINEAR, PERIODS, EarsControl(method="C1", baseline=3))
    z = norm.ppf(0.999)
    assert out["upperbound"].iloc[:3].isna().all()
    assert out["upperbound"].iloc[3:].to_numpy() == pytest.approx(LINEAR[3:] - 2 + z)
    assert out["expected"].iloc[3] == 2.0
    assert not out["alarm"].any()


def test_c2_hand_computed():
    out = earsc(LINEAR, PERIODS, EarsControl(method="C2", baseline=3))
    z = norm.ppf(0.999)
    assert out["upperbound"].iloc[:5].isna().all()
    assert out["upperbound"].iloc[5:].to_numpy() == pytest.approx(LINEAR[5:] - 4 + z)


def test_c3_hand_computed_is_rs_formula():
    # C2 statistic is (y_s - y_{s-4}) / 1 = 4 every week; R: bound = y_t + sd * (z - 2 * (4 - 1))
    out = earsc(LINEAR, PERIODS, EarsControl(method="C3", baseline=3))
    z = norm.ppf(1 - 0.025)  # R's default alpha for C3
    assert out["upperbound"].iloc[:7].isna().all()
    assert out["upperbound"].iloc[7:].to_numpy() == pytest.approx(LINEAR[7:] + z - 6)
    assert out["alarm"].iloc[7:].all()


def test_min_sigma_and_flat_series():
    flat = np.full(10, 2.0)
    out = earsc(flat, PERIODS[:10], EarsControl(method="C1", minSigma=0.5, alpha=0.05))
    assert out["upperbound"].iloc[7] == pytest.approx(2 + norm.ppf(0.95) * 0.5)
    c3 = earsc(flat, PERIODS[:10], EarsControl(method="C3", baseline=3))
    assert c3["upperbound"].isna().all()  # R: 0/0 -> NaN bound, NA alarm
    assert not c3["alarm"].any()


def test_input_order_and_no_mutation():
    counts = pd.Series(LINEAR.copy())
    shuffled = np.random.default_rng(1).permutation(12)
    periods = pd.Series(PERIODS[shuffled])
    values = counts[shuffled].reset_index(drop=True)
    before = values.copy()
    out = earsc(values, periods, EarsControl(method="C1", baseline=3))
    pd.testing.assert_series_equal(values, before)
    assert (out["period"].to_numpy() == periods.to_numpy()).all()
    ordered = earsc(LINEAR, PERIODS, EarsControl(method="C1", baseline=3))
    back = out.sort_values("period").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, ordered)


def test_insufficient_history_names_need():
    with pytest.raises(InsufficientHistoryError, match="at least 8"):
        earsc(LINEAR[:7], PERIODS[:7], EarsControl())


def test_r_argument_checks():
    with pytest.raises(ValueError, match="Minimum baseline"):
        EarsControl(baseline=2)
    with pytest.raises(ValueError, match="minSigma"):
        EarsControl(minSigma=-2)


def test_gap_in_periods_is_refused():
    periods = PERIODS.delete(5)
    with pytest.raises(ValueError, match="not regularly spaced"):
        earsc(LINEAR[:11], periods, EarsControl())
