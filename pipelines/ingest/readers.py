"""Read landing files as batches of text cells, whatever format the department exported.

Every reader yields Arrow tables whose columns are the file's own headers (all text, ``""``
for an empty cell) plus ``__row``, the 1-based row in the file as a person opening it in a
spreadsheet would count it (the header row included), and ``__problem``, set for a row that
could not be split into the header's columns. Memory stays flat however large the file is.

CSV (UTF-8 with or without BOM, or GB18030, detected) goes through pyarrow's streaming CSV
reader. When that meets a row it cannot take (a different number of fields than the header,
bytes that do not decode) it raises :class:`NeedsExactReader` and the loader re-reads the
file with :func:`read_csv_exact`, Python's csv module, which numbers every row and marks the
bad ones instead of failing: the common case is fast, the broken case is exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from pipelines.ingest.contracts import normalise_header

CHUNK_ROWS = 50_000
BLOCK_BYTES = 4 << 20
SNIFF_BYTES = 1 << 20
HEADER_SCAN_ROWS = 10
ROW, PROBLEM = "__row", "__problem"


class UnreadableFileError(Exception):
    """The whole file cannot be read; the message says what to fix."""


class NeedsExactReader(Exception):
    """The fast CSV reader met a row it cannot take; re-read with read_csv_exact."""


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the first MiB decodes as UTF-8, else GB18030."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if b"\x00" in head[:4096]:
        raise UnreadableFileError(
            "file contains NUL bytes: it is binary, not a CSV export; "
            "export the data as CSV (UTF-8) or XLSX and re-send it"
        )
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and len(head) == SNIFF_BYTES:  # a character cut by the window
            return "utf-8"
        if exc.start >= len(head) - 3 and exc.start > 0:  # the file ends inside a character
            return "utf-8"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"text is neither UTF-8 nor GB18030 (undecodable byte at offset {exc.start}; "
            "Big5 or Latin-1?): re-export the file as UTF-8 CSV"
        ) from exc
    return "gb18030"


def find_header_row(rows: list[list[str]], known_headers: set[str]) -> int:
    """Index of the first row that looks like the header (title rows above it are skipped)."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(normalise_header(c) in known_headers for c in row if c not in (None, ""))
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _dedupe_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        h = "" if h is None else str(h).strip()
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}__dup{n}")
    return [h if h else f"__blank{i}" for i, h in enumerate(out)]


def _frame(
    columns: dict[str, list[str]], rows: list[int], problems: list[str] | None = None
) -> pa.Table:
    """An Arrow batch from column lists; rows whose cells are all empty are left out."""
    data = {k: pa.array(v, pa.string()) for k, v in columns.items()}
    data[ROW] = pa.array(rows, pa.int64())
    data[PROBLEM] = pa.array(problems if problems is not None else [""] * len(rows), pa.string())
    return _drop_blank(pa.table(data))


