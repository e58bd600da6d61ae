"""CUSUM against R ``surveillance::algo.cusum`` (epysurv tests/data/Cusum_pred.csv, Salmonella,
m = mean of the training weeks, k = 1.04, h = 2.26, trans = "standard") and by hand."""

import numpy as np
import pandas as pd
import pytest

from models.risk.detectors import CusumControl, cusum

EPYSURV_FIRST_ALARM = "2011-10-31"  # then every week to 2012-12-31 (62 alarms)


def test_salmonella_alarms_match_r(salmonella):
    out = cusum(salmonella["count"], salmonella["period"], CusumControl(range="366:470"))
    test = out.iloc[365:]
    got = [str(p.date()) for p in test.loc[test["alarm"], "period"]]
    assert len(got) == 62
    assert got[0] == EPYSURV_FIRST_ALARM and got[-1] == "2012-12-31"
    assert test["alarm"].iloc[test.index.get_loc(test.index[0]) :].sum() == 62
    assert test["expected"].iloc[0] == pytest.approx(salmonella["count"].iloc[:365].mean())


def test_hand_computed():
    y = np.array([2, 2, 2, 2, 2, 6, 6, 2], dtype=float)
    periods = pd.date_range("2024-01-01", periods=8, freq="MS")
    out = cusum(y, periods, CusumControl(range="5:8"))
    # m = 2; z = (x - 2)/sqrt(2) = 0, 2.828, 2.828, 0; S = 0, 1.788, 3.577, 2.537
    assert out["alarm"].tolist() == [False] * 6 + [True, True]
    assert out["upperbound"].iloc[4:].tolist() == [7, 7, 5, 2]
    assert out["upperbound"].iloc[:4].isna().all()
    reset = cusum(y, periods, CusumControl(range="5:8", reset=True))
    assert reset["alarm"].iloc[4:].tolist() == [False, False, True, False]
