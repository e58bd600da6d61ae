"""A small restricted store with reference data, and helpers to ingest one landing file.

Two counties (511321 and 511322) each have a 城关镇, so township names only resolve within the
county a file is for; one school; a fixed pseudonym key (tests/conftest.py sets the home).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from models.privacy.idnumber import check_digit

COUNTY_A, COUNTY_B = "511321", "511322"
TOWN_A1, TOWN_A2 = f"{COUNTY_A}100000", f"{COUNTY_A}101000"
TOWN_B1 = f"{COUNTY_B}100000"
VILLAGE_A1 = f"{COUNTY_A}100201"
SCHOOL = "1511321018"
PSEUDONYM_KEY = "11" * 32


def make_id(birth: str = "20100302", serial: str = "123") -> str:
    body = COUNTY_A + birth + serial
    return body + check_digit(body)


ADMIN_CSV = (
    "\n".join(
        [
            "统计用区划代码,名称,级别,上级代码",
            f"{COUNTY_A}000000,甲县,区县,",
            f"{TOWN_A1},城关镇,乡镇,{COUNTY_A}000000",
            f"{TOWN_A2},河西乡,乡镇,{COUNTY_A}000000",
            f"{VILLAGE_A1},东街社区,社区,{TOWN_A1}",
            f"{COUNTY_B}000000,乙县,区县,",
            f"{TOWN_B1},城关镇,乡镇,{COUNTY_B}000000",
        ]
    )
    + "\n"
)
SCHOOLS_CSV = (
    "学校代码,学校名称,乡镇代码,学段,在校生数,是否设心理辅导室,心理教师折合数\n"
    f"{SCHOOL},城关一中,{TOWN_A1},初中,800,是,1.5\n"
)


@dataclass
class Env:
    con: object
    landing: Path
    pseudonymiser: object

    def write(self, source: str, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.landing / source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    def ingest(self, dataset: str, path: Path):
        from pipelines.ingest.contracts import load_contracts
        from pipelines.ingest.load import ingest_files
        from pipelines.ingest.references import reference_sets

        contract = load_contracts()[dataset]
        [result] = ingest_files(
            self.con,
            contract,
            [path],
            self.pseudonymiser,
            reference_sets(self.con),
            pd.Timestamp.now(),
        )
        return result

    def quarantine(self, file_name: str) -> list[tuple[int, str, str, dict]]:
        rows = self.con.execute(
            "select row_number, field, reason, raw_json from raw_quarantine where file_name = ? order by 1",
            [file_name],
        ).fetchall()
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def registry(self, file_name: str) -> list[dict]:
        cur = self.con.execute(
            "select * from raw_file_registry where file_name = ? order by ingested_at", [file_name]
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def rows(self, table: str) -> list[dict]:
        cur = self.con.execute(f"select * from {table} order by _row_number")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def assert_reconciles(self) -> None:
        """rows in = loaded + quarantined for every registered file, and the quarantine
        holds exactly the rows the registry says."""
        bad = self.con.execute("""
            select r.file_name, r.rows_in, r.rows_loaded, r.rows_quarantined, coalesce(q.n, 0)
            from raw_file_registry r
            left join (select file_id, count(*) n from raw_quarantine group by 1) q using (file_id)
            where r.rows_in <> r.rows_loaded + r.rows_quarantined or r.rows_quarantined <> coalesce(q.n, 0)
        """).fetchall()
        assert bad == []


@pytest.fixture
def env(isolated_home, monkeypatch):
    from models.privacy.pseudonym import Pseudonymiser
    from pipelines.settings import home
    from pipelines.warehouse import connect_restricted

    monkeypatch.setenv("XINTAI_PSEUDONYM_KEY", PSEUDONYM_KEY)
    layout = home(isolated_home)
    con = connect_restricted(layout)
    e = Env(con, layout.landing, Pseudonymiser(bytes.fromhex(PSEUDONYM_KEY)))
    assert (
        e.ingest(
            "admin_units", e.write("reference", f"admin_units_{COUNTY_A}.csv", ADMIN_CSV)
        ).status
        == "loaded"
    )
    assert (
        e.ingest("schools", e.write("schools", f"schools_{COUNTY_A}.csv", SCHOOLS_CSV)).status
        == "loaded"
    )
    yield e
    con.close()


__all__ = [
    "Env",
    "make_id",
    "COUNTY_A",
    "COUNTY_B",
    "TOWN_A1",
    "TOWN_A2",
    "TOWN_B1",
    "SCHOOL",
    "os",
]
