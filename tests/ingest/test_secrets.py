"""No plaintext row data in restricted.duckdb and no key in the repository, the stores or logs.

Ingests a petitions file full of direct identifiers with a key created on first use (no
environment variable), then scans the bytes of every file under the warehouse folder (as
``strings`` would, and for the UTF-8 bytes of Chinese values), the captured logs and output,
and the git repository.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd

from tests.ingest.conftest import ADMIN_CSV, COUNTY_A, TOWN_A1, make_id

REPO = Path(__file__).resolve().parents[2]
NAME, PHONE, ID = "欧阳建国", "13912345678", make_id("19700101", "555")
CONTENT = "收到欧阳建国反映小区电梯长期故障，电话13912345678，请尽快维修"
PETITIONS = (
    "\n".join(
        [
            "信访件编号,受理日期,信访形式,乡镇代码,信访人身份证号,信访人姓名,联系电话,是否集体访,人数,是否重复信访,诉求内容,办理状态",
            f"XF2024000123,2024-01-05,来访,{TOWN_A1},{ID},{NAME},{PHONE},否,1,否,{CONTENT},已受理",
        ]
    )
    + "\n"
)


def _ingest(home: Path) -> None:
    from models.privacy.pseudonym import Pseudonymiser
    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import ingest_files
    from pipelines.ingest.references import reference_sets
    from pipelines.settings import home as layout_of
    from pipelines.warehouse import connect_restricted

    layout = layout_of(home)
    for source, name, text in [
        ("reference", f"admin_units_{COUNTY_A}.csv", ADMIN_CSV),
        ("petitions", f"petitions_{COUNTY_A}_2024-01.csv", PETITIONS),
    ]:
        (layout.landing / source).mkdir(parents=True, exist_ok=True)
        (layout.landing / source / name).write_text(text, encoding="utf-8")
    con = connect_restricted(layout)
    contracts = load_contracts()
    pseudonymiser = Pseudonymiser.from_env(home)
    for dataset in ("admin_units", "petitions"):
        paths = sorted((layout.landing / contracts[dataset].source).glob(f"{dataset}*"))
        [result] = ingest_files(
            con, contracts[dataset], paths, pseudonymiser, reference_sets(con), pd.Timestamp.now()
        )
        assert result.rows_loaded == 1 or dataset == "admin_units", result
    row = con.execute("select petitioner_pid, content from raw_petitions").fetchone()
    assert row[0] == pseudonymiser.id_pid(ID) and NAME not in row[1] and PHONE not in row[1]
    con.execute("checkpoint")
    con.close()


def _strings(data: bytes, minimum: int = 6) -> set[str]:
    return {m.decode() for m in re.findall(rb"[\x20-\x7e]{%d,}" % minimum, data)}


def test_no_plaintext_and_no_key_anywhere(isolated_home, monkeypatch, caplog, capfd):
    monkeypatch.delenv("XINTAI_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("XINTAI_WAREHOUSE_KEY", raising=False)
    caplog.set_level(logging.DEBUG)
    _ingest(isolated_home)

    keys = {p.name: p.read_text().strip() for p in (isolated_home / "secrets").glob("*.key")}
    assert set(keys) == {"pseudonym.key", "warehouse.key"}
    for path in (isolated_home / "secrets").iterdir():
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} readable by others"

    stored = [p for p in (isolated_home / "warehouse").rglob("*") if p.is_file()]
    assert any(p.name == "restricted.duckdb" for p in stored)
    plaintext = [NAME, PHONE, ID, CONTENT, "XF2024000123", "小区电梯长期故障", TOWN_A1]
    for path in stored:
        data = path.read_bytes()
        for value in plaintext:
            assert value.encode("utf-8") not in data, f"{value!r} in plain text in {path.name}"
        found = _strings(data)
        for value in plaintext + list(keys.values()):
            assert not any(value in s for s in found), f"{value!r} in strings of {path.name}"
        for key in keys.values():
            assert bytes.fromhex(key) not in data and key.encode() not in data, (
                f"key in {path.name}"
            )

    if shutil.which("strings"):  # the real tool, as an auditor would run it
        out = subprocess.run(
            ["strings", "-n", "6", str(isolated_home / "warehouse" / "restricted.duckdb")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert not any(v in out for v in [PHONE, ID, "XF2024000123", TOWN_A1, *keys.values()])

    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    for key in keys.values():
        assert key not in logs and key.upper() not in logs

    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files"], capture_output=True, text=True
    ).stdout
    assert not [f for f in tracked.splitlines() if f.endswith(".key") or "/secrets/" in f]
    for key in keys.values():
        grep = subprocess.run(
            ["git", "-C", str(REPO), "grep", "-I", "-l", "-F", key], capture_output=True, text=True
        )
        assert grep.stdout == "", f"key found in the repository: {grep.stdout}"
