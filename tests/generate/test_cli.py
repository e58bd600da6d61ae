"""The ``generate`` subcommand: options, defaults and the JSON summary it prints."""

from __future__ import annotations

import argparse
import json

from pipelines.commands import generate as cmd


def _parser():
    ap = argparse.ArgumentParser()
    cmd.register(ap.add_subparsers(dest="command"))
    return ap


def test_defaults():
    a = _parser().parse_args(["generate"])
    assert (a.scale, a.months, a.seed, a.start, a.home) == (1, 36, 42, "2023-10", None)


def test_run_writes_into_home(tmp_path, monkeypatch, capsys):
    seen = {}

    def fake(landing, truth, **kw):
        seen.update(landing=landing, truth=truth, **kw)
        return {"rows": {}, "files": 0}

    monkeypatch.setattr("pipelines.generate.county.generate", fake)
    a = _parser().parse_args(["generate", "--home", str(tmp_path), "--scale", "2", "--months",
                              "13", "--seed", "5", "--start", "2024-01"])
    assert a.func(a) == 0
    assert seen["landing"] == tmp_path / "landing" and seen["truth"] == tmp_path / "truth"
    assert (seen["scale"], seen["months"], seen["seed"], seen["start"]) == (2, 13, 5, "2024-01")
    assert json.loads(capsys.readouterr().out) == {"rows": {}, "files": 0}


def test_scale_two_counties(tmp_path):
    from pipelines.generate.county import generate

    s = generate(tmp_path / "l", tmp_path / "t", scale=2, months=2, population=15000)
    codes = [c["county_code"] for c in s["counties"]]
    assert codes == ["511321", "511322"]
    assert len({c["name"] for c in s["counties"]}) == 2
    assert (tmp_path / "l/reference/admin_units_511322.csv").exists()
