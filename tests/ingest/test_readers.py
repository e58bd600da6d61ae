"""Readers: encodings, title rows above the header, batch row numbers."""

import pyarrow as pa
import pytest

from pipelines.ingest.readers import ROW, UnreadableFileError, detect_encoding, read_chunks

KNOWN = {"受理日期", "乡镇代码", "诉求内容"}


def _collect(path, exact=False):
    return pa.concat_tables(list(read_chunks(path, KNOWN, exact=exact))).to_pylist()


@pytest.mark.parametrize(
    "encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")]
)
@pytest.mark.parametrize("exact", [False, True])
def test_encodings_are_detected(tmp_path, encoding, expected, exact):
    path = tmp_path / "petitions_x.csv"
    path.write_text(
        "受理日期,乡镇代码,诉求内容\n2025-01-02,510121100000,小区噪音扰民严重\n", encoding=encoding
    )
    assert detect_encoding(path) == expected
    [row] = _collect(path, exact)
    assert row[ROW] == 2
    assert row["诉求内容"] == "小区噪音扰民严重"


def test_xlsx_title_row_is_skipped(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某县信访事项登记表（2025年1月）"])
    ws.merge_cells("A1:C1")
    ws.append(["受理日期", "乡镇代码", "诉求内容"])
    ws.append(["2025-01-02", "510121100000", "路灯不亮"])
    path = tmp_path / "petitions_x.xlsx"
    wb.save(path)
    [row] = _collect(path)
    assert [k for k in row if not k.startswith("__")] == ["受理日期", "乡镇代码", "诉求内容"]
    assert row[ROW] == 3 and row["诉求内容"] == "路灯不亮"


def test_binary_garbage_is_a_clear_error(tmp_path):
    path = tmp_path / "petitions_x.csv"
    path.write_bytes(b"\x00\x01\x02garbage\x00" * 100)
    with pytest.raises(UnreadableFileError, match="binary"):
        _collect(path)


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "petitions_x.csv"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="empty"):
        _collect(path)


@pytest.mark.parametrize("exact", [False, True])
def test_batches_number_rows_continuously(tmp_path, monkeypatch, exact):
    import pipelines.ingest.readers as readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 3)
    monkeypatch.setattr(readers, "BLOCK_BYTES", 64)
    path = tmp_path / "petitions_x.csv"
    rows = "\n".join(f"2025-01-{d:02d},510121100000,t{d}" for d in range(1, 8))
    path.write_text("受理日期,乡镇代码,诉求内容\n" + rows + "\n", encoding="utf-8")
    batches = list(read_chunks(path, KNOWN, exact=exact))
    assert len(batches) > 1
    got = pa.concat_tables(batches).to_pylist()
    assert [r[ROW] for r in got] == list(range(2, 9))
    assert [r["诉求内容"] for r in got] == [f"t{d}" for d in range(1, 8)]
