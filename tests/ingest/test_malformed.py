"""Malformed landing files: each has one exact, explained outcome and none stops the run.

Every test ends with the reconciliation (rows in = loaded + quarantined, per file, and the
quarantine holds exactly those rows). Whole-file failures name the file and say what to fix;
row failures name the row (as a spreadsheet counts it, header = row 1), the field and why.
"""

from __future__ import annotations

from tests.ingest.conftest import COUNTY_A, COUNTY_B, SCHOOL, TOWN_A1, TOWN_A2, TOWN_B1, make_id

MATERNAL_HEADER = "筛查编号,筛查日期,乡镇代码,年龄,孕产期,EPDS得分"
STUDENT_HEADER = "身份证号,姓名,学校代码,年级,性别,筛查日期,PHQ-9,GAD-7,是否留守儿童,是否流动儿童"
FOLLOWUP_HEADER = "身份证号,姓名,随访日期,随访方式,危险性评估,服药情况,病情,是否个案管理,是否参加社区康复,家属是否接受心理支持"
INCIDENT_HEADER = "警情编号,报警时间,乡镇代码,警情类别,涉事人员身份证号,严重程度,简要警情"
MATERNAL = f"maternal_screening_{COUNTY_A}_2024-01.csv"


def maternal(*rows: str, header: str = MATERNAL_HEADER, eol: str = "\n") -> str:
    return eol.join([header, *rows]) + eol


def m_row(
    i: int,
    date: str = "2024-01-05",
    town: str = TOWN_A1,
    age: str = "28",
    stage: str = "产后",
    epds: str = "9",
) -> str:
    return f"M{i:04d},{date},{town},{age},{stage},{epds}"


GOOD3 = [m_row(1), m_row(2, epds="14"), m_row(3, stage="孕期", epds="3")]


def student(*rows: str) -> str:
    return "\n".join([STUDENT_HEADER, *rows]) + "\n"


def s_row(pid: str, phq: str = "5", gad: str = "4", date: str = "2024-03-10") -> str:
    return f"{pid},王小明,{SCHOOL},7,男,{date},{phq},{gad},否,是"


def followup_row(pid: str, risk: str = "1", date: str = "2024-01-15") -> str:
    return f"{pid},张三,{date},家庭访视,{risk},规律,稳定,否,是,否"


# --------------------------------------------------------------------------- whole-file failures


def test_empty_file_fails_with_a_message(env):
    path = env.write("health", MATERNAL, b"")
    result = env.ingest("maternal_screening", path)
    assert result.status == "failed"
    assert (
        result.message
        == f"health/{MATERNAL}: file is empty (0 bytes): export it again and re-send it"
    )
    assert env.registry(MATERNAL)[0]["status"] == "failed"
    env.assert_reconciles()


def test_blank_file_fails_with_a_message(env):
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, "\n\n  \n"))
    assert result.status == "failed" and "no header row" in result.message
    env.assert_reconciles()


def test_binary_garbage_fails_with_a_message(env):
    result = env.ingest(
        "maternal_screening", env.write("health", MATERNAL, b"\x00\x01PK\x03\x04\xff\xfe" * 500)
    )
    assert result.status == "failed"
    assert result.message.startswith(f"health/{MATERNAL}: file contains NUL bytes: it is binary")
    assert "re-send" in result.message
    env.assert_reconciles()


def test_latin1_bytes_fail_as_wrong_encoding(env):
    content = maternal(m_row(1)).encode() + "M0002,2024-01-05,Café,28,,9\n".encode("latin-1")
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert result.status == "failed"
    assert (
        "neither UTF-8 nor GB18030" in result.message
        and "re-export the file as UTF-8 CSV" in result.message
    )
    env.assert_reconciles()


