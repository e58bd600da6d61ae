"""身份证号 normalisation: canonical form, 15→18 upgrade, typed rejection reasons."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.privacy.idnumber import (
    IdReason,
    InvalidIdNumber,
    check_digit,
    normalise_id_number,
    normalise_id_series,
    validate_id_number,
)

FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@st.composite
def valid_ids(draw) -> str:
    region = draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)))
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    body = f"{region}{born:%Y%m%d}{seq}"
    return body + check_digit(body)


@st.composite
def spelled(draw, canonical: str) -> str:
    """The same number with full-width characters, spaces/dashes and a lower-case x."""
    out = []
    for ch in canonical:
        if draw(st.booleans()):
            ch = ch.translate(FULL)
        if ch in "XＸ" and draw(st.booleans()):
            ch = "x"
        out.append(ch)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from([" ", "-", "\u3000", "－"])))
    return "".join(out)


@given(valid_ids().flatmap(lambda v: st.tuples(st.just(v), spelled(v))))
def test_any_spelling_normalises_to_the_canonical_value(pair):
    canonical, variant = pair
    assert normalise_id_number(variant) == canonical


@given(st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)), st.integers(0, 999))
def test_fifteen_digit_ids_upgrade_to_eighteen(born, seq):
    old = f"510123{born:%y%m%d}{seq:03d}"
    new = normalise_id_number(old)
    assert len(new) == 18 and new[6:8] == "19" and new[:6] + new[8:17] == old
    assert normalise_id_number(new) == new  # round trip: the upgraded number is valid


@given(valid_ids(), st.sampled_from("0123456789X"))
def test_wrong_check_digit_is_rejected(valid, wrong):
    if wrong == valid[-1]:
        return
    with pytest.raises(InvalidIdNumber) as err:
        normalise_id_number(valid[:-1] + wrong)
    assert err.value.reason is IdReason.BAD_CHECKSUM
    assert valid[:-1] not in str(err.value)  # the value never lands in a message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, IdReason.MISSING),
        ("  ", IdReason.MISSING),
        ("1234567", IdReason.BAD_LENGTH),
        ("11010519491231002", IdReason.BAD_LENGTH),
        ("11010519491231002Y", IdReason.BAD_CHARACTERS),
        ("11010549123100X", IdReason.BAD_CHARACTERS),  # X only as the 18th character
        ("110105491332002", IdReason.BAD_BIRTH_DATE),  # month 13
        ("11010518991231002", IdReason.BAD_LENGTH),
    ],
)
def test_typed_reasons(value, reason):
    assert validate_id_number(value) == (None, reason)


def test_birth_date_in_the_future_or_impossible_is_rejected():
    future = f"510123{dt.date.today().year + 1}0101001"
    feb30 = "51012320000230001"
    for body in (future, feb30):
        assert validate_id_number(body + check_digit(body))[1] is IdReason.BAD_BIRTH_DATE


@given(st.lists(st.one_of(valid_ids(), st.text(max_size=20), st.none()), max_size=40))
def test_series_matches_scalar(values):
    frame = normalise_id_series(pd.Series(values, dtype=object))
    for value, (canonical, reason) in zip(values, frame.itertuples(index=False), strict=True):
        exp_canonical, exp_reason = validate_id_number(value)
        assert canonical == exp_canonical
        assert reason == (exp_reason.value if exp_reason else None)


def test_series_is_fast_enough_for_ingestion():
    import time

    body = "11010519491231002"
    values = pd.Series([body + check_digit(body), "110105491231002", "bad"] * 100_000)
    start = time.perf_counter()
    frame = normalise_id_series(values)
    assert time.perf_counter() - start < 10
    assert frame["reason"].isna().sum() == 200_000
