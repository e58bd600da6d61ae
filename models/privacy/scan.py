"""PII scanner for a DuckDB database (the last gate before publishing, DESIGN.md principle 2).

Every column of every table and view in every schema is checked:

* **person keys**: a column named like one (``pid``, ``*_pid``, ``person_*``,
  ``*_id_number``, ``id_number``, phone/mobile/身份证/姓名/电话 columns) or whose values are
  64-hex-character strings (HMAC pseudonyms): published tables hold no person key at all;
* **text and number columns**: ID numbers (checksum / birth date), mobiles and landlines,
  bank cards (Luhn, 16-19 digits), e-mail, plates, QQ/WeChat ids, house-level addresses, and
  names **only** with a cue (title, 某, role noun) or from a supplied list. Cue-less guessing
  is left to the redactor: published tables are full of township, village and school names.

DuckDB does the heavy lifting: one pass per table counts, per column, the cells matching a
loose RE2 pre-filter (long digit runs, ``@``, cue words); only those cells (distinct values)
come back to Python, where :func:`models.privacy.redact.find_pii` confirms them. Pure
12-digit 统计用区划代码 and 6-/9-digit codes are excluded in SQL.

A :class:`Hit` carries a masked example (``138******78``), never a full value.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from models.privacy.idnumber import is_valid_id_number
from models.privacy.redact import find_pii, luhn_ok

__all__ = ["Hit", "mask", "scan_database"]

log = logging.getLogger(__name__)

MAX_DISTINCT_CANDIDATES = 20_000  # per column; beyond that the count is a lower bound

PERSON_KEY_COLUMN = re.compile(
    r"^(?:pid|.*_pid|person_.*|.*_?id_number|id_card.*|.*_id_card|sfzh|身份证.*|.*身份证号?|"
    r"phone|.*_phone|mobile|.*_mobile|手机.*|电话.*|姓名|.*_name_of_person)$",
    re.IGNORECASE,
)
# Aggregate denominators that share the person_ prefix but hold no person key.
NOT_PERSON_KEY = re.compile(r"^person_(?:years?|months?|time|days?|count|counts|n)$", re.I)

_TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "JSON")
_INT_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "INT",
    "INT8",
    "INT4",
)
_HEX64 = "[0-9a-fA-F]{64}"
_CUES = (
    "女士|先生|小姐|老师|师傅|大爷|大妈|阿姨|同学|经理|书记|主任|医生|某|"
    "市民|村民|居民|来电人|来访人|信访人|投诉人|举报人|当事人|患者|报警人|求助者|名叫"
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = f"[{_PROVINCES}][A-Za-z][·. -]?[A-Za-z0-9]{{5,6}}"
_TEXT_PREFILTER = (
    r"[0-9０-９][0-9０-９ \-]{9,}[0-9０-９Xx]|@|＠|QQ|qq|微信|[0-9]\s*(栋|幢|单元|室|号)|"
    + _PLATE
    + "|"
    + _CUES
)
_CODE_ONLY = "[0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{1,10}(\\.[0-9]+)?"
_NUMERIC_PREFILTER = "1[3-9][0-9]{9}|[1-9][0-9]{14}|[1-9][0-9]{15,18}"


@dataclass(frozen=True)
class Hit:
    """PII found in ``table.column``: ``rows`` rows matched, ``example`` masked."""

    table: str
    column: str
    type: str
    rows: int
    example: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column}: {self.type}, {self.rows} rows, e.g. {self.example}"


def mask(value: str, typ: str) -> str:
    """A recognisable but non-identifying rendering of ``value``."""
    v = str(value)
    n = len(v)
    if typ == "email" and "@" in v:
        user, _, domain = v.partition("@")
        return f"{user[:1]}***@{domain}"
    if typ == "name":
        return v[:1] + "*" * max(n - 1, 1)
    if typ in ("pseudonym", "person_key_column") and n > 8:
        return v[:6] + "…"
    if n <= 2:
        return "*" * n
    keep_head = 3 if n >= 11 else 1
    keep_tail = 2 if n >= 11 else 1
    return v[:keep_head] + "*" * (n - keep_head - keep_tail) + v[n - keep_tail :]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scan_database(path: str | Path, known_names: Iterable[str] | None = None) -> list[Hit]:
    """Scan the DuckDB file at ``path`` (opened read-only) for PII; empty list = clean."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}")
    names = tuple(sorted({n.strip() for n in known_names or () if n and len(n.strip()) >= 2}))
    con = duckdb.connect(str(path), read_only=True)
    try:
        return _scan(con, names)
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    rows = con.execute(
        """
        select table_catalog, table_schema, table_name, column_name, data_type
        from information_schema.columns
        where table_schema not in ('information_schema', 'pg_catalog')
          and table_catalog not in ('system', 'temp')
        order by table_catalog, table_schema, table_name, ordinal_position
        """
    ).fetchall()
    tables: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for cat, schema, table, column, dtype in rows:
        tables.setdefault((cat, schema, table), []).append((column, dtype.upper()))
    return tables