def test_big5_text_is_reported_as_no_known_header(env):
    header = "篩查編號,篩查日期,鄉鎮代碼,年齡,孕產期,EPDS得分"  # a Taiwan/HK system's export
    content = maternal(
        *(r.replace("产后", "產後").replace("孕期", "孕期") for r in GOOD3), header=header
    )
    result = env.ingest(
        "maternal_screening", env.write("health", MATERNAL, content, encoding="big5")
    )
    assert result.status == "failed"
    assert (
        f"health/{MATERNAL}: no column of dataset maternal_screening found in the header"
        in result.message
    )
    assert "Big5" in result.message
    env.assert_reconciles()


def test_duplicated_header_column_fails(env):
    content = maternal(m_row(1) + ",10", header=MATERNAL_HEADER + ",EPDS得分")
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert result.status == "failed"
    assert result.message == (
        f"health/{MATERNAL}: column 'EPDS得分' appears twice in the header: "
        "keep one and re-send the file"
    )
    env.assert_reconciles()


def test_missing_required_column_fails_naming_it(env):
    header = MATERNAL_HEADER.replace(",EPDS得分", "")
    result = env.ingest(
        "maternal_screening",
        env.write(
            "health", MATERNAL, maternal("M1,2024-01-05," + TOWN_A1 + ",28,产后", header=header)
        ),
    )
    assert result.status == "failed"
    assert result.message == (
        f"health/{MATERNAL}: missing required column(s): epds_score (EPDS得分): "
        "add them with these headers and re-send the file"
    )
    env.assert_reconciles()


def test_file_with_another_datasets_header_says_which_it_looks_like(env):
    """An incidents export saved as petitions_… in the petitions folder."""
    content = (
        "\n".join(
            [INCIDENT_HEADER, f"J1,2024-01-05 10:00:00,{TOWN_A1},邻里纠纷,,一般,两户因漏水争吵"]
        )
        + "\n"
    )
    name = f"petitions_{COUNTY_A}_2024-01.csv"
    result = env.ingest("petitions", env.write("petitions", name, content))
    assert result.status == "failed"
    assert "looks like a incidents file, not petitions" in result.message
    assert "put it in landing/public_security/" in result.message
    env.assert_reconciles()


def test_file_of_another_source_in_a_folder_is_registered(env):
    """A petitions file dropped in the health folder: no health contract claims it."""
    from pipelines.ingest.load import register_unknown_files

    env.write(
        "health",
        f"petitions_{COUNTY_A}_2024-01.csv",
        "受理日期,乡镇代码\n2024-01-02," + TOWN_A1 + "\n",
    )
    [result] = register_unknown_files(env.con, env.landing, "health")
    assert result.status == "failed"
    assert result.message == (
        f"health/petitions_{COUNTY_A}_2024-01.csv: a petitions file in the health "
        "folder: move it to landing/petitions/"
    )
    assert register_unknown_files(env.con, env.landing, "health") == []  # once only
    env.assert_reconciles()


def test_unknown_file_in_a_folder_is_registered_not_ignored(env):
    from pipelines.ingest.load import register_unknown_files

    env.write("health", "随访汇总表.csv", maternal(*GOOD3))
    [result] = register_unknown_files(env.con, env.landing, "health")
    assert result.status == "failed"
    assert result.message.startswith("health/随访汇总表.csv: unknown dataset: rename it to one of ")
    assert "maternal_screening_…" in result.message and "smd_followup_…" in result.message
    assert "its header looks like maternal_screening" in result.message
    [reg] = env.registry("随访汇总表.csv")
    assert reg["status"] == "failed" and reg["dataset"] == "(unknown)"
    env.assert_reconciles()


def test_unsupported_file_type_fails(env):
    name = f"maternal_screening_{COUNTY_A}_2024-01.docx"
    result = env.ingest("maternal_screening", env.write("health", name, b"PK\x03\x04 not really"))
    assert result.status == "failed"
    assert (
        result.message
        == f"health/{name}: unsupported file type '.docx': send CSV, XLSX, Parquet or GeoJSON"
    )


