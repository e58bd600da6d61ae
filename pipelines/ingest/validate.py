"""Validate and type one batch of a landing file against its contract, in DuckDB SQL.

The readers hand over every cell as text (an Arrow table); one generated SQL statement per
contract folds each cell (full-width digits and letters, trimming), types it with TRY_CAST /
regular expressions, checks ranges, code lists, reference codes and date sanity, and writes a
reason for every cell it rejects. A row with any rejected cell goes to quarantine whole, with
the first failing field named and all reasons listed, so nothing is dropped silently and counts
reconcile: rows in = rows loaded + rows quarantined. The SQL also does the firewall's
generalisation (age bands) and the ID-number checks (see ``firewall.sql_id_number``), so only
the HMAC and the redaction of free text are left to Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.ingest import firewall
from pipelines.ingest.contracts import ColumnSpec, Contract, load_contracts, normalise_header

TRUE_WORDS = ("是", "y", "yes", "true", "1", "有", "√", "t")
FALSE_WORDS = ("否", "n", "no", "false", "0", "无", "×", "f")
ICD10_RE = r"[A-Z][0-9]{2}(\.[0-9A-Z]{1,3})?"
EARLIEST_DATE = "1900-01-01"
# Full-width forms (FF01-FF5E) and the ideographic space fold to ASCII, as NFKC does for them.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
FULL_WIDTH_CLASS = "[\uff01-\uff5e\u3000]"  # a Python escape: the characters themselves reach RE2
HALF_WIDTH = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " "
ROW = "__row"  # 1-based row number in the file, as a person opening it would count
PROBLEM = "__problem"  # set by a reader for a row it could not split (ragged, undecodable)


@dataclass(frozen=True)
class ReferenceSets:
    """Codes that rows must point at (loaded from reference data already ingested)."""

    townships: frozenset[str] = frozenset()
    villages: frozenset[str] = frozenset()
    schools: frozenset[str] = frozenset()
    township_names: dict[str, str] = field(default_factory=dict)
    # county code (6 digits) → township name → township code; names repeat across counties
    township_names_by_county: dict[str, dict[str, str]] = field(default_factory=dict)

    def allowed(self, kind: str) -> frozenset[str]:
        return {"township": self.townships, "village": self.villages, "school": self.schools}[kind]

    def names_for(self, county: str | None) -> dict[str, str]:
        if county and county in self.township_names_by_county:
            return self.township_names_by_county[county]
        return self.township_names

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """The code sets as temp tables ``_ref_township`` … for the validation SQL."""
        for kind in ("township", "village", "school"):
            table = pa.table({"code": pa.array(sorted(self.allowed(kind)), pa.string())})
            over(con, f"create or replace temp table _ref_{kind} as select code from _t", table)


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
            raise HeaderError(
                f"column {base!r} appears twice in the header: keep one and re-send the file"
            )
        mapping[col] = name
    missing = [
        f"{n} ({spec.headers[0]})"
        for n, spec in contract.columns.items()
        if spec.required and n not in mapping.values()
    ]
    if missing:
        if not mapping:
            raise HeaderError(
                f"no column of dataset {contract.dataset} found in the header: is this file in the "
                "wrong folder or under the wrong name, or in an encoding other than UTF-8/GB18030 "
                "(Big5?)? Check it and re-send it as UTF-8 CSV"
            )
        raise HeaderError(
            "missing required column(s): "
            + ", ".join(missing)
            + ": add them with these headers and re-send the file"
        )
    return mapping


def guess_dataset(columns: list[str], contracts: dict[str, Contract] | None = None) -> str | None:
    """The dataset whose required headers all appear among ``columns`` (most hits wins)."""
    contracts = contracts or load_contracts()
    folded = {normalise_header(c.split("__dup")[0]) for c in columns}
    best, best_hits = None, 0
    for c in contracts.values():
        lookup = c.header_lookup()
        hit_names = {lookup[h] for h in folded if h in lookup}
        required = {n for n, s in c.columns.items() if s.required}
        if required <= hit_names and len(hit_names) > best_hits:
            best, best_hits = c.dataset, len(hit_names)
    return best


def header_error(exc: HeaderError, columns: list[str], contract: Contract) -> HeaderError:
    """``exc``, saying which dataset the header looks like when it is another one."""
    looks = guess_dataset(columns)
    if looks is None or looks == contract.dataset:
        return exc
    other = load_contracts()[looks]
    return HeaderError(
        f"{exc}. Its header looks like a {looks} file, not {contract.dataset}: "
        f"name it {looks}_… and put it in landing/{other.source}/"
    )


# --------------------------------------------------------------------------- SQL building


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fold(raw: str) -> str:
    # strlen (bytes) = length (characters) means ASCII only: nothing to fold
    # DuckDB's translate() is slow; most cells are ASCII (strlen, bytes = length, characters)
    # or hold no full-width form at all
    return (
        f"trim(case when strlen({raw}) = length({raw}) or not regexp_matches({raw}, '[\uff01-\uff5e\u3000]') "
        f"then {raw} else translate({raw}, {q(FULL_WIDTH)}, {q(HALF_WIDTH)}) end)"
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass
class ColumnSql:
    """SQL for one column. ``lets`` are named intermediate expressions, each in its own CTE
    layer (so that a long expression is computed once, not pasted into every check); the
    typed value becomes column ``<p>_v``, which ``reason`` (NULL when fine) may use."""

    value: str
    reason: str
    lets: list[tuple[str, str]] = field(default_factory=list)


def _number(spec: ColumnSpec, t: str, p: str, integer: bool) -> ColumnSql:
    d = f"{p}_d"
    lets = [(d, f"try_cast(replace({t}, ',', '') as double)")]
    checks = [(f"{t} <> '' and ({d} is null or not isfinite({d}))", f"'not a number: ' || {t}")]
    if integer:
        checks.append((f"{d} <> floor({d})", f"'not a whole number: ' || {t}"))
    if spec.min is not None:
        checks.append((f"{d} < {spec.min}", f"'below minimum {_fmt(spec.min)}: ' || {t}"))
    if spec.max is not None:
        checks.append((f"{d} > {spec.max}", f"'above maximum {_fmt(spec.max)}: ' || {t}"))
    value = f"case when isfinite({d}) then {d} end"
    if integer:
        value = f"case when isfinite({d}) and {d} = floor({d}) and abs({d}) < 9e18 then cast({d} as bigint) end"
    return ColumnSql(value, _case(checks), lets)


def _date_text(t: str) -> str:
    text = f"replace(replace(replace(regexp_replace({t}, '[年/.]', '-', 'g'), '月', '-'), '日', ''), 'T', ' ')"
    return (
        f"(case when regexp_full_match({t}, '[0-9]{{8}}') then "
        f"substr({t}, 1, 4) || '-' || substr({t}, 5, 2) || '-' || substr({t}, 7, 2) else {text} end)"
    )


def sql_date(now: pd.Timestamp) -> str:
    """The run's date as a SQL literal (instead of ``current_date``, which makes DuckDB
    re-plan a prepared statement on every execution)."""
    return f"date {q(now.strftime('%Y-%m-%d'))}"


def _temporal(spec: ColumnSpec, t: str, p: str, now: pd.Timestamp) -> ColumnSql:
    d, v = f"{p}_d", f"{p}_v"
    lets = [(d, _date_text(t))]
    checks = []
    if spec.type == "month":
        full = f"(case when regexp_full_match({d}, '[0-9]{{4}}-[0-9]{{1,2}}') then {d} || '-01' else {d} end)"
        value = f"try_strptime({full}, '%Y-%m-%d')::date"
    elif spec.type == "date":
        value = f"try_strptime(substr({d}, 1, 10), '%Y-%m-%d')::date"
        checks.append(
            (
                f"length({d}) > 10 and not regexp_full_match(substr({d}, 11), '\\s+0{{1,2}}:00(:00)?')",
                f"'expected a date without time: ' || {d}",
            )
        )
    else:
        value = f"try_cast({d} as timestamp)"
    checks.append((f"{t} <> '' and {v} is null", f"'not a valid date (YYYY-MM-DD): ' || {d}"))
    checks.append((f"{v} < date {q(EARLIEST_DATE)}", f"'date before 1900: ' || {d}"))
    if spec.not_future:
        checks.append(
            (
                f"{v} > timestamp {q(now.strftime('%Y-%m-%d %H:%M:%S'))}",
                f"'date in the future: ' || {d}",
            )
        )
    return ColumnSql(value, _case(checks), lets)


def _bool(t: str, p: str) -> ColumnSql:
    low = f"lower({t})"
    # a CASE switch, not IN (…): DuckDB plans IN lists as joins
    whens = " ".join(
        [f"when {q(w)} then true" for w in TRUE_WORDS]
        + [f"when {q(w)} then false" for w in FALSE_WORDS]
    )
    value = f"(case {low} {whens} end)"
    return ColumnSql(value, _case([(f"{t} <> '' and {p}_v is null", f"'not 是/否: ' || {t}")]))


def _code_case(t: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"when {q(k)} then {q(v)}" for k, v in mapping.items())
    return f"(case {t} {whens} end)" if mapping else "null::varchar"


def _code(spec: ColumnSpec, t: str, p: str) -> ColumnSql:
    import unicodedata

    lookup = {
        unicodedata.normalize("NFKC", str(k)).strip(): v for k, v in (spec.codes or {}).items()
    }
    allowed = "/".join(dict.fromkeys(str(k) for k in (spec.codes or {})))
    return ColumnSql(
        _code_case(t, lookup),
        _case(
            [
                (
                    f"{t} <> '' and {p}_v is null",
                    f"'unknown code ' || {t} || {q(f' (expected {allowed})')}",
                )
            ]
        ),
    )


def _admin_code(spec: ColumnSpec, t: str) -> ColumnSql:
    checks = [
        (
            f"{t} <> '' and not regexp_full_match({t}, '[0-9]{{12}}')",
            f"'not a 12-digit 区划代码: ' || {t}",
        )
    ]
    if spec.references:
        checks.append(
            (
                f"{t} <> '' and {t} not in (select code from _ref_{spec.references})",
                f"'unknown {spec.references} code: ' || {t}",
            )
        )
    return ColumnSql(f"nullif({t}, '')", _case(checks))


def _reference_string(spec: ColumnSpec, t: str) -> ColumnSql:
    check = (
        f"{t} <> '' and {t} not in (select code from _ref_{spec.references})",
        f"'unknown {spec.references}: ' || {t}",
    )
    return ColumnSql(f"nullif({t}, '')", _case([check]))


def _icd10(spec: ColumnSpec, t: str, p: str) -> ColumnSql:
    u, c = f"{p}_u", f"{p}_c"
    lets = [
        (u, f"upper(replace({t}, ' ', ''))"),
        (
            c,
            f"(case when regexp_full_match({u}, '[A-Z][0-9]{{3,4}}') then substr({u}, 1, 3) || '.' || substr({u}, 4) else {u} end)",
        ),
    ]
    checks = [
        (
            f"{t} <> '' and not regexp_full_match({c}, {q(ICD10_RE)})",
            f"'not an ICD-10 code: ' || {c}",
        )
    ]
    if spec.prefixes:
        ok = " or ".join(f"starts_with({c}, {q(x)})" for x in spec.prefixes)
        checks.append(
            (
                f"{t} <> '' and not ({ok})",
                f"{q('ICD-10 code outside ' + ','.join(spec.prefixes) + ': ')} || {c}",
            )
        )
    return ColumnSql(f"nullif({c}, '')", _case(checks), lets)


def _case(checks: list[tuple[str, str]]) -> str:
    if not checks:
        return "null::varchar"
    return "(case " + " ".join(f"when {cond} then {msg}" for cond, msg in checks) + " end)"


def column_sql(
    spec: ColumnSpec,
    t: str,
    p: str,
    raw: str,
    refs: ReferenceSets,
    now: pd.Timestamp,
    county: str | None,
) -> ColumnSql:
    kind = spec.type
    if kind in ("int", "float"):
        return _number(spec, t, p, integer=kind == "int")
    if kind in ("date", "datetime", "month"):
        return _temporal(spec, t, p, now)
    if kind == "bool":
        return _bool(t, p)
    if kind == "code":
        return _code(spec, t, p)
    if kind == "admin_code12":
        return _admin_code(spec, t)
    if kind == "township_name":  # free-typed names resolve to codes; unknown stays NULL
        return ColumnSql(_code_case(t, refs.names_for(county)), "null::varchar")
    if kind == "icd10":
        return _icd10(spec, t, p)
    if kind == "text":
        return ColumnSql(f"nullif(trim({raw}), '')", "null::varchar")
    if kind == "string" and spec.references:
        return _reference_string(spec, t)
    if kind == "id_number" and spec.pii == "pseudonymise":
        return firewall.sql_id_number(raw, p, sql_date(now))
    return ColumnSql(f"nullif({t}, '')", "null::varchar")  # identifiers: trimmed only


def build_sql(
    contract: Contract,
    mapping: dict[str, str],
    file_columns: list[str],
    refs: ReferenceSets,
    now: pd.Timestamp,
    county: str | None,
    source: str = "_t",
) -> str:
    """One statement over the batch (``source``: its file columns named c0, c1 …, plus
    ``__row`` and ``__problem``): typed columns, ``__reason``, ``__field`` and ``__raw``
    (the file's own cells as JSON, for rejected rows only)."""
    position = {c: f"c{j}" for j, c in enumerate(file_columns)}
    by_name = {v: position[k] for k, v in mapping.items()}
    folded, typed, reasons, layers = [], [], [], []
    for i, (name, spec) in enumerate(contract.columns.items()):
        raw = f"coalesce({by_name[name]}, '')" if name in by_name else "''"
        t, p = f"t{i}", f"p{i}"
        folded.append(f"{_fold(raw)} as {t}")
        col = column_sql(spec, t, p, raw, refs, now, county)
        for k, (let_name, expr) in enumerate(col.lets):
            if len(layers) <= k:
                layers.append([])
            layers[k].append(f"{expr} as {let_name}")
        reason = col.reason
        if spec.required and spec.type != "township_name":
            reason = (
                f"coalesce({reason}, case when {p}_v is null then 'required value is empty' end)"
            )
        typed.append(f"{col.value} as {p}_v")
        reasons.append((name, f"r{i}", reason))
    reason_cols = [f"{expr} as {r}" for _, r, expr in reasons]
    all_reasons = (
        "concat_ws('; ', "
        + ", ".join([f"{PROBLEM}"] + [f"{q(n + ': ')} || {r}" for n, r, _ in reasons])
        + ")"
    )
    first_field = (
        "coalesce("
        + ", ".join(
            [f"case when {PROBLEM} is not null then 'row' end"]
            + [f"case when {r} is not null then {q(n)} end" for n, r, _ in reasons]
        )
        + ")"
    )
    hidden = {
        by_name[n] for n, s in contract.columns.items() if s.pii == "pseudonymise" and n in by_name
    }
    raw_pairs = ", ".join(
        f"{q(c)}, "
        + (
            f"case when {position[c]} <> '' then '〔已移除〕' else '' end"
            if position[c] in hidden
            else position[c]
        )
        for c in file_columns
    )
    raw_json = f"json_object({raw_pairs})" if file_columns else "'{}'"
    names = ", ".join(f"p{i}_v as {ident(n)}" for i, n in enumerate(contract.columns))
    lets = "".join(
        f"), let{k} as (select *, {', '.join(items)} from {'folded' if k == 0 else f'let{k - 1}'}\n"
        for k, items in enumerate(layers)
    )
    last = f"let{len(layers) - 1}" if layers else "folded"
    return f"""
        with folded as (
            select * replace (nullif({PROBLEM}, '') as {PROBLEM}), {", ".join(folded)} from {source}
        {lets}), typed as (
            select *, {", ".join(typed)} from {last}
        ), checked as (
            select *, {", ".join(reason_cols)} from typed
        ), final as (
            select *, nullif({all_reasons}, '') as __reason, {first_field} as __field from checked
        )
        select {names}, {ROW} as _row_number, __reason, __field,
               case when __reason is not null then {raw_json} end as __raw
        from final
    """


def over(con: duckdb.DuckDBPyConnection, sql: str, _t: pa.Table) -> duckdb.DuckDBPyConnection:
    """Run ``sql`` with the Arrow table visible as ``_t`` (DuckDB's replacement scan finds this
    function's local). Unlike ``con.register``, which pins every registered table until the
    transaction commits (memory growing with the file), nothing outlives the statement."""
    return con.execute(sql)


def today() -> pd.Timestamp:
    return (
        pd.Timestamp(dt.datetime.now()).normalize() + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    )


__all__ = [
    "ReferenceSets",
    "HeaderError",
    "map_headers",
    "guess_dataset",
    "header_error",
    "build_sql",
    "over",
    "today",
]
