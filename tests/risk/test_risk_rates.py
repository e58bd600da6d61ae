"""Rates and intervals against PHEindicatormethods reference values (shared/reference/README)."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from models.risk import rates


@pytest.mark.parametrize(
    ("observed", "lower", "upper"),
    [
        (65, 50.163187710459454, 82.84913854593984),
        (1045, 982.5932018073325, 1110.33121298565),
    ],
)
def test_byar_reference(observed, lower, upper):
    assert rates.byar_lower(observed) == pytest.approx(lower, abs=1e-9)
    assert rates.byar_upper(observed) == pytest.approx(upper, abs=1e-9)


def test_wilson_reference():
    lo, hi = rates.wilson_ci(65, 100)
    assert lo == pytest.approx(0.5525444329688797, abs=1e-9)
    assert hi == pytest.approx(0.7363575175690247, abs=1e-9)


def test_vectorised_over_dataframe_columns():
    frame = pd.DataFrame({"x": [65, 1045], "n": [100_000, 1_000_000]})
    out = rates.rate_ci(frame["x"], frame["n"], multiplier=100_000, method="byar")
    assert out["rate"].tolist() == pytest.approx([65.0, 104.5])
    assert out.loc[0, "lower"] == pytest.approx(50.163187710459454, abs=1e-9)
    assert out.loc[1, "upper"] == pytest.approx(111.033121298565, abs=1e-9)
    assert frame["x"].tolist() == [65, 1045]  # input untouched


def test_phe_rule_uses_exact_below_ten():
    lo, hi = rates.count_ci([0, 3, 65])
    assert lo[0] == 0.0
    assert hi[0] == pytest.approx(chi2.ppf(0.975, 2) / 2)
    assert lo[1] == pytest.approx(chi2.ppf(0.025, 6) / 2)
    assert hi[2] == pytest.approx(82.84913854593984, abs=1e-9)


def test_per_10k_and_zero_population():
    out = rates.rate_ci([5, 5], [20_000, 0], multiplier=10_000)
    assert out["rate"].iloc[0] == pytest.approx(2.5)
    assert np.isnan(out["rate"].iloc[1])


def test_proportion_frame():
    out = rates.proportion_ci([65], [100])
    assert out["value"].iloc[0] == 0.65
    with pytest.raises(ValueError, match="numerator"):
        rates.proportion_ci([5], [4])


def test_dsr_dobson_by_hand():
    frame = pd.DataFrame(
        {
            "town": ["a"] * 3,
            "count": [10, 20, 40],
            "population": [1000, 2000, 1000],
            "standard_population": [3000, 5000, 2000],
        }
    )
    out = rates.dsr(frame, by=["town"], multiplier=100_000, method="byar")
    w = np.array([3000, 5000, 2000.0])
    x = np.array([10, 20, 40.0])
    n = np.array([1000, 2000, 1000.0])
    value = (w * x / n).sum() / w.sum()
    var = (w**2 * x / n**2).sum() / w.sum() ** 2
    o = x.sum()
    lower = value + np.sqrt(var / o) * (rates.byar_lower(o) - o)
    upper = value + np.sqrt(var / o) * (rates.byar_upper(o) - o)
    assert out["rate"].iloc[0] == pytest.approx(value * 1e5)
    assert out["lower"].iloc[0] == pytest.approx(lower * 1e5)
    assert out["upper"].iloc[0] == pytest.approx(upper * 1e5)


def test_eb_global_by_hand():
    x = np.array([1.0, 60.0, 5.0])
    n = np.array([200.0, 20_000.0, 1_000.0])
    p = x / n
    m = x.sum() / n.sum()
    a = (n * (p - m) ** 2).sum() / n.sum() - m / n.mean()
    a = max(a, 0.0)
    expected = m + a / (a + m / n) * (p - m) if a > 0 else np.full(3, m)
    assert rates.eb_global(x, n) == pytest.approx(expected)
    # small area shrinks more than the large one
    smoothed = rates.eb_global(x, n)
    assert abs(smoothed[0] - m) <= abs(p[0] - m)


def test_eb_local_all_neighbours_equals_global():
    x = np.array([1.0, 60.0, 5.0, 7.0])
    n = np.array([200.0, 20_000.0, 1_000.0, 3_000.0])
    everyone = np.ones((4, 4))
    assert rates.eb_local(x, n, everyone) == pytest.approx(rates.eb_global(x, n))
    lists = [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]
    assert rates.eb_local(x, n, lists) == pytest.approx(rates.eb_global(x, n))