def test_corrupt_xlsx_fails(env):
    name = f"hotline_calls_{COUNTY_A}_2024-01.xlsx"
    result = env.ingest("hotline_calls", env.write("health", name, "来电编号,来电时间\n"))
    assert result.status == "failed"
    assert "not a readable XLSX workbook" in result.message and "save as .xlsx" in result.message


# --------------------------------------------------------------------------- structure


def test_header_only_loads_nothing_and_says_so(env):
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, maternal()))
    assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        0,
        0,
        0,
    )
    assert result.message == "no data rows (header only)"
    env.assert_reconciles()


def test_truncated_mid_row_quarantines_the_partial_row(env):
    content = maternal(*GOOD3).encode() + f"M0004,2024-01-05,{TOWN_A1},3".encode()
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        4,
        3,
        1,
    )
    [(row, field, reason, _)] = env.quarantine(MATERNAL)
    assert (row, field) == (5, "row")
    assert reason.startswith("row has 4 fields but the header has 6")
    assert "truncated" in reason
    env.assert_reconciles()


def test_truncated_mid_multibyte_character(env):
    content = maternal(*GOOD3).encode() + f"M0004,2024-01-05,{TOWN_A1},30,产后".encode()[:-2]
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    [(row, field, reason, _)] = env.quarantine(MATERNAL)
    assert (row, field) == (5, "row")
    assert reason.startswith("row has bytes that are not valid utf-8: the file may be truncated")
    env.assert_reconciles()


def test_extra_columns_are_ignored(env):
    content = maternal(*(r + ",备注,x" for r in GOOD3), header=MATERNAL_HEADER + ",备注,录入人")
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 3, 0)
    assert set(env.rows("raw_maternal_screening")[0]) == {
        "screening_id",
        "screening_date",
        "township_code",
        "age_band",
        "stage",
        "epds_score",
        "_file_id",
        "_row_number",
    }


def test_crlf_line_endings(env):
    result = env.ingest(
        "maternal_screening", env.write("health", MATERNAL, maternal(*GOOD3, eol="\r\n"))
    )
    assert (result.rows_in, result.rows_loaded) == (3, 3)
    assert [r["stage"] for r in env.rows("raw_maternal_screening")] == [
        "postpartum",
        "postpartum",
        "pregnancy",
    ]


def test_utf8_bom(env):
    result = env.ingest(
        "maternal_screening", env.write("health", MATERNAL, maternal(*GOOD3), encoding="utf-8-sig")
    )
    assert (result.rows_in, result.rows_loaded) == (3, 3)


def test_gb18030_text(env):
    result = env.ingest(
        "maternal_screening", env.write("health", MATERNAL, maternal(*GOOD3), encoding="gb18030")
    )
    assert (result.rows_in, result.rows_loaded) == (3, 3)
    assert env.rows("raw_maternal_screening")[2]["stage"] == "pregnancy"


def test_blank_trailing_rows_are_not_rows(env):
    content = maternal(*GOOD3) + "\n\n,,,,,\n  \n"
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    env.assert_reconciles()


def test_quoted_fields_with_newlines_and_commas(env):
    text = '"邻居张某某说：""再吵就报警""，\n双方争执，民警调解。"'
    content = (
        "\n".join(
            [
                INCIDENT_HEADER,
                f"J1,2024-01-05 10:00:00,{TOWN_A1},邻里纠纷,,一般,{text}",
                f'J2,2024-01-06 11:30:00,{TOWN_A1},家庭纠纷,"{make_id()}",一般,夫妻争吵',
            ]
        )
        + "\n"
    )
    name = f"incidents_{COUNTY_A}_2024-01.csv"
    result = env.ingest("incidents", env.write("public_security", name, content))
    assert (result.rows_in, result.rows_loaded) == (2, 2)
    rows = env.rows("raw_incidents")
    assert [r["_row_number"] for r in rows] == [2, 3]
    assert "\n双方争执，民警调解。" in rows[0]["narrative"] and "〔姓名〕" in rows[0]["narrative"]
    assert len(rows[1]["person_pids"]) == 1 and len(rows[1]["person_pids"][0]) == 64


