"""Read landing files as chunks of text cells, whatever format the department exported.

Every reader yields ``(first_row_number, DataFrame of str)`` chunks whose columns are the
file's own headers, so memory stays flat however large the file is and the validator sees the
same thing for CSV (UTF-8 with or without BOM, or GB18030), XLSX (header row found under any
title rows), Parquet and GeoJSON. Row numbers are the 1-based line/row in the file as a person
opening it would count, so a quarantine message can point at the exact row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from pipelines.ingest.contracts import normalise_header

CHUNK_ROWS = 50_000
SNIFF_BYTES = 1 << 20
HEADER_SCAN_ROWS = 10


class UnreadableFileError(Exception):
    """The whole file cannot be read; the message says what to fix."""


Chunk = tuple[int, pd.DataFrame]


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the first MiB decodes as UTF-8, else GB18030."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if b"\x00" in head[:4096]:
        raise UnreadableFileError("file contains NUL bytes: it is binary, not a CSV export")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sniff window
            return "utf-8"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"neither UTF-8 nor GB18030 at byte {exc.start}: re-export the file as UTF-8 CSV"
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
        h = "" if h is None else str(h)
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}__dup{n}")
    return out


def read_csv_chunks(path: Path, known_headers: set[str]) -> Iterator[Chunk]:
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, newline="", errors="strict") as fh:
        head_lines = [fh.readline() for _ in range(HEADER_SCAN_ROWS)]
    rows = list(csv.reader(io.StringIO("".join(head_lines))))
    if not rows:
        raise UnreadableFileError("file is empty: no header row")
    skip = find_header_row(rows, known_headers)
    header = _dedupe_headers(rows[skip])
    first_data_line = skip + 2  # 1-based line number of the first data row
    try:
        reader = pd.read_csv(
            path, encoding=encoding, dtype=str, keep_default_na=False, na_filter=False,
            skiprows=skip + 1, header=None, names=header, chunksize=CHUNK_ROWS,
            on_bad_lines="error", engine="c", skip_blank_lines=True, index_col=False,
        )
        start = first_data_line
        for chunk in reader:
            yield start, chunk
            start += len(chunk)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"encoding changes inside the file ({encoding} expected): re-export it in one encoding"
        ) from exc
    except pd.errors.ParserError as exc:
        raise UnreadableFileError(f"CSV structure broken ({exc}); the file may be truncated") from exc


def read_xlsx_chunks(path: Path, known_headers: set[str]) -> Iterator[Chunk]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFileError(f"not a readable XLSX workbook ({type(exc).__name__})") from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        head: list[list[str]] = []
        for row in rows:
            head.append(["" if v is None else str(v) for v in row])
            if len(head) >= HEADER_SCAN_ROWS:
                break
        if not head:
            raise UnreadableFileError("workbook's first sheet is empty")
        skip = find_header_row(head, known_headers)
        header = _dedupe_headers(head[skip])
        pending = head[skip + 1:]
        start = skip + 2
        buf: list[list[str]] = []
        buf_start = start

        def as_frame(block: list[list[str]]) -> pd.DataFrame:
            width = len(header)
            fixed = [(r + [""] * width)[:width] for r in block]
            return pd.DataFrame(fixed, columns=header, dtype=str)

        def cells(row: tuple) -> list[str]:
            return ["" if v is None else _cell_text(v) for v in row]

        for r in pending:
            buf.append(r)
        for row in rows:
            buf.append(cells(row))
            if len(buf) >= CHUNK_ROWS:
                yield buf_start, _drop_blank(as_frame(buf))
                buf_start += len(buf)
                buf = []
        if buf:
            yield buf_start, _drop_blank(as_frame(buf))
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _drop_blank(frame: pd.DataFrame) -> pd.DataFrame:
    blank = (frame == "").all(axis=1)
    return frame[~blank]


def read_parquet_chunks(path: Path, known_headers: set[str]) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise UnreadableFileError(f"not a readable Parquet file ({exc})") from exc
    start = 1
    for batch in pf.iter_batches(batch_size=CHUNK_ROWS):
        frame = batch.to_pandas()
        frame = frame.astype(object).where(frame.notna(), "")
        frame = frame.map(lambda v: v if isinstance(v, str) else _cell_text(v))
        yield start, frame
        start += len(frame)


def read_geojson_chunks(path: Path, known_headers: set[str]) -> Iterator[Chunk]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        features = doc["features"]
    except Exception as exc:
        raise UnreadableFileError(f"not a GeoJSON FeatureCollection ({exc})") from exc
    records = [
        {**{k: "" if v is None else str(v) for k, v in (f.get("properties") or {}).items()},
         "geometry": json.dumps(f.get("geometry"), ensure_ascii=False, separators=(",", ":"))}
        for f in features
    ]
    yield 1, pd.DataFrame(records, dtype=str)


READERS = {
    ".csv": read_csv_chunks, ".txt": read_csv_chunks,
    ".xlsx": read_xlsx_chunks, ".xlsm": read_xlsx_chunks,
    ".parquet": read_parquet_chunks,
    ".geojson": read_geojson_chunks, ".json": read_geojson_chunks,
}


def read_chunks(path: Path, known_headers: set[str]) -> Iterator[Chunk]:
    """Chunks of the file's rows as text; raises UnreadableFileError for whole-file problems."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFileError(
            f"unsupported file type {path.suffix!r}: send CSV, XLSX, Parquet or GeoJSON"
        )
    if path.stat().st_size == 0:
        raise UnreadableFileError("file is empty (0 bytes)")
    yield from reader(path, known_headers)
