"""Renders Chinese free text from phrase banks, with exact spans of the PII planted in it.

A template is ordinary text with lower-case ``{slot}`` fillers (place, time, amounts…, drawn
once per text so that a text stays consistent) and upper-case ``{MARK}`` PII markers (NAME,
PHONE, MOBILE, ID, BANK, PLATE, EMAIL, ADDR, QQWX). Rendering keeps the text as a list of
(piece, pii_type) parts, so the span of every planted value is known exactly after joining.
Occasional typos (同音错字) touch only non-PII parts.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipelines.generate import pii
from pipelines.generate.pii import PiiContext

MARK = re.compile(r"\{([A-Z]+)\}")
SLOT = re.compile(r"\{([a-z0-9]+)\}")
PII_MARKS = {"NAME": "name", "PHONE": "phone", "MOBILE": "phone", "ID": "id", "BANK": "bank",
             "PLATE": "plate", "EMAIL": "email", "ADDR": "address", "QQWX": "qq_wechat"}
TYPOS = {"的": "得", "在": "再", "已": "以", "做": "作", "账": "帐", "带": "代", "像": "象",
         "哪": "那", "到": "倒", "座": "坐", "候": "侯", "即": "既", "部": "步", "反": "返"}


@dataclass
class Doc:
    parts: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, text: str, kind: str | None = None) -> None:
        if text:
            self.parts.append((text, kind))

    def __len__(self) -> int:
        return sum(len(p) for p, _ in self.parts)


class Slots(dict):
    """Lazily drawn lower-case fillers: the first use of ``{x}`` picks from ``bank[x]``."""

    def __init__(self, r: random.Random, bank: dict[str, Sequence[str] | Callable], **fixed):
        super().__init__(fixed)
        self.r = r
        self.bank = bank

    def __missing__(self, key: str) -> str:
        src = self.bank.get(key)
        if src is None:
            raise KeyError(f"no filler for slot {{{key}}}")
        value = src(self.r) if callable(src) else self.r.choice(src)
        value = expand(value, self)
        self[key] = value
        return value


def expand(template: str, slots: Slots) -> str:
    """Fills lower-case slots (recursively); upper-case PII markers are left in place."""
    if "{" not in template:
        return template
    return SLOT.sub(lambda m: slots[m.group(1)], template)


def render(template: str, slots: Slots, r: random.Random, ctx: PiiContext) -> Doc:
    doc = Doc()
    pieces = MARK.split(expand(template, slots))
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            doc.add(piece)
        elif piece == "QQWX":
            cue, value = pii.qq_or_wechat(r)
            doc.add(cue)
            doc.add(value, "qq_wechat")
        elif piece == "MOBILE":
            doc.add(pii.mobile(r), "phone")
        else:
            doc.add(pii.make(PII_MARKS[piece], r, ctx), PII_MARKS[piece])
    return doc


def compose(sentences: list[tuple[Doc, bool]], max_len: int = 300) -> Doc:
    """Joins rendered sentences in order; optional ones (flag False) are dropped when the
    text would exceed ``max_len``."""
    out = Doc()
    for doc, required in sentences:
        if not required and len(out) + len(doc) > max_len:
            continue
        out.parts.extend(doc.parts)
    return out


def finish(doc: Doc, r: random.Random, typo_rate: float) -> tuple[str, list[list]]:
    """(text, [[start, end, type], …]); maybe one typo in a non-PII part."""
    parts = list(doc.parts)
    if r.random() < typo_rate:
        plain = [i for i, (p, k) in enumerate(parts) if k is None and any(c in TYPOS for c in p)]
        if plain:
            i = r.choice(plain)
            p = parts[i][0]
            pos = [j for j, c in enumerate(p) if c in TYPOS]
            j = r.choice(pos)
            parts[i] = (p[:j] + TYPOS[p[j]] + p[j + 1:], None)
    spans: list[list] = []
    pos = 0
    chunks = []
    for p, kind in parts:
        if kind:
            spans.append([pos, pos + len(p), kind])
        chunks.append(p)
        pos += len(p)
    return "".join(chunks), spans


def pick(r: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    items, weights = zip(*weighted, strict=True)
    return r.choices(items, weights=weights)[0]