def test_xlsx_title_row_and_junk_sheets(env):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某县心理援助热线来电登记表（2024年1月）"])
    ws.merge_cells("A1:I1")
    ws.append(
        [
            "来电编号",
            "来电时间",
            "来电号码",
            "所在乡镇",
            "年龄段",
            "性别",
            "来电类别",
            "是否危机干预",
            "通话摘要",
        ]
    )
    ws.append(
        [
            "H1",
            "2024-01-05 21:10:00",
            "13812345678",
            "城关镇",
            "30-44岁",
            "女",
            "情绪困扰",
            "否",
            "最近睡不好",
        ]
    )
    ws.append(["H2", "2024-01-06 09:00:00", "", "河西乡", "不详", "不详", "其他", "否", ""])
    junk = wb.create_sheet("统计")
    junk.append(["合计", "=COUNTA(Sheet!A:A)"])
    wb.create_sheet("说明").append(["本表由热线平台导出"])
    path = env.landing / "health" / f"hotline_calls_{COUNTY_A}_2024-01.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    result = env.ingest("hotline_calls", path)
    assert (result.status, result.rows_in, result.rows_loaded) == ("loaded", 2, 2)
    rows = env.rows("raw_hotline_calls")
    assert [r["_row_number"] for r in rows] == [3, 4]
    assert [r["township_code"] for r in rows] == [TOWN_A1, TOWN_A2]
    assert (
        rows[0]["caller_pid"] and len(rows[0]["caller_pid"]) == 64 and rows[1]["caller_pid"] is None
    )


# --------------------------------------------------------------------------- row failures


def test_bad_and_future_dates(env):
    content = maternal(
        m_row(1),
        m_row(2, date="2024-02-30"),
        m_row(3, date="2099-01-01"),
        m_row(4, date="05/01/2024x"),
    )
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    q = env.quarantine(MATERNAL)
    assert [(r, f) for r, f, _, _ in q] == [
        (3, "screening_date"),
        (4, "screening_date"),
        (5, "screening_date"),
    ]
    assert q[0][2] == "screening_date: not a valid date (YYYY-MM-DD): 2024-02-30"
    assert q[1][2] == "screening_date: date in the future: 2099-01-01"
    assert q[0][3]["筛查日期"] == "2024-02-30"  # the raw cells are kept, under the file's headers
    env.assert_reconciles()


def test_negative_and_out_of_range_scores(env):
    content = maternal(
        m_row(1, epds="-1"),
        m_row(2, epds="31"),
        m_row(3, epds="12.5"),
        m_row(4, epds="十"),
        m_row(5),
    )
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 4)
    reasons = [r for _, _, r, _ in env.quarantine(MATERNAL)]
    assert reasons == [
        "epds_score: below minimum 0: -1",
        "epds_score: above maximum 30: 31",
        "epds_score: not a whole number: 12.5",
        "epds_score: not a number: 十",
    ]
    env.assert_reconciles()


def test_phq9_28_is_quarantined(env):
    name = f"student_screening_{COUNTY_A}_2024-03.csv"
    content = student(s_row(make_id(serial="101"), phq="28"), s_row(make_id(serial="102")))
    result = env.ingest("student_screening", env.write("schools", name, content))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    [(row, field, reason, raw)] = env.quarantine(name)
    assert (row, field, reason) == (2, "phq9", "phq9: above maximum 27: 28")
    assert raw["身份证号"] == "〔已移除〕"  # quarantine never keeps an ID number
    env.assert_reconciles()


