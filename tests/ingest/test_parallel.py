"""Parallel ingestion (files prepared in worker processes) loads exactly what a serial one does.

The same landing files, with every awkward case at once (PII in free text and the record's
own name, a duplicate key within a file and across files, a ragged row that sends a file to
the exact reader, a header of another dataset, a binary file, a corrected resubmission, the
same bytes twice under two names), are ingested into two stores: once in this process, once
by two workers. Tables, quarantine, registry and results must be identical.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.ingest.conftest import ADMIN_CSV, COUNTY_A, PSEUDONYM_KEY, TOWN_A1, make_id

HEADER = (
    "信访件编号,受理日期,信访形式,乡镇代码,信访人身份证号,信访人姓名,联系电话,"
    "是否集体访,人数,是否重复信访,诉求内容,办理状态"
)


def p_row(case: str, date: str, name: str = "欧阳建国", serial: str = "123") -> str:
    pid = make_id("19700101", serial)
    text = f"{name}反映小区电梯长期故障，电话13912345678，身份证{pid}，请尽快维修"
    return f"{case},{date},来访,{TOWN_A1},{pid},{name},13912345678,否,1,否,{text},已受理"


def petitions(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


FILES = {
    f"petitions_{COUNTY_A}_2024-01.csv": petitions(
        p_row("XF1", "2024-01-05"),
        p_row("XF2", "2024-01-06", "李四", "124"),
        p_row("XF1", "2024-01-07"),  # duplicate within the file
        p_row("XF3", "2024-13-01"),  # bad date
    ),
    f"petitions_{COUNTY_A}_2024-01 (1).csv": None,  # the same bytes as 2024-01
    f"petitions_{COUNTY_A}_2024-02.csv": petitions(
        p_row("XF2", "2024-02-01"),  # duplicate of a row of another file
        p_row("XF4", "2024-02-02", "王五", "125"),
    ),
    f"petitions_{COUNTY_A}_2024-02_v2.csv": petitions(  # supersedes 2024-02
        p_row("XF4", "2024-02-02", "王五", "125"),
        p_row("XF5", "2024-02-03", "赵六", "126"),
    ),
    f"petitions_{COUNTY_A}_2024-03.csv": petitions(
        p_row("XF6", "2024-03-01"),
        p_row("XF7", "2024-03-02") + ",extra,fields",  # ragged: the exact reader
        p_row("XF8", "2024-03-03", "孙七", "127"),
    ),
    f"petitions_{COUNTY_A}_2024-04.csv": (  # a maternal screening header
        "筛查编号,筛查日期,乡镇代码,年龄,孕产期,EPDS得分\nM1,2024-04-01,x,1,产后,3\n"
    ),
    f"petitions_{COUNTY_A}_2024-05.csv": b"\x00\x01binary",
}


def _store(home: Path, monkeypatch):
    from models.privacy.pseudonym import Pseudonymiser
    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import ingest_files
    from pipelines.ingest.references import reference_sets
    from pipelines.settings import home as layout_of
    from pipelines.warehouse import connect_restricted

    monkeypatch.setenv("XINTAI_HOME", str(home))
    layout = layout_of(home)
    con = connect_restricted(layout)
    admin = layout.landing / "reference" / f"admin_units_{COUNTY_A}.csv"
    admin.parent.mkdir(parents=True, exist_ok=True)
    admin.write_text(ADMIN_CSV, encoding="utf-8")
    pseudonymiser = Pseudonymiser(bytes.fromhex(PSEUDONYM_KEY))
    ingest_files(
        con,
        load_contracts()["admin_units"],
        [admin],
        pseudonymiser,
        reference_sets(con),
        pd.Timestamp.now(),
    )
    return con, layout, pseudonymiser


def _write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    first = FILES[f"petitions_{COUNTY_A}_2024-01.csv"]
    for name, content in FILES.items():
        data = content if content is not None else first
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return sorted(folder.iterdir())


def _load(home: Path, monkeypatch, workers: int, now: pd.Timestamp):
    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import ingest_files
    from pipelines.ingest.references import reference_sets

    con, layout, pseudonymiser = _store(home, monkeypatch)
    paths = _write(layout.landing / "petitions")
    contract = load_contracts()["petitions"]
    results = ingest_files(
        con, contract, paths, pseudonymiser, reference_sets(con), now, workers=workers
    )
    again = ingest_files(
        con, contract, paths, pseudonymiser, reference_sets(con), now, workers=workers
    )
    state = {
        "results": [r.as_dict() for r in results],
        "again": [r.status for r in again],
        "rows": con.execute("select * from raw_petitions order by all").fetchall(),
        "texts": [
            r[0] for r in con.execute("select content from raw_petitions order by all").fetchall()
        ],
        "quarantine": con.execute("select * from raw_quarantine order by all").fetchall(),
        "registry": con.execute(
            "select * exclude (ingested_at) from raw_file_registry order by all"
        ).fetchall(),
    }
    con.close()
    return state


def test_parallel_ingest_equals_serial(tmp_path, monkeypatch):
    now = pd.Timestamp.now()
    serial = _load(tmp_path / "serial", monkeypatch, 0, now)
    parallel = _load(tmp_path / "parallel", monkeypatch, 2, now)
    assert parallel == serial

    statuses = [r["status"] for r in serial["results"]]
    assert statuses == ["loaded", "unchanged", "loaded", "loaded", "loaded", "failed", "failed"]
    assert set(serial["again"]) == {"unchanged"}
    reasons = [q[5] for q in serial["quarantine"]]
    assert "case_no: duplicate of row 2 of this file" in reasons
    assert any("duplicate of a row already loaded" in r for r in reasons)  # across files
    assert any(q[4] == "row" and "fields" in q[5] for q in serial["quarantine"])  # ragged row
    texts = " ".join(serial["texts"])
    assert "欧阳建国" not in texts and "13912345678" not in texts and "〔姓名〕" in texts
    in_ = sum(r["rows_in"] for r in serial["results"])
    done = sum(r["rows_loaded"] + r["rows_quarantined"] for r in serial["results"])
    assert in_ == done


def test_an_unexpected_error_in_a_worker_is_raised_in_the_loader(tmp_path, monkeypatch):
    """A worker's unexpected error reaches the loader (which rolls the file back and raises,
    as a serial load does); files before it were prepared normally."""
    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.prepare import IngestWorkerError, preparation
    from pipelines.ingest.references import reference_sets

    con, layout, pseudonymiser = _store(tmp_path / "home", monkeypatch)
    folder = layout.landing / "petitions"
    folder.mkdir(parents=True)
    good = folder / f"petitions_{COUNTY_A}_2024-01.csv"
    good.write_text(petitions(p_row("XF1", "2024-01-05")), encoding="utf-8")
    broken = folder / f"petitions_{COUNTY_A}_2024-02.csv"
    broken.mkdir()  # a directory named like a file: reading it fails unexpectedly
    (broken / "x").write_text("x")
    contract, refs = load_contracts()["petitions"], reference_sets(con)
    with preparation(contract, pseudonymiser, refs, pd.Timestamp.now(), [good, broken], 2) as src:
        [batch] = list(src.batches(0, good, False))
        assert batch.rows_in == batch.rows.num_rows == 1
        with pytest.raises(IngestWorkerError, match="IsADirectoryError"):
            list(src.batches(1, broken, False))
    con.close()


def test_pseudonymiser_pickles_only_into_a_starting_process():
    import pickle

    from models.privacy.pseudonym import Pseudonymiser

    with pytest.raises(TypeError):
        pickle.dumps(Pseudonymiser(bytes.fromhex(PSEUDONYM_KEY)))


def test_worker_count():
    from pipelines.ingest.prepare import worker_count

    assert worker_count(2, [Path("a")]) == 0  # one file: nothing to share
    assert worker_count(0, [Path("a"), Path("b")]) == 0
    assert worker_count(2, [Path("a"), Path("b"), Path("c")]) == 2


def test_workers_do_not_run_the_parents_main_script(tmp_path, monkeypatch):
    """The parent's ``__main__`` may be any script (AppTest installs a Streamlit page there);
    multiprocessing would run it again in each worker. Workers start without it."""
    import sys
    import types

    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.prepare import preparation
    from pipelines.ingest.references import reference_sets

    marker = tmp_path / "main_ran"
    script = tmp_path / "some_page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit(1)\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    fake_main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", fake_main)

    con, layout, pseudonymiser = _store(tmp_path / "home", monkeypatch)
    paths = _write(layout.landing / "petitions")[:2]
    contract, refs = load_contracts()["petitions"], reference_sets(con)
    with preparation(contract, pseudonymiser, refs, pd.Timestamp.now(), paths, 2) as src:
        assert sum(b.rows_in for b in src.batches(0, paths[0], False)) == 4
    con.close()
    assert not marker.exists()
    assert fake_main.__file__ == str(script) and fake_main.__spec__ is None  # restored
