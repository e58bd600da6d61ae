"""居民身份证号码 (GB 11643-1999): issuing valid 18-digit numbers and writing them dirty.

An ID is region(6) + birth date(8) + sequence(3, odd for men) + ISO 7064 MOD 11-2 check
character. ``IdRegistry`` hands out unique numbers per county so that one person keeps one ID
in every source. ``dirty`` writes a small share the way hand-keyed exports do (full-width digits,
spaces, lower-case x, old 15-digit form), which normalisation must recover, and an even
smaller share with a wrong check character, which must be quarantined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK_CHARS = np.array(list("10X98765432"))
FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def check_char(body17: str) -> str:
    """The MOD 11-2 check character of a 17-digit body."""
    s = sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return str(CHECK_CHARS[s % 11])


def is_valid(id18: str) -> bool:
    return len(id18) == 18 and id18[:17].isdigit() and check_char(id18[:17]) == id18[17]


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) array of the decimal digits of non-negative ints."""
    p = 10 ** np.arange(width - 1, -1, -1)
    return (values[:, None] // p) % 10


def build_ids(region6: str, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Valid 18-digit IDs (str array) for birth dates (datetime64[D]) and sequences 0..999."""
    birth = np.asarray(birth).astype("datetime64[D]")
    ymd = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")
    ymd_int = ymd.astype(np.int64)
    region = np.array([int(c) for c in region6])
    body = np.concatenate([
        np.broadcast_to(region, (len(birth), 6)), _digits(ymd_int, 8), _digits(seq, 3)], axis=1)
    check = CHECK_CHARS[(body * WEIGHTS).sum(axis=1) % 11]
    seq_s = np.char.zfill(seq.astype(str), 3)
    return np.char.add(np.char.add(np.char.add(region6, ymd), seq_s), check)


class IdRegistry:
    """Issues unique IDs for one county (region code)."""

    def __init__(self, region6: str, rng: np.random.Generator):
        self.region6 = region6
        self.rng = rng
        self._issued: set[str] = set()

    def issue(self, birth: np.ndarray, sex: np.ndarray) -> np.ndarray:
        """One new unique ID per person; ``sex`` is an array of 'M'/'F'."""
        n = len(birth)
        out = np.empty(n, dtype="<U18")
        todo = np.arange(n)
        male = np.asarray(sex) == "M"
        while len(todo):
            seq = self.rng.integers(0, 500, size=len(todo)) * 2 + male[todo].astype(int)
            ids = build_ids(self.region6, birth[todo], seq)
            _, first = np.unique(ids, return_index=True)
            keep = np.zeros(len(todo), bool)
            keep[first] = True
            fresh = np.array([i not in self._issued for i in ids.tolist()]) if len(ids) else keep
            ok = keep & fresh
            out[todo[ok]] = ids[ok]
            self._issued.update(ids[ok].tolist())
            todo = todo[~ok]
        return out


def to_15(id18: str) -> str:
    """The old 15-digit form (no century, no check character) of an ID born in 19xx."""
    return id18[:6] + id18[8:17]


@dataclass(frozen=True)
class DirtCounts:
    dirty_valid: int      # written dirty but recoverable by normalisation
    invalid: int          # wrong checksum: the row must be quarantined


def dirty(rng: np.random.Generator, ids: np.ndarray, dirty_share: float, invalid_share: float,
          inner_spaces: bool = True) -> tuple[np.ndarray, np.ndarray, DirtCounts]:
    """``ids`` written with realistic dirt; returns (written, invalid_mask, counts).

    Empty strings (no ID given) are left alone and never counted. ``inner_spaces=False`` keeps
    spaces out of the middle of a number (in a list column a space reads as a separator).
    """
    ids = np.asarray(ids, dtype=object)
    n = len(ids)
    present = np.array([bool(x) for x in ids]) if n else np.zeros(0, bool)
    u = rng.random(n)
    invalid = present & (u < invalid_share)
    dirt = present & ~invalid & (u < invalid_share + dirty_share)
    out = ids.copy()
    kinds = rng.integers(0, 4, size=n)
    for i in np.flatnonzero(dirt):
        s = out[i]
        k = kinds[i]
        if k == 3 and s[6:8] != "19":
            k = 1
        if k == 2 and not s.endswith("X"):
            k = 0
        if k == 0:
            out[i] = s.translate(FULLWIDTH)
        elif k == 1:
            spaced = [f" {s}", f"{s} "]
            if inner_spaces:
                spaced += [f"{s[:6]} {s[6:14]} {s[14:]}", f"{s[:9]} {s[9:]}"]
            out[i] = spaced[int(rng.integers(0, len(spaced)))]
        elif k == 2:
            out[i] = s[:17] + "x"
        else:
            out[i] = to_15(s)
    for i in np.flatnonzero(invalid):
        s = out[i]
        good = s[17]
        wrong = [c for c in "0123456789X" if c != good]
        out[i] = s[:17] + wrong[int(rng.integers(0, len(wrong)))]
    return out.astype(str), invalid, DirtCounts(int(dirt.sum()), int(invalid.sum()))
