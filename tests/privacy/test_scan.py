"""PII scanner on a temporary DuckDB with planted hits and clean look-alikes."""

from __future__ import annotations

import duckdb
import pytest

from models.privacy.scan import mask, scan_database
from pipelines.cli import main


@pytest.fixture
def clean_db(tmp_path):
    path = tmp_path / "published.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        """
        create table agg_township_month (
            township_code varchar, township_name varchar, county_code varchar,
            month date, n_petitions bigint, village_code bigint, rate double,
            person_years double, topic_label varchar, case_no varchar
        )
        """
    )
    con.execute(
        """
        insert into agg_township_month
        select '510123' || lpad((i % 15 + 100)::varchar, 3, '0') || '000',
               ['城关镇', '龙泉镇', '石桥乡', '王家坝村', '张家界路'][i % 5 + 1],
               '510123', date '2024-01-01', i % 97, 510123100001 + i % 250, i / 7.0,
               12000.5, '拖欠工资 高速路 人民医院 老师 学校',
               'XF2024031500' || lpad((i % 1000)::varchar, 3, '0')
        from range(20000) t(i)
        """
    )
    con.execute("create table dim_school (school_id varchar, name varchar, n_students integer)")
    con.execute(
        "insert into dim_school values ('S001', '李子坝小学', 1200), "
        "('S002', '王府井中学', 13800), ('S003', '黄山职高', 12345678)"
    )
    con.close()
    return path


def test_clean_database_has_no_hits(clean_db):
    assert scan_database(clean_db) == []


def test_planted_hits_are_found(clean_db):
    con = duckdb.connect(str(clean_db))
    con.execute("create schema restricted")
    con.execute(
        """
        create table restricted.leak (
            note varchar, caller_phone bigint, patient_pid varchar, h varchar, card varchar,
            mail varchar, n bigint
        )
        """
    )
    con.execute(
        f"""
        insert into restricted.leak values
          ('市民张三反映电话13812345678', 13912345678, 'p1', '{"ab" * 32}',
           '6222021234567890128', 'zhang.san@example.com', 1),
          ('身份证11010519491231002X', null, 'p2', null, null, null, 2),
          ('一切正常', 2, null, null, null, null, 3)
        """
    )
    con.close()
    hits = {(h.table, h.column, h.type): h for h in scan_database(clean_db)}
    assert set(hits) == {
        ("restricted.leak", "note", "phone"),
        ("restricted.leak", "note", "name"),
        ("restricted.leak", "note", "id_number"),
        ("restricted.leak", "caller_phone", "phone"),
        ("restricted.leak", "caller_phone", "person_key_column"),  # named like a phone column
        ("restricted.leak", "patient_pid", "person_key_column"),
        ("restricted.leak", "h", "pseudonym"),
        ("restricted.leak", "card", "bank_card"),
        ("restricted.leak", "mail", "email"),
    }
    assert hits[("restricted.leak", "note", "phone")].rows == 1
    assert hits[("restricted.leak", "patient_pid", "person_key_column")].rows == 2
    for hit in hits.values():  # never the full value
        for secret in (
            "13812345678",
            "13912345678",
            "11010519491231002X",
            "张三",
            "6222021234567890128",
            "zhang.san@example.com",
            "ab" * 32,
        ):
            assert secret not in str(hit)


def test_supplied_names_are_found(clean_db):
    con = duckdb.connect(str(clean_db))
    con.execute("create table notes (txt varchar)")
    con.execute("insert into notes values ('刘一手来过'), ('城关镇')")
    con.close()
    assert scan_database(clean_db) == []
    hits = scan_database(clean_db, known_names=["刘一手"])
    assert [(h.table, h.column, h.type, h.rows) for h in hits] == [("notes", "txt", "name", 1)]


def test_mask():
    assert mask("13812345678", "phone") == "138******78"
    assert mask("zhang@example.com", "email") == "z***@example.com"
    assert mask("张三丰", "name") == "张**"


def test_cli_exit_codes(clean_db, capsys, tmp_path):
    assert main(["scan-pii", "--db", str(clean_db)]) == 0
    assert capsys.readouterr().out.strip() == "no PII found"
    con = duckdb.connect(str(clean_db))
    con.execute("create table t (person_id_number varchar)")
    con.execute("insert into t values ('11010519491231002X')")
    con.close()
    assert main(["scan-pii", "--db", str(clean_db)]) == 1
    out = capsys.readouterr().out
    assert "t.person_id_number: person_key_column, 1 rows" in out
    assert "11010519491231002X" not in out
    assert main(["scan-pii", "--db", str(tmp_path / "missing.duckdb")]) == 2


def test_cli_default_db_is_the_published_one(isolated_home, capsys):
    from pipelines.settings import home

    db = home().published_db
    db.parent.mkdir(parents=True)
    duckdb.connect(str(db)).close()
    assert main(["scan-pii"]) == 0
