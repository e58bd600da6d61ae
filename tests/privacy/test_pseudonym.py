"""Keyed pseudonyms: determinism, key and domain separation, key handling."""

from __future__ import annotations

import os
import pickle
import stat

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.privacy.pseudonym import (
    ENV_VAR,
    InvalidPhone,
    Pseudonymiser,
    PseudonymKeyError,
    load_key,
    normalise_phone,
)

keys = st.binary(min_size=32, max_size=64)
values = st.text(min_size=1, max_size=30)


@given(keys, values)
def test_deterministic_for_the_same_key(key, value):
    assert Pseudonymiser(key).pid(value, "id") == Pseudonymiser(key).pid(value, "id")
    assert len(Pseudonymiser(key).pid(value, "id")) == 64


@given(keys, keys, values)
def test_different_keys_give_different_pids(k1, k2, value):
    if k1 != k2:
        assert Pseudonymiser(k1).pid(value, "id") != Pseudonymiser(k2).pid(value, "id")


@given(keys, values)
def test_domains_are_separated(key, value):
    p = Pseudonymiser(key)
    assert p.pid(value, "id") != p.pid(value, "phone")
    # "id:" + "phone:x" must not collide with "idphone:" + "x" style concatenations
    assert p.pid("phone:" + value, "id") != p.pid(value, "phone")


@given(keys)
def test_key_never_shown(key):
    p = Pseudonymiser(key)
    for shown in (repr(p), str(p), f"{p}"):
        assert key.hex() not in shown and repr(key) not in shown
    with pytest.raises(TypeError):
        pickle.dumps(p)


def test_typed_helpers_normalise_first():
    p = Pseudonymiser(b"k" * 32)
    assert p.id_pid("11010519491231002X") == p.id_pid("１１０１０５ １９４９１２３１ ００２x")
    assert p.id_pid("110105491231002") == p.id_pid("11010519491231002X")
    assert p.phone_pid("+86 138-1234-5678") == p.phone_pid("13812345678")
    assert p.phone_pid("0086 13812345678") == p.pid("13812345678", "phone")


def test_pid_series_keeps_missing_values():
    p = Pseudonymiser(b"k" * 32)
    out = p.pid_series(pd.Series(["a", None, "b"], index=[5, 6, 7]), "id")
    assert list(out.index) == [5, 6, 7] and pd.isna(out[6])
    assert out[5] == p.pid("a", "id")


def test_short_keys_and_bad_domains_are_refused():
    with pytest.raises(PseudonymKeyError):
        Pseudonymiser(b"short")
    with pytest.raises(ValueError):
        Pseudonymiser(b"k" * 32).pid("x", "ID:")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("(0851)1234567", "08511234567"),
        ("010-12345678转123", "01012345678"),
    ],
)
def test_phone_normalisation(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "23812345678", "", None, "abc"])
def test_bad_phones_rejected(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_key_from_env_hex_and_base64(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, "ab" * 32)
    assert load_key(tmp_path) == bytes.fromhex("ab" * 32)
    import base64

    monkeypatch.setenv(ENV_VAR, base64.b64encode(b"z" * 40).decode())
    assert load_key(tmp_path) == b"z" * 40
    monkeypatch.setenv(ENV_VAR, "ab" * 16)
    with pytest.raises(PseudonymKeyError, match="at least 32"):
        load_key(tmp_path)
    assert not (tmp_path / "secrets").exists()


def test_key_file_created_once_with_private_modes(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    key = load_key(tmp_path)
    path = tmp_path / "secrets" / "pseudonym.key"
    assert len(key) == 32 and load_key(tmp_path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    os.chmod(path, 0o644)
    with pytest.raises(PseudonymKeyError, match="chmod 600"):
        load_key(tmp_path)


def test_key_not_logged(monkeypatch, tmp_path, caplog):
    monkeypatch.delenv(ENV_VAR, raising=False)
    caplog.set_level("DEBUG")
    key = load_key(tmp_path)
    assert key.hex() not in caplog.text
    assert Pseudonymiser.from_env(tmp_path).pid("x", "id") == Pseudonymiser(key).pid("x", "id")


@given(st.binary(min_size=32, max_size=200), st.lists(st.one_of(st.none(), values), max_size=5))
def test_pid_many_is_the_one_shot_hmac(key, many):
    """pid_many (pre-keyed SHA-256 states) gives exactly hmac.digest's pseudonyms, for keys
    shorter and longer than SHA-256's 64-byte block, and leaves None as None."""
    import hashlib
    import hmac

    expected = [
        None if v is None else hmac.digest(key, b"id:" + v.encode(), hashlib.sha256).hex()
        for v in many
    ]
    p = Pseudonymiser(key)
    assert p.pid_many(many, "id") == expected
    assert [p.pid(v, "id") for v in many if v is not None] == [e for e in expected if e]


def test_pid_many_known_value():
    """A fixed key and ID give the pseudonym HMAC-SHA-256 gave before the faster path."""
    pinned = "65bb438bf7cd6d3573775a1c55be0bc9a636b154519da2eb4652183dbac3e149"
    p = Pseudonymiser(bytes.fromhex("11" * 32))
    assert p.pid_many(["511321201003021230", None], "id") == [pinned, None]
    assert p.pid("511321201003021230", "id") == pinned