def _drop_blank(table: pa.Table) -> pa.Table:
    import pyarrow.compute as pc

    cells = [c for c in table.column_names if c not in (ROW, PROBLEM)]
    if not cells or table.num_rows == 0:
        return table
    blank = None
    for c in cells:
        empty = pc.equal(pc.utf8_trim_whitespace(table[c]), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    keep = pc.or_(pc.invert(blank), pc.not_equal(table[PROBLEM], ""))
    return table.filter(keep)


def _csv_head(path: Path, encoding: str, known_headers: set[str]) -> tuple[int, list[str]]:
    try:
        with path.open("r", encoding=encoding, newline="", errors="strict") as fh:
            head_lines = [fh.readline() for _ in range(HEADER_SCAN_ROWS)]
    except UnicodeDecodeError:
        with path.open("r", encoding=encoding, newline="", errors="replace") as fh:
            head_lines = [fh.readline() for _ in range(HEADER_SCAN_ROWS)]
    rows = [r for r in csv.reader(io.StringIO("".join(head_lines)))]
    if not any(any(c.strip() for c in r) for r in rows):
        raise UnreadableFileError(
            "file has no header row (it is empty or blank): export it again with the column headers"
        )
    skip = find_header_row(rows, known_headers)
    return skip, _dedupe_headers(rows[skip])


def _record_pieces(path: Path, size: int) -> Iterator[bytes]:
    """The file's bytes in pieces of about ``size`` that end at a record boundary: a newline
    with an even number of quote characters before it (doubled quotes keep the parity; in
    UTF-8 and GB18030 neither byte occurs inside a multi-byte character)."""
    carry = b""
    with path.open("rb") as fh:
        while True:
            block = fh.read(size)
            if not block:
                break
            data = carry + block
            cut = len(data)
            while True:
                cut = data.rfind(b"\n", 0, cut)
                if cut < 0 or data.count(b'"', 0, cut) % 2 == 0:
                    break
            if cut < 0:  # no boundary yet (a huge quoted field): read on
                carry = data
                continue
            yield data[: cut + 1]
            carry = data[cut + 1 :]
    if carry:
        yield carry


def read_csv_chunks(path: Path, known_headers: set[str]) -> Iterator[pa.Table]:
    """Fast path: pyarrow's CSV parser over pieces of the file cut at record boundaries, so
    only one piece is in memory at a time; raises NeedsExactReader on a ragged or
    undecodable row."""
    import pyarrow.csv as pcsv

    encoding = detect_encoding(path)
    skip, header = _csv_head(path, encoding, known_headers)
    reader_encoding = "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding
    start = skip + 2
    yielded = False

    def on_invalid(row) -> str:
        return "error"

    parse = pcsv.ParseOptions(
        newlines_in_values=True, invalid_row_handler=on_invalid, ignore_empty_lines=True
    )
    convert = pcsv.ConvertOptions(
        column_types={h: pa.string() for h in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    for i, piece in enumerate(_record_pieces(path, BLOCK_BYTES)):
        try:
            table = pcsv.read_csv(
                pa.BufferReader(piece),
                read_options=pcsv.ReadOptions(
                    skip_rows=skip + 1 if i == 0 else 0,
                    column_names=header,
                    encoding=reader_encoding,
                    use_threads=True,
                    block_size=BLOCK_BYTES + 1024,
                ),
                parse_options=parse,
                convert_options=convert,
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if "Empty CSV file" in str(exc):
                continue
            raise NeedsExactReader(str(exc)) from exc
        n = table.num_rows
        table = table.append_column(ROW, pa.array(range(start, start + n), pa.int64()))
        table = table.append_column(PROBLEM, pa.array([""] * n, pa.string()))
        start += n
        yielded = True
        yield _drop_blank(table)
    if not yielded:
        yield _frame({h: [] for h in header}, [])


def read_csv_exact(path: Path, known_headers: set[str]) -> Iterator[pa.Table]:
    """Slow, exact path: every row numbered; a row with a different number of fields than
    the header, or with bytes that do not decode, is kept with ``__problem`` set."""
    encoding = detect_encoding(path)
    skip, header = _csv_head(path, encoding, known_headers)
    width = len(header)
    with path.open("r", encoding=encoding, newline="", errors="replace") as fh:
        reader = csv.reader(fh)
        row_number = 0
        columns: dict[str, list[str]] = {h: [] for h in header}
        rows: list[int] = []
        problems: list[str] = []
        for record in reader:
            row_number += 1
            if row_number <= skip + 1 or not any(c.strip() for c in record):
                continue
            problem = ""
            if any("\ufffd" in c for c in record):
                problem = (
                    f"row has bytes that are not valid {encoding}: the file may be truncated "
                    "or mix encodings; re-export it"
                )
            elif len(record) != width:
                problem = (
                    f"row has {len(record)} fields but the header has {width}: a delimiter or "
                    "quote is wrong, or the file is truncated; fix the row and re-send the file"
                )
            cells = (record + [""] * width)[:width]
            for h, c in zip(header, cells, strict=True):
                columns[h].append(c)
            rows.append(row_number)
            problems.append(problem)
            if len(rows) >= CHUNK_ROWS:
                yield _frame(columns, rows, problems)
                columns, rows, problems = {h: [] for h in header}, [], []
        if rows or row_number <= skip + 1:
            yield _frame(columns, rows, problems)


def read_xlsx_chunks(path: Path, known_headers: set[str]) -> Iterator[pa.Table]:
    """First sheet only (other sheets hold notes and pivot tables); header found under any
    title rows, merged title cells included."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFileError(
            f"not a readable XLSX workbook ({type(exc).__name__}): "
            "open it in Excel/WPS, save as .xlsx and re-send it"
        ) from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        head: list[list[str]] = []
        for row in rows:
            head.append(["" if v is None else _cell_text(v) for v in row])
            if len(head) >= HEADER_SCAN_ROWS:
                break
        if not any(any(c.strip() for c in r) for r in head):
            raise UnreadableFileError(
                "the workbook's first sheet is empty: put the data on the first sheet"
            )
        skip = find_header_row(head, known_headers)
        header = _dedupe_headers(head[skip])
        width = len(header)

        def block(records: list[tuple[int, list[str]]]) -> pa.Table:
            fixed = [(r + [""] * width)[:width] for _, r in records]
            cols = {h: [r[j] for r in fixed] for j, h in enumerate(header)}
            return _frame(cols, [n for n, _ in records])

        buf = [(i + 1, r) for i, r in enumerate(head) if i > skip]
        number = len(head)
        for row in rows:
            number += 1
            buf.append((number, ["" if v is None else _cell_text(v) for v in row]))
            if len(buf) >= CHUNK_ROWS:
                yield block(buf)
                buf = []
        if buf or number <= skip + 1:
            yield block(buf)
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M:%S")
            if value.time() != dt.time()
            else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_parquet_chunks(path: Path, known_headers: set[str]) -> Iterator[pa.Table]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise UnreadableFileError(f"not a readable Parquet file ({exc}): re-export it") from exc
    start = 2  # a row's number as if the table were opened with its header as row 1
    for batch in pf.iter_batches(batch_size=CHUNK_ROWS):
        cols = {}
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                cols[name] = pc.fill_null(column.cast(pa.string()), "")
            else:
                cols[name] = pa.array(
                    ["" if v is None else _cell_text(v) for v in column.to_pylist()], pa.string()
                )
        n = batch.num_rows
        cols[ROW] = pa.array(range(start, start + n), pa.int64())
        cols[PROBLEM] = pa.array([""] * n, pa.string())
        start += n
        yield pa.table(cols)


def read_geojson_chunks(path: Path, known_headers: set[str]) -> Iterator[pa.Table]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        features = doc["features"]
    except Exception as exc:
        raise UnreadableFileError(
            f"not a GeoJSON FeatureCollection ({type(exc).__name__}): re-export it"
        ) from exc
    records = [
        {
            **{k: "" if v is None else str(v) for k, v in (f.get("properties") or {}).items()},
            "geometry": json.dumps(f.get("geometry"), ensure_ascii=False, separators=(",", ":")),
        }
        for f in features
    ]
    keys = list(dict.fromkeys(k for r in records for k in r))
    yield _frame(
        {k: [r.get(k, "") for r in records] for k in keys}, list(range(1, len(records) + 1))
    )


READERS = {
    ".csv": read_csv_chunks,
    ".txt": read_csv_chunks,
    ".xlsx": read_xlsx_chunks,
    ".xlsm": read_xlsx_chunks,
    ".parquet": read_parquet_chunks,
    ".geojson": read_geojson_chunks,
    ".json": read_geojson_chunks,
}
SUPPORTED = tuple(READERS)


def read_chunks(path: Path, known_headers: set[str], exact: bool = False) -> Iterator[pa.Table]:
    """Batches of the file's rows as text; raises UnreadableFileError for whole-file problems
    (and NeedsExactReader when a CSV needs the exact reader: pass ``exact=True``)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFileError(
            f"unsupported file type {path.suffix or '(none)'!r}: send CSV, XLSX, Parquet or GeoJSON"
        )
    if path.stat().st_size == 0:
        raise UnreadableFileError("file is empty (0 bytes): export it again and re-send it")
    if exact and reader is read_csv_chunks:
        reader = read_csv_exact
    yield from reader(path, known_headers)
