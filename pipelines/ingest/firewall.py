"""The privacy firewall applied to validated rows before anything is stored.

Direct identifiers never pass: 身份证号 and phone numbers become keyed HMAC pseudonyms
(invalid ID numbers send the row to quarantine, so one person keeps one pid across sources),
names, phones and exact addresses are dropped, dates of birth and exact ages become 5-year age
bands, and free text is redacted (with the names the same record gives in its structured
fields) before storage.

The checks that are pure arithmetic (ID-number shape, 15→18 upgrade, MOD 11-2 checksum, birth
date; age bands) are SQL expressions run inside the validation statement, with the same rules
and reason codes as ``models.privacy.idnumber``; Python does only the HMAC (hashlib over a
list) and the redaction.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from models.privacy.idnumber import CHECK_CHARS, WEIGHTS, normalise_id_series
from models.privacy.pseudonym import InvalidPhone, Pseudonymiser, normalise_phone
from pipelines.ingest.contracts import Contract

if TYPE_CHECKING:
    from pipelines.ingest.validate import ColumnSql

AGE_BANDS = [(lo, f"{lo}-{lo + 4}") for lo in range(0, 85, 5)] + [(85, "85+")]
LIST_SPLIT = re.compile(r"[；;,，、\s]+")
# what idnumber._TRANSLATION does: full-width digits/letters to ASCII, separators removed
_ID_FROM = (
    "".join(chr(0xFF10 + i) for i in range(10))
    + "".join(chr(0xFF21 + i) for i in range(26))
    + "".join(chr(0xFF41 + i) for i in range(26))
)
_ID_TO = "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz"
_ID_SEPARATORS = " \t\u3000-\uff0d\u2010\u2011\u2012\u2013\u2014_\u00a0"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_id_number(raw: str, p: str, today: str = "current_date") -> ColumnSql:
    """Canonical 18-character 身份证号 (value) and 'invalid 身份证号 (<reason>)' (reason), as
    named intermediate columns so that DuckDB computes each step once. ``today`` is the SQL
    date a birth date may not follow (a literal keeps the statement reusable as prepared)."""
    from pipelines.ingest.validate import ColumnSql

    clean, body, check, born, code = (
        f"{p}_{x}" for x in ("clean", "body", "check", "born", "code")
    )
    total = " + ".join(
        f"{w} * (ascii(substr({body}, {i + 1}, 1)) - 48)" for i, w in enumerate(WEIGHTS)
    )
    shape = (
        f"(length({clean}) = 15 and regexp_full_match({clean}, '[0-9]{{15}}') "
        f"or length({clean}) = 18 and regexp_full_match({clean}, '[0-9]{{17}}[0-9X]'))"
    )
    lets = [
        (
            clean,
            f"upper(case when regexp_full_match({raw}, '[0-9Xx]*') then {raw} else "
            f"translate(translate({raw}, {_lit(_ID_SEPARATORS)}, ''), {_lit(_ID_FROM)}, {_lit(_ID_TO)}) end)",
        ),
        (
            body,
            f"(case when length({clean}) = 15 then substr({clean}, 1, 6) || '19' || substr({clean}, 7) "
            f"else substr({clean}, 1, 17) end)",
        ),
        (
            check,
            f"case when regexp_full_match({body}, '[0-9]{{17}}') then "
            f"substr({_lit(CHECK_CHARS)}, (({total}) % 11) + 1, 1) end",
        ),
        (born, f"try_strptime(substr({body}, 7, 8), '%Y%m%d')"),
        (
            code,
            f"case when {clean} = '' then null "
            f"when not regexp_full_match({clean}, '[0-9X]+') then 'bad_characters' "
            f"when length({clean}) not in (15, 18) then 'bad_length' "
            f"when not {shape} then 'bad_characters' "
            f"when length({clean}) = 18 and {check} <> substr({clean}, 18, 1) then 'bad_checksum' "
            f"when {born} is null or {born} < date '1900-01-01' or {born} > {today} "
            f"then 'bad_birth_date' end",
        ),
    ]
    reason = f"(case when {code} is not null then 'invalid 身份证号 (' || {code} || ')' end)"
    value = f"(case when {clean} <> '' and {code} is null then {body} || {check} end)"
    return ColumnSql(value, reason, lets)


def sql_age_band(age: str) -> str:
    """5-year bands as in the population table ('0-4' … '85+') of an integer age expression."""
    lo = f"(floor(({age}) / 5) * 5)::bigint"
    return (
        f"(case when ({age}) is null then null when ({age}) >= 85 then '85+' "
        f"else {lo}::varchar || '-' || ({lo} + 4)::varchar end)"
    )


def sql_years_between(born: str, at: str) -> str:
    return (
        f"(year({at}) - year({born}) - case when month({at}) < month({born}) or "
        f"(month({at}) = month({born}) and day({at}) < day({born})) then 1 else 0 end)"
    )


def stored_select(contract: Contract, today: str = "current_date") -> list[str]:
    """SQL select items turning validated columns into stored ones: drops identifiers,
    replaces ages / dates of birth by an age band (age on ``age_at``, else on ``today``).
    Keeps name columns as ``__name_<col>`` for the redaction of free text in the same record
    (dropped after it)."""
    from pipelines.ingest.validate import ident

    items = []
    for name, spec in contract.columns.items():
        if spec.pii == "drop":
            if spec.type == "string" and any(s.pii == "redact" for s in contract.columns.values()):
                items.append(f"{ident(name)} as {ident('__name_' + name)}")
            continue
        if spec.pii == "age_band":
            if spec.type == "int":
                items.append(f"{sql_age_band(ident(name))} as age_band")
            else:
                at = ident(spec.age_at) if spec.age_at else today
                items.append(f"{sql_age_band(sql_years_between(ident(name), at))} as age_band")
            continue
        items.append(ident(name))
    return items


def apply_firewall(
    good: pa.Table, contract: Contract, pseudonymiser: Pseudonymiser
) -> tuple[pa.Table, pa.Table]:
    """(stored rows, rejected rows with field + reason) for rows that passed validation.

    ``good`` has already been through :func:`stored_select` (ID numbers checked and
    canonical); here they are pseudonymised and free text redacted."""
    import pyarrow.compute as pc

    fields: list[str | None] = [None] * good.num_rows
    out = good
    for name, spec in contract.columns.items():
        if name not in out.column_names or spec.pii != "pseudonymise":
            continue
        values = out[name].to_pylist()
        if spec.type == "id_number":
            pids = pseudonymiser.pid_many(values, domain="id")
        elif spec.type == "id_number_list":
            pids, bad_rows = _pseudonymise_list(values, pseudonymiser)
            for i in bad_rows:
                if fields[i] is None:
                    fields[i] = name
        else:  # phone
            pids = pseudonymiser.pid_many(normalise_phones(values), domain="phone")
        kind = pa.list_(pa.string()) if spec.type == "id_number_list" else pa.string()
        out = out.set_column(out.column_names.index(name), name, pa.array(pids, type=kind))
    known = _known_names(out)
    for name, spec in contract.columns.items():
        if spec.pii == "redact" and name in out.column_names:
            out = out.set_column(
                out.column_names.index(name),
                name,
                pa.array(_redact(out[name].to_pylist(), known), pa.string()),
            )
    out = out.drop_columns([c for c in out.column_names if c.startswith("__name_")])
    bad = pa.array([f is not None for f in fields], pa.bool_())
    rejected_rows = [i for i, f in enumerate(fields) if f is not None]
    rejected = pa.table(
        {
            "_row_number": pc.take(out["_row_number"], pa.array(rejected_rows, pa.int64())),
            "field": pa.array([fields[i] for i in rejected_rows], pa.string()),
            "reason": pa.array(
                [f"{fields[i]}: invalid 身份证号 in list" for i in rejected_rows], pa.string()
            ),
            "raw_json": pa.array(
                [f'{{"field": "{fields[i]}"}}' for i in rejected_rows], pa.string()
            ),
        }
    )
    return out.filter(pc.invert(bad)), rejected


def _known_names(table: pa.Table) -> list[list[str]] | None:
    cols = [c for c in table.column_names if c.startswith("__name_")]
    if not cols:
        return None
    columns = [table[c].to_pylist() for c in cols]
    return [[v for v in row if v] for row in zip(*columns, strict=True)]


def _redact(texts: list[str | None], known_names: list[list[str]] | None) -> list[str | None]:
    from models.privacy.redact import redact_many

    present = [i for i, t in enumerate(texts) if t is not None]
    result: list[str | None] = [None] * len(texts)
    if present:
        names = [known_names[i] for i in present] if known_names is not None else None
        kwargs = {"known_names": names} if names is not None else {}
        for i, text in zip(
            present, redact_many([texts[i] for i in present], **kwargs), strict=True
        ):
            result[i] = text
    return result


def _pseudonymise_list(
    values: list[str | None], pseudonymiser: Pseudonymiser
) -> tuple[list[list[str]], list[int]]:
    """Each ；-separated ID pseudonymised (sorted list); rows with any invalid ID returned."""
    items = [[p for p in LIST_SPLIT.split(v or "") if p] for v in values]
    flat = pd.Series([p for row in items for p in row], dtype=object)
    checked = (
        normalise_id_series(flat) if len(flat) else pd.DataFrame({"id_number": [], "reason": []})
    )
    canonical = checked["id_number"].tolist()
    reasons = checked["reason"].tolist()
    pids = pseudonymiser.pid_many(
        [c if r is None else None for c, r in zip(canonical, reasons, strict=True)], domain="id"
    )
    out, bad, k = [], [], 0
    for i, row in enumerate(items):
        row_pids = pids[k : k + len(row)]
        if any(reasons[k + j] is not None for j in range(len(row))):
            bad.append(i)
        out.append(sorted(p for p in row_pids if p is not None))
        k += len(row)
    return out, bad


def normalise_phones(values: list[object]) -> list[str | None]:
    """Canonical phone digits; an unusable number (withheld, garbled) becomes None, not an
    error: a caller's number is optional and only serves to count repeat callers."""

    def one(v: object) -> str | None:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return None
        try:
            return normalise_phone(v)
        except InvalidPhone:
            return None

    return [one(v) for v in values]