def _scan(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> list[Hit]:
    hits: list[Hit] = []
    text_filter = _TEXT_PREFILTER + ("|" + "|".join(re.escape(n) for n in names) if names else "")
    for (cat, schema, table), columns in _columns(con).items():
        label = table if schema == "main" else f"{schema}.{table}"
        relation = f"{_q(cat)}.{_q(schema)}.{_q(table)}"
        try:
            hits += _scan_table(con, relation, label, columns, text_filter, names)
        except duckdb.Error as exc:  # a broken view must not hide the other tables
            log.warning("could not scan %s: %s", label, exc)
            hits.append(Hit(label, "*", "unreadable", 0, type(exc).__name__))
    return hits


def _kind(dtype: str) -> str | None:
    base = dtype.split("(")[0].strip()
    if base in _TEXT_TYPES:
        return "text"
    if base in _INT_TYPES or (base == "DECIMAL" and dtype.rstrip(")").endswith(",0")):
        return "number"
    return None


def _scan_table(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    label: str,
    columns: Sequence[tuple[str, str]],
    text_filter: str,
    names: tuple[str, ...],
) -> list[Hit]:
    hits: list[Hit] = []
    selects: list[str] = []
    checks: list[tuple[str, str, str]] = []  # (column, kind, sql filter)
    for column, dtype in columns:
        kind = _kind(dtype)
        if PERSON_KEY_COLUMN.match(column) and not NOT_PERSON_KEY.match(column):
            selects.append(f"count({_q(column)})")
            selects.append(f"any_value(cast({_q(column)} as varchar))")
            checks.append((column, "key", ""))
        if kind == "text":
            c = _q(column)
            hex_sql = f"regexp_full_match({c}, {_lit(_HEX64)})"
            cand = (
                f"regexp_matches({c}, {_lit(text_filter)}) "
                f"and not regexp_full_match({c}, {_lit(_CODE_ONLY)})"
            )
            selects += [
                f"count(*) filter (where {hex_sql})",
                f"any_value({c}) filter (where {hex_sql})",
                f"count(*) filter (where {cand})",
            ]
            checks.append((column, "text", cand))
        elif kind == "number":
            c = f"cast({_q(column)} as varchar)"
            cand = f"regexp_full_match({c}, {_lit(_NUMERIC_PREFILTER)})"
            selects.append(f"count(*) filter (where {cand})")
            checks.append((column, "number", cand))
    if not selects:
        return hits
    summary = con.execute(f"select {', '.join(selects)} from {relation}").fetchone()
    k = 0
    for column, kind, cand in checks:
        if kind == "key":
            n, example = summary[k], summary[k + 1]
            k += 2
            if n:
                hits.append(
                    Hit(
                        label,
                        column,
                        "person_key_column",
                        n,
                        mask(str(example), "person_key_column"),
                    )
                )
            continue
        if kind == "text":
            n_hex, hex_example, n_cand = summary[k], summary[k + 1], summary[k + 2]
            k += 3
            if n_hex:
                hits.append(Hit(label, column, "pseudonym", n_hex, mask(hex_example, "pseudonym")))
        else:
            n_cand = summary[k]
            k += 1
        if n_cand:
            hits += _confirm(con, relation, label, column, kind, cand, names)
    return hits


def _confirm(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    label: str,
    column: str,
    kind: str,
    cand: str,
    names: tuple[str, ...],
) -> list[Hit]:
    value_sql = _q(column) if kind == "text" else f"cast({_q(column)} as varchar)"
    rows = con.execute(
        f"select {value_sql}, count(*) from {relation} where {cand} "
        f"group by 1 limit {MAX_DISTINCT_CANDIDATES}"
    ).fetchall()
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    for value, n in rows:
        for typ, found in _confirm_value(value, kind, names):
            counts[typ] = counts.get(typ, 0) + n
            examples.setdefault(typ, mask(found, typ))
    return [Hit(label, column, typ, counts[typ], examples[typ]) for typ in sorted(counts)]


def _confirm_value(value: str, kind: str, names: tuple[str, ...]) -> set[tuple[str, str]]:
    """The (type, matched text) pairs confirmed in one cell, one per type."""
    if kind == "number":
        if re.fullmatch(r"1[3-9][0-9]{9}", value):
            return {("phone", value)}
        if len(value) in (15, 18) and is_valid_id_number(value):
            return {("id_number", value)}
        if 16 <= len(value) <= 19 and luhn_ok(value):
            return {("bank_card", value)}
        return set()
    found: dict[str, str] = {}
    for span in find_pii(value, names or None, names="cued"):
        text = value[span.start : span.end]
        if span.type == "id_number" and not is_valid_id_number(text):
            continue  # the redactor errs towards redaction; the scanner wants a valid number
        found.setdefault(span.type, text)
    return set(found.items())