def test_risk_level_6_is_quarantined(env):
    name = f"smd_followup_{COUNTY_A}_2024-01.csv"
    content = (
        "\n".join(
            [
                FOLLOWUP_HEADER,
                followup_row(make_id(serial="201"), risk="6"),
                followup_row(make_id(serial="202")),
            ]
        )
        + "\n"
    )
    result = env.ingest("smd_followup", env.write("health", name, content))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert env.quarantine(name)[0][:3] == (2, "risk_level", "risk_level: above maximum 5: 6")
    env.assert_reconciles()


def test_unknown_township_code(env):
    content = maternal(m_row(1, town=f"{COUNTY_A}999000"), m_row(2, town="5113211"), m_row(3))
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 2)
    reasons = [r for _, _, r, _ in env.quarantine(MATERNAL)]
    assert reasons == [
        f"township_code: unknown township code: {COUNTY_A}999000",
        "township_code: not a 12-digit 区划代码: 5113211",
    ]
    env.assert_reconciles()


def test_invalid_id_checksum(env):
    good = make_id(serial="301")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    name = f"student_screening_{COUNTY_A}_2024-03.csv"
    result = env.ingest(
        "student_screening", env.write("schools", name, student(s_row(bad), s_row(good)))
    )
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    [(row, field, reason, raw)] = env.quarantine(name)
    assert (row, field, reason) == (2, "person_pid", "person_pid: invalid 身份证号 (bad_checksum)")
    assert bad not in str(raw)
    env.assert_reconciles()


def test_several_problems_in_one_row_are_all_listed(env):
    content = maternal(m_row(1, date="2024-13-01", epds="40", stage="孕前"))
    env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    [(row, field, reason, _)] = env.quarantine(MATERNAL)
    assert field == "screening_date"
    assert reason == (
        "screening_date: not a valid date (YYYY-MM-DD): 2024-13-01; "
        "stage: unknown code 孕前 (expected 孕期/产后); epds_score: above maximum 30: 40"
    )


def test_duplicate_rows(env):
    content = maternal(m_row(1), m_row(2), m_row(1), m_row(3))
    result = env.ingest("maternal_screening", env.write("health", MATERNAL, content))
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    [(row, field, reason, _)] = env.quarantine(MATERNAL)
    assert (row, field, reason) == (
        4,
        "screening_id",
        "screening_id: duplicate of row 2 of this file",
    )
    env.assert_reconciles()


def test_duplicate_of_a_row_from_another_file(env):
    env.ingest("maternal_screening", env.write("health", MATERNAL, maternal(*GOOD3)))
    other = f"maternal_screening_{COUNTY_A}_2024-02.csv"
    result = env.ingest(
        "maternal_screening", env.write("health", other, maternal(m_row(2), m_row(9)))
    )
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert (
        env.quarantine(other)[0][2]
        == f"screening_id: duplicate of a row already loaded ({MATERNAL} row 3)"
    )
    env.assert_reconciles()


def test_full_width_digits_are_accepted_and_normalised(env):
    pid = make_id(serial="401")
    full = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in pid)
    name = f"student_screening_{COUNTY_A}_2024-03.csv"
    content = student(
        f"{full[:6]} {full[6:]},王小明,{SCHOOL},７,男,２０２４－０３－１０,１２,８,否,是",
        s_row(make_id(serial="402")),
    )
    result = env.ingest("student_screening", env.write("schools", name, content))
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    row = env.rows("raw_student_screening")[0]
    assert (row["grade"], row["phq9"], row["gad7"], str(row["screening_date"])) == (
        7,
        12,
        8,
        "2024-03-10",
    )
    assert row["person_pid"] == env.pseudonymiser.id_pid(pid)  # same person, same pid


# --------------------------------------------------------------------------- registry


def test_same_file_twice_is_a_no_op(env):
    path = env.write("health", MATERNAL, maternal(*GOOD3))
    first = env.ingest("maternal_screening", path)
    second = env.ingest("maternal_screening", path)
    assert (first.status, second.status) == ("loaded", "unchanged")
    assert len(env.rows("raw_maternal_screening")) == 3 and len(env.registry(MATERNAL)) == 1
    env.assert_reconciles()


