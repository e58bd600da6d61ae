"""Named random sub-streams, so that adding a dataset never shifts another one's numbers.

Every stream is a ``numpy.random.Generator(PCG64)`` seeded from the run seed plus a tuple of
string/int keys (county index, dataset, purpose). Keys are hashed with CRC-32, never with
Python's salted ``hash``, so streams are identical across processes.
"""

from __future__ import annotations

import random
import zlib

import numpy as np


def _key(k: str | int) -> int:
    if isinstance(k, int):
        return k & 0xFFFFFFFF
    return zlib.crc32(k.encode("utf-8"))


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """An independent generator for ``(seed, *keys)``."""
    ss = np.random.SeedSequence([seed & 0xFFFFFFFF, *(_key(k) for k in keys)])
    return np.random.Generator(np.random.PCG64(ss))


def py_stream(seed: int, *keys: str | int) -> random.Random:
    """A stdlib ``random.Random`` for per-text choices (much cheaper per call than numpy)."""
    return random.Random(int(stream(seed, "py", *keys).integers(0, 2**63 - 1)))
