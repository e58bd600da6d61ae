"""Validate and type one chunk of a landing file against its contract, vectorised.

Each column parser takes the raw text cells and returns typed values plus a reason for every
cell it rejects. A row with any rejected cell goes to quarantine whole, with the first failing
field named and all reasons listed, so nothing is dropped silently and counts reconcile:
rows in = rows loaded + rows quarantined.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.ingest.contracts import ColumnSpec, Contract, normalise_header

TRUE_WORDS = {"是", "y", "yes", "true", "1", "有", "√", "t"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "无", "×", "f"}
ICD10_RE = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,3})?$"
EARLIEST_DATE = pd.Timestamp("1900-01-01")


@dataclass(frozen=True)
class ReferenceSets:
    """Codes that rows must point at (loaded from reference data already ingested)."""

    townships: frozenset[str] = frozenset()
    villages: frozenset[str] = frozenset()
    schools: frozenset[str] = frozenset()
    township_names: dict[str, str] = field(default_factory=dict)

    def allowed(self, kind: str) -> frozenset[str]:
        return {"township": self.townships, "village": self.villages, "school": self.schools}[kind]


@dataclass
class Parsed:
    values: pd.Series
    reason: pd.Series  # "" where the cell is fine


def fold(series: pd.Series) -> pd.Series:
    """NFKC (full-width digits and letters) and trimmed: the canonical text of a cell."""
    return series.map(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else "")


def _reasons(index: pd.Index) -> pd.Series:
    return pd.Series("", index=index, dtype=object)


def _flag(reason: pd.Series, mask: pd.Series | np.ndarray, text: str | pd.Series) -> None:
    mask = pd.Series(mask, index=reason.index) & (reason == "")
    if isinstance(text, pd.Series):
        reason[mask] = text[mask]
    else:
        reason[mask] = text


def parse_number(raw: pd.Series, spec: ColumnSpec, integer: bool) -> Parsed:
    text = fold(raw).str.replace(",", "", regex=False)
    values = pd.to_numeric(text, errors="coerce")
    reason = _reasons(raw.index)
    present = text != ""
    _flag(reason, present & values.isna(), "not a number: " + text)
    if integer:
        _flag(reason, present & values.notna() & (values % 1 != 0), "not a whole number: " + text)
    if spec.min is not None:
        _flag(reason, values < spec.min, "below minimum " + _fmt(spec.min) + ": " + text)
    if spec.max is not None:
        _flag(reason, values > spec.max, "above maximum " + _fmt(spec.max) + ": " + text)
    values = values.where(reason == "")
    return Parsed(values.astype("Int64") if integer else values.astype("Float64"), reason)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _normalise_date_text(text: pd.Series) -> pd.Series:
    text = (
        text.str.replace(r"[年/.]", "-", regex=True)
        .str.replace("月", "-", regex=False)
        .str.replace("日", "", regex=False)
        .str.replace("T", " ", regex=False)
    )
    compact = text.str.fullmatch(r"\d{8}")
    text = text.where(~compact, text.str[:4] + "-" + text.str[4:6] + "-" + text.str[6:8])
    return text


def parse_temporal(raw: pd.Series, spec: ColumnSpec, now: pd.Timestamp) -> Parsed:
    text = _normalise_date_text(fold(raw))
    reason = _reasons(raw.index)
    if spec.type == "month":
        full = text.where(~text.str.fullmatch(r"\d{4}-\d{1,2}"), text + "-01")
        values = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")
    elif spec.type == "date":
        values = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        has_time = text.str.len() > 10
        # a date column exported with a midnight time part is still a date
        _flag(reason, has_time & ~text.str.slice(10).str.fullmatch(r"\s+0{1,2}:00(:00)?"),
              "expected a date without time: " + text)
    else:
        values = pd.to_datetime(text, format="ISO8601", errors="coerce")
    present = text != ""
    _flag(reason, present & values.isna(), "not a valid date (YYYY-MM-DD): " + text)
    _flag(reason, values < EARLIEST_DATE, "date before 1900: " + text)
    if spec.not_future:
        _flag(reason, values > now, "date in the future: " + text)
    values = values.where(reason == "")
    if spec.type in ("date", "month"):
        values = values.dt.normalize()
    return Parsed(values, reason)


def parse_bool(raw: pd.Series, spec: ColumnSpec) -> Parsed:
    text = fold(raw).str.lower()
    values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    values[text.isin(TRUE_WORDS)] = True
    values[text.isin(FALSE_WORDS)] = False
    reason = _reasons(raw.index)
    _flag(reason, (text != "") & values.isna(), "not 是/否: " + text)
    return Parsed(values, reason)


def parse_code(raw: pd.Series, spec: ColumnSpec) -> Parsed:
    lookup = {unicodedata.normalize("NFKC", str(k)).strip(): v for k, v in (spec.codes or {}).items()}
    text = fold(raw)
    values = text.map(lookup)
    reason = _reasons(raw.index)
    allowed = "/".join(dict.fromkeys(str(k) for k in (spec.codes or {})))
    _flag(reason, (text != "") & values.isna(), "unknown code " + text + " (expected " + allowed + ")")
    return Parsed(values.astype(object).where(values.notna(), None), reason)


def parse_admin_code(raw: pd.Series, spec: ColumnSpec, refs: ReferenceSets) -> Parsed:
    text = fold(raw)
    reason = _reasons(raw.index)
    _flag(reason, (text != "") & ~text.str.fullmatch(r"\d{12}"), "not a 12-digit 区划代码: " + text)
    if spec.references:
        allowed = refs.allowed(spec.references)
        _flag(reason, (text != "") & ~text.isin(allowed), f"unknown {spec.references} code: " + text)
    return Parsed(text.where(text != "", None), reason)


def parse_reference_string(raw: pd.Series, spec: ColumnSpec, refs: ReferenceSets) -> Parsed:
    text = fold(raw)
    reason = _reasons(raw.index)
    if spec.references:
        _flag(reason, (text != "") & ~text.isin(refs.allowed(spec.references)),
              f"unknown {spec.references}: " + text)
    return Parsed(text.where(text != "", None), reason)


def parse_township_name(raw: pd.Series, spec: ColumnSpec, refs: ReferenceSets) -> Parsed:
    """Free-typed township names resolve to codes; an unknown name stays unknown (NULL)."""
    text = fold(raw)
    return Parsed(text.map(refs.township_names).astype(object), _reasons(raw.index))


def parse_icd10(raw: pd.Series, spec: ColumnSpec) -> Parsed:
    text = fold(raw).str.upper().str.replace(" ", "", regex=False)
    text = text.where(~text.str.fullmatch(r"[A-Z]\d{3,4}"), text.str[:3] + "." + text.str[3:])
    reason = _reasons(raw.index)
    _flag(reason, (text != "") & ~text.str.fullmatch(ICD10_RE), "not an ICD-10 code: " + text)
    if spec.prefixes:
        ok = np.zeros(len(text), dtype=bool)
        for p in spec.prefixes:
            ok |= text.str.startswith(p).to_numpy()
        _flag(reason, (text != "") & ~ok, "ICD-10 code outside " + ",".join(spec.prefixes) + ": " + text)
    return Parsed(text.where(text != "", None), reason)


def parse_text(raw: pd.Series, spec: ColumnSpec) -> Parsed:
    text = raw.fillna("").astype(str).str.strip()
    return Parsed(text.where(text != "", None), _reasons(raw.index))


def parse_passthrough(raw: pd.Series, spec: ColumnSpec) -> Parsed:
    """Identifiers are parsed by the firewall; here they are only trimmed."""
    text = fold(raw)
    return Parsed(text.where(text != "", None), _reasons(raw.index))


def parser_for(spec: ColumnSpec, refs: ReferenceSets, now: pd.Timestamp) -> Callable[[pd.Series], Parsed]:
    t = spec.type
    if t in ("int", "float"):
        return lambda s: parse_number(s, spec, integer=t == "int")
    if t in ("date", "datetime", "month"):
        return lambda s: parse_temporal(s, spec, now)
    if t == "bool":
        return lambda s: parse_bool(s, spec)
    if t == "code":
        return lambda s: parse_code(s, spec)
    if t == "admin_code12":
        return lambda s: parse_admin_code(s, spec, refs)
    if t == "township_name":
        return lambda s: parse_township_name(s, spec, refs)
    if t == "icd10":
        return lambda s: parse_icd10(s, spec)
    if t == "text":
        return lambda s: parse_text(s, spec)
    if t == "string" and spec.references:
        return lambda s: parse_reference_string(s, spec, refs)
    return lambda s: parse_passthrough(s, spec)


class HeaderError(Exception):
    """The file's header does not fit the contract (whole-file failure)."""