def test_corrected_resubmission_supersedes(env):
    env.ingest(
        "maternal_screening",
        env.write("health", MATERNAL, maternal(m_row(1), m_row(2, epds="99"), m_row(3))),
    )
    assert len(env.rows("raw_maternal_screening")) == 2
    corrected = MATERNAL.replace(".csv", "_v2.csv")
    result = env.ingest(
        "maternal_screening",
        env.write("health", corrected, maternal(m_row(1), m_row(2, epds="19"), m_row(3), m_row(4))),
    )
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 4, 0)
    assert result.superseded == env.registry(MATERNAL)[0]["file_id"]
    assert env.registry(MATERNAL)[0]["status"] == "superseded"
    rows = env.rows("raw_maternal_screening")
    assert [r["screening_id"] for r in rows] == ["M0001", "M0002", "M0003", "M0004"]
    assert rows[1]["epds_score"] == 19
    assert {r["_file_id"] for r in rows} == {
        result.superseded and env.registry(corrected)[0]["file_id"]
    }
    env.assert_reconciles()


def test_one_bad_file_does_not_stop_the_others(env):
    import pandas as pd

    from pipelines.ingest.contracts import load_contracts
    from pipelines.ingest.load import ingest_files
    from pipelines.ingest.references import reference_sets

    paths = [
        env.write("health", f"maternal_screening_{COUNTY_A}_2024-0{m}.csv", content)
        for m, content in [(1, b"\x00garbage"), (2, maternal(*GOOD3)), (3, maternal(header="x,y"))]
    ]
    results = ingest_files(
        env.con,
        load_contracts()["maternal_screening"],
        paths,
        env.pseudonymiser,
        reference_sets(env.con),
        pd.Timestamp.now(),
    )
    assert [r.status for r in results] == ["failed", "loaded", "failed"]
    env.assert_reconciles()


# --------------------------------------------------------------------------- townships by county


def test_hotline_township_names_resolve_within_the_files_county(env):
    from openpyxl import Workbook

    results = {}
    for county in (COUNTY_A, COUNTY_B):
        wb = Workbook()
        ws = wb.active
        ws.append(["来电编号", "来电时间", "所在乡镇", "来电类别", "是否危机干预"])
        ws.append([f"H{county}", "2024-01-05 21:10:00", "城关镇", "情绪困扰", "否"])
        path = env.landing / "health" / f"hotline_calls_{county}_2024-01.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        results[county] = env.ingest("hotline_calls", path)
    codes = {r["call_id"]: r["township_code"] for r in env.rows("raw_hotline_calls")}
    assert codes == {f"H{COUNTY_A}": TOWN_A1, f"H{COUNTY_B}": TOWN_B1}


def test_duplicate_person_and_date_across_files(env):
    """A key holding the partition date (student screening: person + date) is checked only
    against loaded rows in the file's date range; a late row of an earlier month is still
    found in the earlier month's file."""
    pid = make_id(serial="777")
    feb = f"student_screening_{COUNTY_A}_2024-02.csv"
    env.ingest(
        "student_screening", env.write("schools", feb, student(s_row(pid, date="2024-02-10")))
    )
    mar = f"student_screening_{COUNTY_A}_2024-03.csv"
    content = student(
        s_row(pid, date="2024-03-10"),  # same person, other date: not a duplicate
        s_row(pid, date="2024-02-10"),  # late entry of February's screening: a duplicate
        s_row(make_id(serial="778"), date="2024-03-11"),
    )
    result = env.ingest("student_screening", env.write("schools", mar, content))
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    [(row, field, reason, _)] = env.quarantine(mar)
    assert (row, field) == (3, "person_pid,screening_date")
    assert reason == f"person_pid,screening_date: duplicate of a row already loaded ({feb} row 2)"
    env.assert_reconciles()
