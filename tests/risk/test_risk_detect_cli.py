"""The ``xintai detect`` contract: header, one row per input period in input order, R defaults."""

import argparse
import io

import numpy as np
import pandas as pd
import pytest

from pipelines.commands import detect


def _run(capsys, *argv):
    parser = argparse.ArgumentParser(prog="xintai")
    detect.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["detect", *argv])
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def salmonella_csv(salmonella, tmp_path):
    path = tmp_path / "salm.csv"
    salmonella.assign(period=salmonella["period"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    return path


def test_ears_c1_matches_reference(capsys, salmonella_csv):
    code, out, _ = _run(
        capsys, "--method", "ears-c1", "--input", str(salmonella_csv), "--alpha", "0.05"
    )
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["period", "count", "expected", "upperbound", "alarm"]
    assert len(frame) == 470
    assert frame["upperbound"].iloc[365:369].to_numpy() == pytest.approx(
        [3.278854, 3.278854, 3.436517, 3.855617], abs=1e-6
    )
    assert frame["upperbound"].iloc[:7].isna().all()
    assert set(frame["alarm"].unique()) <= {0, 1}


def test_default_alpha_is_rs(capsys, salmonella_csv):
    _, out, _ = _run(capsys, "--method", "ears-c1", "--input", str(salmonella_csv))
    frame = pd.read_csv(io.StringIO(out))
    assert frame["upperbound"].iloc[365] == pytest.approx(4.653683, abs=1e-6)


def test_input_order_kept(capsys, tmp_path):
    periods = pd.date_range("2023-01-01", periods=20, freq="MS")
    counts = np.arange(20) % 5
    frame = pd.DataFrame({"period": periods.strftime("%Y-%m-%d"), "count": counts})
    shuffled = frame.sample(frac=1, random_state=3)
    path = tmp_path / "in.csv"
    shuffled.to_csv(path, index=False)
    _, out, _ = _run(capsys, "--method", "ears-c2", "--input", str(path))
    result = pd.read_csv(io.StringIO(out), dtype={"period": str})
    assert result["period"].tolist() == shuffled["period"].tolist()
    assert result["count"].tolist() == shuffled["count"].tolist()


def test_options_by_r_name(capsys, salmonella_csv):
    code, out, _ = _run(
        capsys,
        "--method",
        "farrington",
        "--input",
        str(salmonella_csv),
        "--alpha",
        "0.01",
        "--option",
        "b=3",
        "--option",
        "pastWeeksNotIncluded=26",
        "--option",
        "limit54=c(5,4)",
        "--option",
        "range=366:470",
    )
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    alarms = frame.loc[frame["alarm"] == 1, "period"].tolist()
    assert "2011-11-07" in alarms and "2012-09-24" in alarms


def test_short_history_gives_empty_rows(capsys, tmp_path):
    path = tmp_path / "short.csv"
    pd.DataFrame(
        {
            "period": pd.date_range("2024-01-01", periods=5, freq="W-MON").strftime("%Y-%m-%d"),
            "count": [1, 2, 3, 4, 5],
        }
    ).to_csv(path, index=False)
    code, out, err = _run(capsys, "--method", "farrington", "--input", str(path))
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 5 and frame["upperbound"].isna().all() and (frame["alarm"] == 0).all()
    assert "needs at least" in err


def test_bad_option_is_an_error(capsys, salmonella_csv):
    code, out, err = _run(
        capsys, "--method", "cusum", "--input", str(salmonella_csv), "--option", "baseline=7"
    )
    assert code == 2 and out == "" and "no option 'baseline'" in err


def test_cli_method_names_match_the_detectors():
    from models.risk.detectors import METHODS
    from pipelines.commands.detect import METHOD_NAMES

    assert set(METHOD_NAMES) == set(METHODS)
