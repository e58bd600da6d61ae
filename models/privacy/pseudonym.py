"""Keyed pseudonyms for person keys (DESIGN.md "Privacy firewall").

``pid = HMAC-SHA-256(key, domain || normalised value)`` as 64 lower-case hex characters.
A plain hash of a 身份证号 is brute-forced in seconds (the space is ~10^11 plausible
numbers), a keyed one is not while the key stays outside the warehouse. The domain tag
(``b"id:"``, ``b"phone:"``…) keeps an ID number and a phone number that happen to share
digits from ever colliding, and lets further key kinds be added without re-keying.

The key is 32+ random bytes from ``$XINTAI_PSEUDONYM_KEY`` (hex or base64) or from
``<home>/secrets/pseudonym.key`` (hex), which :func:`load_key` creates on first use with mode
0600 inside a 0700 directory. The key is never logged and never shown by ``repr``; only a
short fingerprint (an HMAC of a fixed label, useless for reversing anything) identifies which
key produced a table.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from models.privacy.idnumber import normalise_id_number

__all__ = [
    "ENV_VAR",
    "KEY_FILENAME",
    "MIN_KEY_BYTES",
    "InvalidPhone",
    "PseudonymKeyError",
    "Pseudonymiser",
    "load_key",
    "normalise_phone",
]

log = logging.getLogger(__name__)

ENV_VAR = "XINTAI_PSEUDONYM_KEY"
KEY_FILENAME = "pseudonym.key"
MIN_KEY_BYTES = 32
_DOMAIN_RE = re.compile(r"[a-z][a-z0-9_]*")


class PseudonymKeyError(RuntimeError):
    """The pseudonym key is missing, too short, malformed or badly protected."""


class InvalidPhone(ValueError):
    """A value that is not a mainland mobile or landline number (value not in message)."""


# --------------------------------------------------------------------------- phones

_PHONE_TRANSLATION = str.maketrans(
    {**{0xFF10 + i: 0x30 + i for i in range(10)}, 0xFF0B: "+", 0xFF08: "(", 0xFF09: ")"}
)
_PHONE_STRIP = re.compile(r"[\s\-\u2010-\u2015\uff0d()（）.]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")


def normalise_phone(value: object) -> str:
    """Digits only, without the +86 / 0086 / 86 country prefix.

    Mobiles become 11 digits (``13812345678``); landlines keep their area code with the
    leading zero (``085112345678``). Extensions (转123) are dropped: they name a desk, not a
    person's line. Raises :class:`InvalidPhone` for anything else.
    """
    if value is None:
        raise InvalidPhone("invalid phone number: missing")
    text = str(value).translate(_PHONE_TRANSLATION)
    text = re.split(r"转|ext|EXT|#", text, maxsplit=1)[0]
    text = _PHONE_STRIP.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return text
    # Landline written after the country code without its trunk zero (+86 851 1234567).
    if re.fullmatch(r"[1-9][0-9]{8,10}", text) and str(value).lstrip().startswith(("+86", "0086")):
        return "0" + text
    raise InvalidPhone("invalid phone number: not an 11-digit mobile or a landline with area code")


# --------------------------------------------------------------------------- keys


def _parse_key(text: str, source: str, what: str = "pseudonym key") -> bytes:
    text = text.strip()
    key: bytes | None = None
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", text):
        key = bytes.fromhex(text)
    else:
        try:
            key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            try:
                key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            except (binascii.Error, ValueError):
                key = None
    if key is None:
        raise PseudonymKeyError(f"{what} from {source} is neither hex nor base64")
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"{what} from {source} has {len(key)} bytes; at least {MIN_KEY_BYTES} are"
            " required (generate one with: python -c 'import secrets;"
            " print(secrets.token_hex(32))')"
        )
    return key


def _create_key_file(path: Path, what: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = secrets.token_bytes(MIN_KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process won the race; read theirs
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
        f.flush()
        os.fsync(f.fileno())
    log.info("created a new %s file at %s (back it up: data depend on it)", what, path)


def load_secret_key(path: Path, env_var: str, *, what: str, create: bool = True) -> bytes:
    """A secret key: ``$env_var`` if set, else the key file ``path`` (32 random bytes, hex,
    created when missing and ``create`` is true; a file readable by group or others is
    refused). Shared by the pseudonym key and the warehouse encryption key."""
    env = os.environ.get(env_var)
    if env:
        return _parse_key(env, f"${env_var}", what)
    if not path.exists():
        if not create:
            raise PseudonymKeyError(f"no {what}: set ${env_var} or create {path}")
        _create_key_file(path, what)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PseudonymKeyError(f"{what} file {path} has mode {oct(mode)}; run: chmod 600 {path}")
    return _parse_key(path.read_text(encoding="ascii"), str(path), what)


def load_key(home: str | os.PathLike[str] | None = None, *, create: bool = True) -> bytes:
    """The pseudonym key: ``$XINTAI_PSEUDONYM_KEY`` if set, else ``<home>/secrets/pseudonym.key``.

    ``home`` defaults to :func:`pipelines.settings.home`'s root (``$XINTAI_HOME`` or
    ``./var``).
    """
    root = Path(home or os.environ.get("XINTAI_HOME") or "var")
    return load_secret_key(
        root / "secrets" / KEY_FILENAME, ENV_VAR, what="pseudonym key", create=create
    )


# --------------------------------------------------------------------------- pseudonymiser


def _hmac_pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """SHA-256 states after the HMAC inner (key XOR ipad) and outer (key XOR opad) blocks."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


