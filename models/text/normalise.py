"""Text normalisation applied before every other text step.

Citizen messages arrive from web forms, hotline notes and forwarded posts: full-width letters and
digits, traditional characters, pinyin that web "converters" insert after characters
(``米易縣衛(wèi)生``), and ragged whitespace. Everything downstream (dictionary, lexicon,
classifier) is written in simplified Chinese, so every text goes through :func:`normalise` first.

Steps, in order:

1. Unicode NFKC: full-width ASCII → half-width, compatibility forms folded (``１２３４５`` →
   ``12345``, ``（`` → ``(``, ideographic space → space).
2. Romanisation annotations removed: a parenthesised group of pinyin syllables written with tone
   marks or tone digits directly after a Han character; once such an annotation is found in a
   text, toneless pinyin syllables in the same position are dropped too (neutral tone). Plain
   parenthesised Latin words in a text without toned pinyin (``微信(WeChat)``) are kept.
3. Traditional → simplified with OpenCC ``t2s`` (one converter per process).
4. Whitespace (spaces, tabs, line breaks, zero-width characters) collapsed to a single space.

Emoji are untouched: they carry emotion and are scored by :mod:`models.text.emotion`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc

# Vowels carrying a pinyin tone mark (composed forms, as NFKC leaves them), plus ü forms.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = f"a-zA-Züv{_TONED}ḿńňǹêếề"
# One syllable: letters, optionally a tone digit 1–5 (or 0 for the neutral tone).
_SYLLABLE = f"[{_PINYIN_LETTERS}]{{1,7}}[0-5]?"
_ROMANISATION = re.compile(
    rf"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    rf"\(\s*({_SYLLABLE}(?:[\s'’\-]+{_SYLLABLE}){{0,5}})\s*\)"
)
_HAS_TONE = re.compile(rf"[{_TONED}ḿńňǹếề]|[a-zü][0-5](?:\b|[\s'’\-]|$)")
# A toneless syllable is only dropped when the same text already had a toned annotation removed
# (converters write the neutral tone without a mark: 這(zhè)個(ge)).
_PLAIN_PINYIN = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|er|ia|ie|iu"
    r"|ua|uo|ui|ue|ve|üe|a|o|e|i|u|ü|v)[0-5]?",
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    """The OpenCC traditional → simplified converter, built once per process."""
    return opencc.OpenCC("t2s")


def _drop_toned(match: re.Match[str]) -> str:
    return "" if _HAS_TONE.search(match.group(1)) else match.group(0)


def _drop_plain(match: re.Match[str]) -> str:
    syllables = re.split(r"[\s'’\-]+", match.group(1).lower())
    return "" if all(_PLAIN_PINYIN.fullmatch(s) for s in syllables) else match.group(0)


def _strip_romanisation(text: str) -> str:
    stripped = _ROMANISATION.sub(_drop_toned, text)
    if stripped != text and "(" in stripped:
        stripped = _ROMANISATION.sub(_drop_plain, stripped)
    return stripped


def normalise(text: object) -> str:
    """Normalise one text; ``None``/NaN become the empty string."""
    if not isinstance(text, str):
        return ""
    if not text:
        return ""
    out = unicodedata.normalize("NFKC", text)
    if "(" in out:
        out = _strip_romanisation(out)
    out = _t2s().convert(out)
    out = _ZERO_WIDTH.sub("", out)
    return _WHITESPACE.sub(" ", out).strip()


_PLACEHOLDER = re.compile(r"〔[^〔〕]{1,6}〕")


def strip_placeholders(texts: Iterable[str]) -> list[str]:
    """Redaction placeholders (〔姓名〕〔电话〕…) replaced by a space, so that they never become
    words of a topic or a classifier feature (they say nothing about the message's subject)."""
    return [_PLACEHOLDER.sub(" ", t) if "〔" in t else t for t in texts]


def normalise_many(texts: Iterable[object]) -> list[str]:
    """Normalise a batch of texts (the converter is shared across the batch)."""
    return [normalise(t) for t in texts]
