"""Many series at once must equal one series at a time; method choice by history."""

import numpy as np
import pandas as pd
import pytest

from models.risk.detectors import (
    CusumControl,
    EarsControl,
    FarringtonControl,
    choose_method,
    cusum,
    detect_auto,
    detect_many,
    earsc,
    farrington_flexible,
)


def _long(n_series: int, n_periods: int, freq: str = "MS") -> pd.DataFrame:
    rng = np.random.default_rng(11)
    periods = pd.date_range("2019-01-01", periods=n_periods, freq=freq)
    rows = []
    for s in range(n_series):
        counts = rng.poisson(3 + s, n_periods)
        rows.append(
            pd.DataFrame(
                {"town": f"t{s}", "indicator": "petitions", "period": periods, "count": counts}
            )
        )
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize(
    ("method", "control", "single"),
    [
        ("ears-c3", EarsControl(method="C3"), earsc),
        ("cusum", CusumControl(), cusum),
        ("farrington", FarringtonControl(b=3), farrington_flexible),
    ],
)
def test_vectorised_equals_single(method, control, single):
    frame = _long(4, 12 * 4 + 6)
    before = frame.copy()
    many = detect_many(frame, keys=["town", "indicator"], method=method, control=control)
    pd.testing.assert_frame_equal(frame, before)
    for town, grp in many.groupby("town"):
        src = frame[frame["town"] == town]
        one = single(src["count"], src["period"], control)
        for col in ("expected", "upperbound", "alarm"):
            np.testing.assert_allclose(
                grp[col].to_numpy(float), one[col].to_numpy(float), rtol=1e-9, equal_nan=True
            )


def test_ragged_groups_fall_back_to_loop():
    frame = _long(3, 30)
    frame = frame[~((frame["town"] == "t1") & (frame.index % 30 < 5))]
    many = detect_many(frame, keys=["town"], method="ears-c1")
    assert len(many) == len(frame)
    assert set(many["method"]) == {"ears-c1"}


def test_choose_method_by_history():
    assert choose_method(36, 12).method == "ears-c1"
    sel = choose_method(12 * 3 + 4, 12)
    assert sel.method == "farrington" and sel.control.b == 3
    assert choose_method(52 * 7, 52).control.b == 5


def test_detect_auto_records_choice():
    frame = _long(1, 40)
    selection, out = detect_auto(frame["count"], frame["period"])
    assert selection.method == "farrington" and out.attrs["method"] == "farrington"
    many = detect_many(_long(2, 20), keys=["town"])
    assert set(many["method"]) == {"ears-c1"}