def map_headers(columns: list[str], contract: Contract) -> dict[str, str]:
    """File header → contract column; raises naming missing required columns or duplicates."""
    lookup = contract.header_lookup()
    mapping: dict[str, str] = {}
    for col in columns:
        base = col.split("__dup")[0]
        name = lookup.get(normalise_header(base))
        if name is None:
            continue
        if "__dup" in col or name in mapping.values():
            raise HeaderError(f"column {base!r} appears twice in the header: keep one")
        mapping[col] = name
    missing = [
        f"{n} ({spec.headers[0]})" for n, spec in contract.columns.items()
        if spec.required and n not in mapping.values()
    ]
    if missing:
        if not mapping:
            raise HeaderError(
                f"no column of dataset {contract.dataset} found in the header: "
                "is this file in the wrong folder or under the wrong name?"
            )
        raise HeaderError("missing required column(s): " + ", ".join(missing))
    return mapping


@dataclass
class ValidatedChunk:
    good: pd.DataFrame  # contract column names, typed; _row_number column
    rejected: pd.DataFrame  # _row_number, field, reason, raw (dict of raw cells)


def validate_chunk(
    frame: pd.DataFrame, first_row: int, contract: Contract, mapping: dict[str, str],
    refs: ReferenceSets, now: pd.Timestamp,
) -> ValidatedChunk:
    frame = frame.reset_index(drop=True)
    row_numbers = pd.Series(np.arange(first_row, first_row + len(frame)), dtype="int64")
    renamed = frame[list(mapping)].rename(columns=mapping)
    typed: dict[str, pd.Series] = {}
    first_field = pd.Series("", index=frame.index, dtype=object)
    all_reasons = pd.Series("", index=frame.index, dtype=object)
    for name, spec in contract.columns.items():
        raw = renamed[name] if name in renamed else pd.Series("", index=frame.index, dtype=object)
        parsed = parser_for(spec, refs, now)(raw.fillna("").astype(str))
        reason = parsed.reason.copy()
        if spec.required:
            empty = parsed.values.isna() & (reason == "")
            if spec.type == "township_name":
                empty &= False
            reason[empty] = "required value is empty"
        bad = reason != ""
        first_field[bad & (first_field == "")] = name
        all_reasons[bad] = all_reasons[bad] + (all_reasons[bad].map(lambda r: "; " if r else "")) + name + ": " + reason[bad]
        typed[name] = parsed.values
    good_mask = all_reasons == ""
    good = pd.DataFrame(typed)[good_mask].copy()
    good["_row_number"] = row_numbers[good_mask].to_numpy()
    rejected = pd.DataFrame({
        "_row_number": row_numbers[~good_mask].to_numpy(),
        "field": first_field[~good_mask].to_numpy(),
        "reason": all_reasons[~good_mask].to_numpy(),
        "raw": frame[~good_mask].to_dict("records"),
    })
    return ValidatedChunk(good.reset_index(drop=True), rejected)


def today() -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.now()).normalize() + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)


__all__ = ["ReferenceSets", "HeaderError", "map_headers", "validate_chunk", "today", "fold", "re"]