class Pseudonymiser:
    """HMAC-SHA-256 pseudonyms under one secret key.

    >>> p = Pseudonymiser(b"k" * 32)
    >>> len(p.pid("13812345678", domain="phone"))
    64
    """

    __slots__ = ("__key", "__inner", "__outer", "_fingerprint")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
            raise PseudonymKeyError(f"pseudonym key must be at least {MIN_KEY_BYTES} bytes")
        self.__key = bytes(key)
        self.__inner, self.__outer = _hmac_pads(self.__key)
        self._fingerprint = hmac.new(self.__key, b"xintai-key-fingerprint", "sha256").hexdigest()[
            :8
        ]

    @classmethod
    def from_env(cls, home: str | os.PathLike[str] | None = None) -> Pseudonymiser:
        """Key from ``$XINTAI_PSEUDONYM_KEY`` or the key file under ``home`` (see load_key)."""
        return cls(load_key(home))

    @property
    def fingerprint(self) -> str:
        """8 hex characters identifying the key (for provenance metadata), not the key."""
        return self._fingerprint

    def __repr__(self) -> str:
        return f"Pseudonymiser(key=<hidden>, fingerprint={self._fingerprint})"

    __str__ = __repr__

    def __reduce__(self):
        """Refuse to be pickled into logs, caches or run storage. The one exception is the
        start of a child process by ``multiprocessing`` (parallel ingestion workers): its
        arguments travel through an in-memory pipe to the new process only, the rule
        multiprocessing itself applies to its authentication key."""
        from multiprocessing.context import get_spawning_popen

        if get_spawning_popen() is None:
            raise TypeError("Pseudonymiser holds a secret key and cannot be pickled")
        return (Pseudonymiser, (self.__key,))

    # -- core ---------------------------------------------------------------------------

    @staticmethod
    def _domain(domain: str) -> bytes:
        if not _DOMAIN_RE.fullmatch(domain):
            raise ValueError(f"pseudonym domain must match {_DOMAIN_RE.pattern!r}: {domain!r}")
        return domain.encode("ascii") + b":"

    def pid(self, normalised: str, domain: str) -> str:
        """HMAC of an already-normalised value under ``domain`` (e.g. ``"id"``, ``"phone"``)."""
        msg = self._domain(domain) + normalised.encode("utf-8")
        return hmac.digest(self.__key, msg, hashlib.sha256).hex()

    def pid_many(self, normalised: Iterable[str | None], domain: str) -> list[str | None]:
        """:meth:`pid` over many values; ``None`` stays ``None``.

        The same HMAC (RFC 2104) as :meth:`pid`, from SHA-256 states that have already
        absorbed the padded key (and, inside, the domain tag): copying a state and hashing
        one value is ~3x faster than ``hmac.digest`` re-keying for every value."""
        inner = self.__inner.copy()
        inner.update(self._domain(domain))
        outer = self.__outer
        out: list[str | None] = []
        append = out.append
        for v in normalised:
            if v is None:
                append(None)
                continue
            h = inner.copy()
            h.update(v.encode("utf-8"))
            o = outer.copy()
            o.update(h.digest())
            append(o.hexdigest())
        return out

    # -- typed helpers ------------------------------------------------------------------

    def id_pid(self, id_number: object) -> str:
        """Pseudonym of a 身份证号 in any accepted spelling (raises InvalidIdNumber)."""
        return self.pid(normalise_id_number(id_number), "id")

    def phone_pid(self, phone: object) -> str:
        """Pseudonym of a phone number in any accepted spelling (raises InvalidPhone)."""
        return self.pid(normalise_phone(phone), "phone")

    def pid_series(self, normalised: pd.Series, domain: str) -> pd.Series:
        """Vectorised :meth:`pid` over a Series of normalised strings; NA stays NA."""
        values = [None if pd.isna(v) else str(v) for v in normalised.to_numpy(dtype=object)]
        return pd.Series(
            self.pid_many(values, domain), index=normalised.index, dtype="string", name="pid"
        )
