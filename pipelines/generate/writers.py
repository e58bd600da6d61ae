"""Writes landing files exactly as the departments export them, byte-reproducibly.

Every writer takes a frame with the contract's English column names, renames them to the
contract's first Chinese header (in contract order) and writes one file. XLSX workbooks are
re-packed with fixed zip timestamps and fixed document properties so that the same seed gives
the same bytes; CSV line endings and encodings are explicit.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.generate.config import headers

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2020-01-01T00:00:00Z"
_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_CREATED = re.compile(rb"<dcterms:created([^>]*)>[^<]*</dcterms:created>")


class ContractMismatchError(ValueError):
    """A frame does not carry the columns its contract lists."""


def to_landing(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The frame's contract columns, in contract order, renamed to the first headers."""
    mapping = headers(dataset)
    missing = [c for c in mapping if c not in frame.columns]
    if missing:
        raise ContractMismatchError(f"{dataset}: generator frame lacks columns {missing}")
    return frame[list(mapping)].rename(columns=mapping)


def write_csv(frame: pd.DataFrame, dataset: str, path: Path, encoding: str = "utf-8") -> int:
    """CSV in ``encoding`` ('utf-8', 'utf-8-sig' for BOM, or 'gb18030'); returns rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = to_landing(frame, dataset)
    text = out.to_csv(index=False, lineterminator="\r\n")
    path.write_bytes(text.encode(encoding))
    return len(out)


def write_parquet(frame: pd.DataFrame, dataset: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = to_landing(frame, dataset)
    table = pa.Table.from_pandas(out, preserve_index=False)
    pq.write_table(table, path, compression="snappy")
    return len(out)


def _repack_deterministic(raw: bytes) -> bytes:
    """The same workbook with fixed entry timestamps and fixed created/modified properties."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = _MODIFIED.sub(rb"<dcterms:modified\1>" + FIXED_DOC_TIME.encode()
                                     + rb"</dcterms:modified>", data)
                data = _CREATED.sub(rb"<dcterms:created\1>" + FIXED_DOC_TIME.encode()
                                    + rb"</dcterms:created>", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def write_xlsx(frame: pd.DataFrame, dataset: str, path: Path, sheet: str,
               title: str | None = None) -> int:
    """One-sheet workbook; ``title`` adds a title row above the header, as exports often do."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    out = to_landing(frame, dataset)
    wb = Workbook(write_only=True)
    wb.properties.creator = "xintai synthetic county"
    ws = wb.create_sheet(sheet)
    if title:
        ws.append([title])
    ws.append(list(out.columns))
    for row in out.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_repack_deterministic(buf.getvalue()))
    return len(out)


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def write_json(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
                    encoding="utf-8")
