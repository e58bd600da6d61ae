"""The privacy firewall applied to validated rows before anything is stored.

Direct identifiers never pass: 身份证号 and phone numbers become keyed HMAC pseudonyms
(invalid ID numbers send the row to quarantine, so one person keeps one pid across sources),
names, phones and exact addresses are dropped, dates of birth and exact ages become 5-year age
bands, and free text is redacted (with the names the same record gives in its structured
fields) before storage.
"""

from __future__ import annotations

import re

import pandas as pd

from models.privacy.idnumber import normalise_id_series
from models.privacy.pseudonym import InvalidPhone, Pseudonymiser, normalise_phone
from pipelines.ingest.contracts import Contract

AGE_BANDS = [(lo, f"{lo}-{lo + 4}") for lo in range(0, 85, 5)] + [(85, "85+")]
LIST_SPLIT = re.compile(r"[；;,，、\s]+")


def age_band(age: pd.Series) -> pd.Series:
    """5-year bands as in the population table ('0-4' … '85+')."""
    age = pd.to_numeric(age, errors="coerce")
    band = (age // 5 * 5).clip(upper=85)
    return band.map(lambda b: None if pd.isna(b) else ("85+" if b >= 85 else f"{int(b)}-{int(b) + 4}"))


def years_between(born: pd.Series, at: pd.Series) -> pd.Series:
    years = at.dt.year - born.dt.year
    before_birthday = (at.dt.month < born.dt.month) | (
        (at.dt.month == born.dt.month) & (at.dt.day < born.dt.day)
    )
    return years - before_birthday.astype(int)


def apply_firewall(
    good: pd.DataFrame, contract: Contract, pseudonymiser: Pseudonymiser
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(stored rows, rejected rows with field + reason) for rows that passed validation."""
    reasons = pd.Series("", index=good.index, dtype=object)
    fields = pd.Series("", index=good.index, dtype=object)
    out = good.copy()
    known_names = _known_names(good, contract)
    for name, spec in contract.columns.items():
        if name not in out:
            continue
        if spec.pii == "pseudonymise" and spec.type == "id_number":
            checked = normalise_id_series(out[name])
            bad = checked["reason"].notna() & out[name].notna()
            _note(reasons, fields, bad, name, "invalid 身份证号 (" + checked["reason"].astype(str) + ")")
            out[name] = pseudonymiser.pid_series(checked["id_number"].where(~bad), domain="id")
        elif spec.pii == "pseudonymise" and spec.type == "id_number_list":
            out[name], bad = _pseudonymise_list(out[name], pseudonymiser)
            _note(reasons, fields, bad, name, "invalid 身份证号 in list")
        elif spec.pii == "pseudonymise" and spec.type == "phone":
            out[name] = pseudonymiser.pid_series(normalise_phones(out[name]), domain="phone")
        elif spec.pii == "age_band":
            if spec.type == "int":
                out["age_band"] = age_band(out[name])
            else:
                at = out[spec.age_at] if spec.age_at else pd.Series(pd.Timestamp.now(), index=out.index)
                out["age_band"] = age_band(years_between(out[name], at))
            out = out.drop(columns=[name])
        elif spec.pii == "redact":
            out[name] = _redact(out[name], known_names)
    dropped = [n for n, s in contract.columns.items() if s.pii == "drop" and n in out]
    out = out.drop(columns=dropped)
    bad_rows = reasons != ""
    rejected = pd.DataFrame({
        "_row_number": good.loc[bad_rows, "_row_number"].to_numpy(),
        "field": fields[bad_rows].to_numpy(),
        "reason": (fields[bad_rows] + ": " + reasons[bad_rows]).to_numpy(),
        "raw": [{"field": f} for f in fields[bad_rows]],  # never keep a failing ID's value
    })
    return out[~bad_rows].reset_index(drop=True), rejected


def _note(reasons: pd.Series, fields: pd.Series, mask: pd.Series, field: str, text) -> None:
    mask = mask & (reasons == "")
    reasons[mask] = text[mask] if isinstance(text, pd.Series) else text
    fields[mask] = field


def _known_names(good: pd.DataFrame, contract: Contract) -> list[list[str]]:
    name_cols = [n for n, s in contract.columns.items() if s.pii == "drop" and s.type == "string" and n in good]
    if not name_cols:
        return [[] for _ in range(len(good))]
    values = good[name_cols].astype(object).where(good[name_cols].notna(), None).to_numpy().tolist()
    return [[v for v in row if v] for row in values]


def _redact(texts: pd.Series, known_names: list[list[str]]) -> pd.Series:
    from models.privacy.redact import redact_many
    present = texts.notna().to_numpy()
    result = pd.Series(None, index=texts.index, dtype=object)
    if present.any():
        idx = texts.index[present]
        names = [known_names[i] for i, p in enumerate(present) if p]
        result[idx] = redact_many(texts[idx].tolist(), known_names=names)
    return result


def _pseudonymise_list(values: pd.Series, pseudonymiser: Pseudonymiser) -> tuple[pd.Series, pd.Series]:
    exploded = values.fillna("").map(lambda v: [p for p in LIST_SPLIT.split(v) if p]).explode()
    present = exploded.notna()
    checked = normalise_id_series(exploded[present])
    bad_item = checked["reason"].notna()
    bad_rows = bad_item.groupby(level=0).any().reindex(values.index, fill_value=False)
    pids = pseudonymiser.pid_series(checked["id_number"].where(~bad_item), domain="id")
    lists = pids.groupby(level=0).agg(lambda s: sorted(x for x in s if isinstance(x, str)))
    lists = lists.reindex(values.index)
    return lists.map(lambda v: v if isinstance(v, list) else []), bad_rows


def normalise_phones(values: pd.Series) -> pd.Series:
    """Canonical phone digits; an unusable number (withheld, garbled) becomes NA, not an error:
    a caller's number is optional and only serves to count repeat callers."""

    def one(v: object) -> str | None:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return None
        try:
            return normalise_phone(v)
        except InvalidPhone:
            return None

    return values.map(one)
