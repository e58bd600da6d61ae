"""dbt commands run inside the calling process behave as dbt's CLI does for dagster-dbt:
exit status, the JSON event lines it reads, errors it reports."""

import json
import sys
from pathlib import Path

from pipelines.dbt_in_process import DbtInProcess

DBT = str(Path(sys.executable).parent / "xintai-dbt")


def _lines(process: DbtInProcess) -> list[str]:
    with process.stdout:
        return [line.decode().strip() for line in process.stdout]


def test_a_command_dbt_cannot_start_exits_2_and_says_why(tmp_path):
    process = DbtInProcess(
        [DBT, "parse", "--project-dir", str(tmp_path), "--profiles-dir", str(tmp_path)]
    )
    lines = _lines(process)
    assert process.wait(timeout=60) == 2
    assert any("dbt_project.yml" in line for line in lines), lines


def test_events_are_the_json_lines_the_cli_prints(tmp_path):
    """A project with one failing model: dbt's own events (JSON, with info/data as dagster-dbt
    parses them), an error event naming the model, exit status 1 (a failed node)."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "broken.sql").write_text("select * from no_such_table")
    (tmp_path / "dbt_project.yml").write_text(
        "name: probe\nversion: '1.0'\nprofile: probe\nconfig-version: 2\n"
    )
    (tmp_path / "profiles.yml").write_text(
        "probe:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: {tmp_path / 'probe.duckdb'}\n"
    )
    args = ["run", "--project-dir", str(tmp_path), "--profiles-dir", str(tmp_path),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    process = DbtInProcess([DBT, *args])
    events = [json.loads(line) for line in _lines(process)]
    assert process.wait(timeout=120) == 1
    names = {e["info"]["name"] for e in events}
    assert {"MainReportVersion", "LogModelResult"} <= names
    errors = [e["info"]["msg"] for e in events if e["info"]["level"] == "error"]
    assert any("no_such_table" in m for m in errors), errors
    assert all(e["info"]["level"] in ("info", "warn", "error") for e in events)
    assert not list(tmp_path.glob("*.wal"))  # the store was closed as at a CLI exit
