"""Redaction of personal data in Chinese free text before it is stored (DESIGN.md principle 2).

Petition contents, hotline summaries and police narratives are written by clerks and carry
names, phone and ID numbers, addresses and account ids. :func:`find_pii` locates them as typed
:class:`Span` s; :func:`redact` / :func:`redact_many` replace each span with a typed
placeholder (〔姓名〕〔电话〕〔证件号〕〔银行卡〕〔车牌〕〔地址〕〔邮箱〕〔账号〕). The PII scanner
(``models.privacy.scan``) uses the same :func:`find_pii` to confirm candidates.

Decisions (tested in tests/privacy, measured in benchmarks/redaction_quality.py):

* **Addresses**: only the house-level part is redacted, the street / community / village
  name is kept: ``阳光小区3栋2单元501室`` → ``阳光小区〔地址〕``, ``人民路12号`` →
  ``人民路〔地址〕``, ``王家坝村3组15号`` → ``王家坝村〔地址〕``. A street or community
  holds hundreds of households, so its name is not identifying on its own, and it is what
  topic and hotspot analysis needs. A bare ``12号`` is redacted only after a road or
  community word (``3月12号`` is a date); a bare village group (``3组``) is kept.
* **Numbers**: an 11-digit ``1[3-9]…`` run is a mobile; a 0-prefixed run with an area code is
  a landline; 18 characters with a valid birth date (checksum valid or not: a mistyped ID is
  still identifying) or 15 digits with a valid birth date are ID numbers; 16-19 digits passing
  Luhn are bank cards. A 16-19 digit number that fails Luhn and has no account cue (卡号,
  账号, 银行, 转账…) is **kept**: it cannot be a card and is usually an order, transaction
  or case number. After a cue (身份证, 卡号, 电话, QQ, 微信) the number is redacted whatever
  its checksum. 12-digit 统计用区划代码, 6-digit county codes, dates (20240315), amounts
  (12000元) and case numbers (XF2024031500123: digits glued to letters) are never PII.
* **Names**: see ``data/name_lexicon.yaml``. With a title the title is kept
  (``张三女士`` → ``〔姓名〕女士``); ``张某``/``张某某`` are redacted whole.

Matching runs on a copy of the text with full-width ASCII folded to half-width (one
character for one, so offsets are shared with the original).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import yaml

from models.privacy.idnumber import CHECK_CHARS, EARLIEST_BIRTH_YEAR, WEIGHTS

__all__ = [
    "PII_TYPES",
    "PLACEHOLDERS",
    "Span",
    "find_pii",
    "luhn_ok",
    "redact",
    "redact_many",
]

PLACEHOLDERS: dict[str, str] = {
    "name": "〔姓名〕",
    "phone": "〔电话〕",
    "id_number": "〔证件号〕",
    "bank_card": "〔银行卡〕",
    "plate": "〔车牌〕",
    "address": "〔地址〕",
    "email": "〔邮箱〕",
    "account": "〔账号〕",
}
PII_TYPES = tuple(PLACEHOLDERS)
# When two candidate spans overlap, the longer wins; on equal length the earlier type here.
_PRIORITY = {
    t: i
    for i, t in enumerate(
        ["email", "id_number", "bank_card", "phone", "account", "plate", "address", "name"]
    )
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """``text[start:end]`` is personal data of ``type`` (one of :data:`PII_TYPES`)."""

    start: int
    end: int
    type: str


# --------------------------------------------------------------------------- folding

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII
_FOLD.update(
    {
        0x3000: 0x20,
        0x00A0: 0x20,
        0x2010: 0x2D,
        0x2011: 0x2D,
        0x2012: 0x2D,
        0x2013: 0x2D,
        0x2014: 0x2D,
        0x2212: 0x2D,
        0x3002: 0x3002,
    }
)
_FOLD_TABLE = str.maketrans(_FOLD)


def _fold(text: str) -> str:
    return text.translate(_FOLD_TABLE)


# --------------------------------------------------------------------------- checksums


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check used by bank card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _birth_ok(yyyymmdd: str) -> bool:
    y, m, d = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    if not (EARLIEST_BIRTH_YEAR <= y <= 2100 and 1 <= m <= 12 and d >= 1):
        return False
    mdays = (
        31,
        29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    )
    return d <= mdays[m - 1]


def _id_checksum_ok(d: str) -> bool:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(d[:17], WEIGHTS, strict=True)) % 11] == d[17]


def _looks_like_id(d: str) -> bool:
    if len(d) == 18 and d[:17].isdigit():
        return _birth_ok(d[6:14]) and d[0] != "0"
    if len(d) == 15 and d.isdigit():
        return _birth_ok("19" + d[6:12]) and d[0] != "0"
    return False


# --------------------------------------------------------------------------- patterns

_B = r"(?<![0-9A-Za-z])"  # not glued to letters/digits on the left (case numbers, codes)
_E = r"(?![0-9A-Za-z])"
_SEP = r"[ \-]?"
_CUE_TAIL = r"(?:号码|号|账号|ID|id)?\s*(?:[:：是为]\s*)?"
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_NUM = r"[0-9零〇一二三四五六七八九十百两]{1,5}"
_ANUM = r"[0-9]{1,5}"
# Last characters of the words after which a bare house number (12号) is an address:
# 路 街 巷 道 弄 胡同 里 村 屯 寨 组 (小/社)区 (花/家)园 苑 公寓 大厦 广场 中心 城 府 庭 湾 院
# 居 镇 乡 宿舍 楼.
_ANCHOR_CHARS = "路街巷道弄同里村屯寨组区园苑寓厦场心城府庭湾院居镇乡舍楼"
# House-level components: at least one strong unit, or an anchor before the chain.
_HOUSE_UNIT = (
    rf"(?:{_NUM}(?:-{_ANUM}){{0,2}}号(?:院|楼)?(?!线|文|令|机|车|床|窗|口|码|选手|台)"
    rf"|(?:{_NUM}|[A-Za-z])(?:栋|幢|座|号楼)"
    rf"|(?<!第){_NUM}单元|{_NUM}组(?=[0-9零〇一二三四五六七八九十])"
    rf"|{_ANUM}(?:室|户|号房)|{_NUM}(?:楼|层)(?=[0-9])|{_NUM}弄"
    rf"|{_ANUM}-{_ANUM}(?:-{_ANUM})?(?:室|号|(?![0-9A-Za-z\-])))"
)
_HOUSE_CHAIN = (
    rf"{_HOUSE_UNIT}(?:[ ,，]?{_HOUSE_UNIT}){{0,5}}(?:{_ANUM}(?![0-9元块岁人个月日年号]))?"
)
_STRONG_UNIT = re.compile(
    r"栋|幢|号楼|[0-9]单元|[0-9]室|[0-9]户|号房|[0-9]弄|[A-Za-z]座|[0-9]-[0-9]"
)

_COLON = r"\s*(?:[:：是为]\s*)?"  # 电话：, 微信号是 , QQ 为
_ID_CUE = r"(?:身份证|证件|公民身份)(?:号码|号)?"
_CARD_CUE = r"(?:卡号|银行卡|银行账号|银行账户|账号|账户|转账|汇款|打款|存折)(?:号码|号|为|是)?"
_QQ_CUE = r"(?:QQ|qq|Qq|扣扣)(?:号码|号|群)?"
_WX_CUE = r"(?:微信|威信|V信|v信|VX|vx|Vx|WX|wx|weixin|WeChat|wechat)(?:号码|号|账号|ID|id)?"
_PHONE_CUE = r"(?:电话|手机|座机|联系方式|联系电话|号码是|Tel|TEL|tel)(?:号码|号)?"
_MOBILE_BODY = rf"1[3-9][0-9](?:{_SEP}[0-9]){{8}}"
_PLATE_CHARS = "A-HJ-NP-Za-hj-np-z"  # plates never use I or O

_STRUCTURAL = re.compile(
    "|".join(
        [
            r"(?P<email>[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
            r"\.[A-Za-z]{2,})",
            rf"{_ID_CUE}{_COLON}(?P<cue_id>[0-9](?:{_SEP}[0-9]){{13,16}}{_SEP}[0-9Xx]{_E})",
            rf"{_CARD_CUE}{_COLON}(?P<cue_card>[0-9](?:{_SEP}[0-9]){{11,20}}{_E})",
            rf"{_QQ_CUE}{_COLON}(?P<qq>[1-9][0-9]{{4,10}}{_E})",
            rf"{_WX_CUE}{_COLON}(?P<wechat>(?:[A-Za-z][\-_A-Za-z0-9]{{5,19}}|[0-9]{{5,11}}){_E})",
            rf"{_PHONE_CUE}{_COLON}(?P<cue_phone>(?:[0-9]{{3,4}}{_SEP}[0-9]{{4}}|[0-9]{{7,8}})"
            rf"(?![ \-]?[0-9]){_E})",
            rf"(?P<intl>(?:\+|00)86{_SEP}(?:{_MOBILE_BODY}|0?[1-9][0-9]{{1,2}}{_SEP}[0-9]{{7,8}})"
            rf"{_E})",
            rf"(?P<landline>(?:\(0[0-9]{{2,3}}\)\s?|{_B}0[1-9][0-9]{{1,2}}{_SEP})"
            rf"[0-9]{{3,4}}{_SEP}[0-9]{{4}}(?:(?:转|-|ext)[0-9]{{1,6}})?{_E})",
            rf"(?P<run>{_B}[0-9](?:{_SEP}[0-9]){{10,18}}(?:{_SEP}[Xx])?{_E})",
            rf"(?P<plate>[{_PROVINCES}][{_PLATE_CHARS}][·•・.\- ]?(?=[A-Za-z]*[0-9])"
            rf"[{_PLATE_CHARS}0-9]{{5,6}}(?:挂|学|警)?{_E})",
            rf"(?<=[{_ANCHOR_CHARS}])(?P<house_anchored>{_HOUSE_CHAIN})",
            rf"(?P<house>(?<![0-9A-Za-z\-]){_HOUSE_CHAIN})",
        ]
    )
)
_SEPS = re.compile(r"[ \-]")
# Every match of _STRUCTURAL starts with one of these characters (the first character of each
# alternative: cue words, digits and letters, '+', '(', provinces, Chinese numerals), so the
# scan tries the big pattern only there: same matches as finditer, several times faster on
# Chinese text, where most characters start nothing (tests/privacy/test_redact.py pins it).
_STRUCTURAL_FIRST = re.compile(
    f"[A-Za-z0-9+(身证公卡银账转汇打存扣微威电手座联号{_PROVINCES}零〇一二三四五六七八九十百两]"
)


def _classify_run(digits: str) -> str | None:
    n = len(digits)
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return "phone"
    if n in (11, 12) and digits[0] == "0" and digits[1] != "0":
        return "phone"
    if _looks_like_id(digits.upper()):
        return "id_number"
    if 16 <= n <= 19 and digits.isdigit() and luhn_ok(digits):
        return "bank_card"
    return None


def _structural_matches(t: str) -> Iterator[re.Match[str]]:
    """What ``_STRUCTURAL.finditer(t)`` yields (leftmost, non-overlapping), trying the
    pattern only where a match can start. ``match(t, p)`` sees the text before ``p``, so the
    look-behind assertions behave as in a search."""
    first, match = _STRUCTURAL_FIRST.search, _STRUCTURAL.match
    pos = 0
    while (c := first(t, pos)) is not None:
        p = c.start()
        m = match(t, p)
        if m is None:
            pos = p + 1
        else:
            yield m
            pos = m.end()  # no alternative matches the empty string


def _structural_spans(t: str) -> list[Span]:
    spans: list[Span] = []
    for m in _structural_matches(t):
        kind = m.lastgroup
        start, end = m.span(kind)
        if kind == "email":
            spans.append(Span(start, end, "email"))
        elif kind == "cue_id":
            spans.append(Span(start, end, "id_number"))
        elif kind == "cue_card":
            digits = _SEPS.sub("", m.group(kind))
            typ = _classify_run(digits)
            spans.append(Span(start, end, typ or "bank_card"))
        elif kind in ("qq", "wechat"):
            spans.append(Span(start, end, "account"))
        elif kind in ("cue_phone", "intl", "landline"):
            spans.append(Span(start, end, "phone"))
        elif kind == "run":
            _run_spans(m.group(kind), start, spans)
        elif kind == "plate":
            spans.append(Span(start, end, "plate"))
        elif kind == "house_anchored":
            spans.append(Span(start, end, "address"))
        elif kind == "house" and _STRONG_UNIT.search(m.group(kind)):
            spans.append(Span(start, end, "address"))
    return spans


def _run_spans(raw: str, start: int, out: list[Span]) -> None:
    typ = _classify_run(_SEPS.sub("", raw))
    if typ:
        out.append(Span(start, start + len(raw), typ))
        return
    # Several numbers separated by spaces/dashes: classify each piece alone.
    for piece in re.finditer(r"[0-9]+[Xx]?", raw):
        typ = _classify_run(piece.group())
        if typ:
            out.append(Span(start + piece.start(), start + piece.end(), typ))


# --------------------------------------------------------------------------- names


class _WordSet:
    """A set of short words with fast "which word starts / ends here" lookups."""

    __slots__ = ("words", "lengths")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.lengths = tuple(sorted({len(w) for w in self.words}, reverse=True))

    def __contains__(self, w: object) -> bool:
        return w in self.words

    def at(self, t: str, j: int) -> str | None:
        """The longest word starting at ``t[j]``."""
        words = self.words
        for k in self.lengths:
            # near the end of t the slice is shorter than k: that shorter word, if it is one,
            # is also what the iteration for its own length would return
            w = t[j : j + k]
            if w in words:
                return w
        return None

    def ends(self, t: str, i: int) -> bool:
        """Some word ends just before ``t[i]``."""
        words = self.words
        for k in self.lengths:
            if k <= i and t[i - k : i] in words:
                return True
        return False


@dataclass(frozen=True)
class _Lexicon:
    surnames: frozenset[str]
    compound: frozenset[str]
    weak: frozenset[str]
    preposition: frozenset[str]
    titles: _WordSet
    roles: _WordSet
    left_links: _WordSet
    right_links: _WordSet
    stop: frozenset[str]
    given: frozenset[str]
    words: dict[str, tuple[int, bool]]  # word -> (frequency, tagged as a person name)


def _chars(value: str) -> frozenset[str]:
    return frozenset(ch for ch in value if not ch.isspace())


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(
        importlib.resources.files("models.privacy")
        .joinpath("data/name_lexicon.yaml")
        .read_text(encoding="utf-8")
    )
    words: dict[str, tuple[int, bool]] = {}
    with importlib.resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4:
                words[parts[0]] = (int(parts[1]), parts[2].startswith("nr"))
    for place in raw.get("places_tagged_as_names", []):
        words[place] = (10**6, False)  # jieba tags them nr, but they are places
    stop = _chars(raw["stop_chars"])
    return _Lexicon(
        surnames=_chars(raw["surnames"]),
        compound=frozenset(raw["compound_surnames"]),
        weak=_chars(raw["weak_surnames"]),
        preposition=_chars(raw["preposition_surnames"]),
        titles=_WordSet(raw["titles"]),
        roles=_WordSet(raw["role_cues"]),
        left_links=_WordSet(raw["left_links"]),
        right_links=_WordSet(raw["right_links"]),
        stop=stop,
        given=_chars(raw["given_chars"]) - stop,
        words=words,
    )


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_PUNCT = set("，。、；：！？,.;:!?（）()《》“”\"'‘’【】[]〔〕 \t\n—-…·")


class _NameFinder:
    """Finds personal names; one instance per lexicon, stateless per call."""

    def __init__(self, lex: _Lexicon) -> None:
        self.lex = lex
        singles = "".join(sorted(lex.surnames))
        compounds = "|".join(sorted(lex.compound, key=len, reverse=True))
        self.start_re = re.compile(f"(?:{compounds})|[{re.escape(singles)}]")

    # -- dictionary helpers ---------------------------------------------------------------

    def common_word(self, w: str, min_freq: int = 3, nr_max: int = 100) -> bool:
        """An ordinary word (not a name): in jieba's dictionary, not tagged as a name, or
        tagged as one but frequent (jieba tags 张家界, 李子, 文明 as nr)."""
        hit = self.lex.words.get(w)
        if hit is None:
            return False
        freq, is_name = hit
        return freq >= nr_max if is_name else freq >= min_freq

    def glued_left(self, t: str, i: int) -> bool:
        """The surname at ``i`` ends a word begun before it (历史, 社区, 门卫, 对于)."""
        lex = self.lex
        for k in (1, 2, 3):
            if i - k < 0:
                break
            w = t[i - k : i + 1]
            hit = lex.words.get(w)
            if hit is None or w in lex.roles or w in lex.left_links:
                continue
            if (not hit[1] or hit[0] >= 100) and hit[0] >= 3:
                # 家长程德明: the role cue wins over 长程 (checked only when it matters)
                return not lex.roles.ends(t, i)
        return False

    def right_ok(self, t: str, j: int) -> bool:
        return j >= len(t) or t[j] in _PUNCT or bool(self.lex.right_links.at(t, j))

    def left_kind(self, t: str, i: int) -> str:
        """'role' (市民张三), 'link' (与张三, sentence start, punctuation) or 'none'."""
        if i == 0 or t[i - 1] in _PUNCT or not _is_cjk(t[i - 1]):
            return "link"
        if self.lex.roles.ends(t, i):
            return "role"
        if self.lex.left_links.ends(t, i):
            return "link"
        return "none"

    # -- given names ----------------------------------------------------------------------

    def given_len(self, t: str, j: int, strict: bool) -> int:
        """How many characters from ``j`` form a plausible given name (0, 1 or 2)."""
        lex = self.lex
        ok = (
            (lambda ch: ch in lex.given)
            if strict
            else (lambda ch: _is_cjk(ch) and ch not in lex.stop)
        )
        if j >= len(t) or not ok(t[j]):
            return 0
        if j + 1 < len(t) and ok(t[j + 1]) and not self.word_from(t, j + 1):
            return 2
        return 1

    def word_from(self, t: str, j: int) -> bool:
        """A frequent word starts at ``j`` and runs past it (张华明天 -> 明天)."""
        for k in (2, 3):
            w = t[j : j + k]
            if len(w) == k:
                hit = self.lex.words.get(w)
                if hit and not hit[1] and hit[0] >= 300:
                    return True
        return False

    # -- main -----------------------------------------------------------------------------

    def find(self, t: str, taken: list[bool], cued_only: bool) -> list[Span]:
        spans: list[Span] = []
        pos = 0
        while True:
            m = self.start_re.search(t, pos)
            if m is None:
                break
            i, s_end = m.start(), m.end()
            pos = i + 1
            if taken[i] or (s_end - i == 1 and self.glued_left(t, i)):
                continue
            span = self.at(t, i, s_end, cued_only)
            if span and not any(taken[span.start : span.end]):
                spans.append(span)
                pos = span.end
        return spans

    def at(self, t: str, i: int, s_end: int, cued_only: bool) -> Span | None:
        lex = self.lex
        surname = t[i:s_end]
        if surname in lex.preposition and s_end < len(t) and t[s_end] in lex.surnames:
            return None  # 和张三, 向李四: the name starts at the next character
        if s_end - i == 1 and lex.titles.at(t, i):
            return None  # 阿姨, 大爷: a title, not a surname
        # 1. 张某 / 张某某 (+ optional given char: 张某明 is still a name)
        if t.startswith("某", s_end):
            end = s_end + (2 if t.startswith("某某", s_end) else 1)
            if self.common_word(t[i:end]):
                return None
            return Span(i, end, "name")
        # 2. title cue: 张三女士, 王师傅, 欧阳娜娜老师 (the title stays outside the span)
        for g in (2, 1, 0):
            j = s_end + g
            if j > len(t):
                continue
            title = lex.titles.at(t, j)  # the cheaper test first (both only filter)
            if not title or title in ("某", "某某"):
                continue
            if g and not all(_is_cjk(c) and c not in lex.stop for c in t[s_end:j]):
                continue
            if g and lex.titles.at(t, j - 1):
                continue  # the title starts earlier: 王芳阿姨, 张大哥
            if len(title) == 1 and (
                self.common_word(t[j : j + 2], 20)
                or self.common_word(t[j : j + 3], 20)
                or (g and not all(c in lex.given for c in t[s_end:j]))
            ):
                continue  # 工作人员, 总是, 姐妹: not a title; 李子坝工… not a given name
            cand = t[i:j]
            if g == 0:
                min_freq = 1 if len(title) == 1 else 3
                if surname in lex.preposition or self.common_word(
                    surname + title, min_freq, nr_max=10**9
                ):
                    continue  # 向老师反映, 施工 (jieba's 程先生 is tagged nr: kept a name)
            elif self.common_word(cand, min_freq=100, nr_max=1000):
                continue  # 马上老师, 江边大爷
            elif surname in lex.weak and self.common_word(t[s_end:j], min_freq=20):
                continue  # 和语文老师
            return Span(i, j, "name")
        # 3. role cue: 市民张三反映 (any non-stop characters as given name)
        left = self.left_kind(t, i)
        if left == "role":
            if self.common_word(t[i : s_end + 1], min_freq=100, nr_max=1000):
                return None  # 孩子黄山…: a frequent ordinary word starts here, not a name
            g = self.given_len(t, s_end, strict=surname in lex.weak)
            while g:
                cand = t[i : s_end + g]
                if not self.common_word(cand, min_freq=20, nr_max=1000):
                    return Span(i, s_end + g, "name")
                g -= 1
            return None
        if cued_only:
            return None
        # 4. no cue: plausible surname + frequent given-name characters between boundaries
        if left != "link" or (len(surname) == 1 and surname in lex.weak):
            return None
        g = self.given_len(t, s_end, strict=True)
        while g:
            end = s_end + g
            cand = t[i:end]
            if (
                self.right_ok(t, end)
                and not self.common_word(cand, min_freq=1, nr_max=100)
                and not self.common_word(cand[: s_end - i + 1], min_freq=100, nr_max=1000)
                and not self.word_from(t, end - 1)
            ):
                return Span(i, end, "name")
            g -= 1
        return None


@functools.lru_cache(maxsize=1)
def _name_finder() -> _NameFinder:
    return _NameFinder(_lexicon())


def preload() -> None:
    """Load the name lexicon now rather than on the first text (a process that forks
    workers loads it once for all of them)."""
    _name_finder()


def _known_name_spans(t: str, known_names: Iterable[str]) -> list[Span]:
    """Verbatim occurrences in ``t`` of the record's own names (2+ characters, folded):
    leftmost first, the longest name where several start at one place, never overlapping,
    as a regex alternation of the names longest first would find them, without compiling a
    pattern per record (each record brings its own names)."""
    names = sorted(
        {_fold(n) for n in (x.strip() for x in known_names if x) if len(n) >= 2},
        key=len,
        reverse=True,
    )
    spans: list[Span] = []
    pos = 0
    while names:
        best_at, best = -1, ""
        for n in names:  # longest first, so on equal positions the longer name wins
            k = t.find(n, pos)
            if k >= 0 and (best_at < 0 or k < best_at):
                best_at, best = k, n
        if best_at < 0:
            break
        spans.append(Span(best_at, best_at + len(best), "name"))
        pos = best_at + len(best)
    return spans


# --------------------------------------------------------------------------- public API


_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def find_pii(
    text: str,
    known_names: Iterable[str] | None = None,
    *,
    names: Literal["all", "cued", "none"] = "all",
) -> list[Span]:
    """Typed spans of personal data in ``text``, sorted and non-overlapping.

    ``known_names``: names from the same record's structured fields, matched verbatim.
    ``names="cued"`` reports only names with a title, 某, a role noun or from
    ``known_names`` (the PII scanner uses it: published tables hold place names that a
    cue-less guess would flag); ``"none"`` skips names.
    """
    if not text:
        return []
    t = _fold(text)
    candidates = _structural_spans(t)
    uuids = [m.span() for m in _UUID.finditer(t)]
    if uuids:  # run ids and other UUIDs hold digit groups that look like phones or addresses
        candidates = [c for c in candidates if not any(c.start < e and s < c.end for s, e in uuids)]
    if known_names:
        candidates += _known_name_spans(t, known_names)
    spans = _resolve(candidates)
    if names != "none":
        taken = [False] * len(t)
        for s in spans:
            for k in range(s.start, s.end):
                taken[k] = True
        name_spans = _name_finder().find(t, taken, cued_only=names == "cued")
        if name_spans:
            spans = sorted(spans + name_spans)
    return spans


def _resolve(spans: list[Span]) -> list[Span]:
    """Greedy non-overlapping selection: longer first, then type priority, then position."""
    if len(spans) <= 1:
        return spans
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), _PRIORITY[s.type], s.start))
    chosen: list[Span] = []
    for s in ordered:
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen)


def _apply(text: str, spans: Sequence[Span]) -> str:
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for s in spans:
        out.append(text[last : s.start])
        out.append(PLACEHOLDERS[s.type])
        last = s.end
    out.append(text[last:])
    return "".join(out)


def redact(text: str, known_names: Iterable[str] | None = None) -> str:
    """``text`` with every PII span replaced by its typed placeholder."""
    return _apply(text, find_pii(text, known_names))


def redact_many(
    texts: Iterable[str | None],
    known_names: Sequence[str] | Sequence[Sequence[str] | None] | None = None,
) -> list[str | None]:
    """:func:`redact` over many texts; ``None`` stays ``None``.

    ``known_names`` is either one list of names for every text, or one list per text (same
    length as ``texts``: the names from each record's own structured fields).
    """
    texts = list(texts)
    per_text = (
        known_names is not None
        and len(known_names) == len(texts)
        and all(k is None or not isinstance(k, str) for k in known_names)
        and any(k is not None for k in known_names)
    )
    if per_text:
        return [
            None if x is None else _apply(x, find_pii(x, k))  # type: ignore[arg-type]
            for x, k in zip(texts, known_names, strict=True)  # type: ignore[arg-type]
        ]
    shared = tuple(known_names) if known_names else None  # type: ignore[arg-type]
    return [None if x is None else _apply(x, find_pii(x, shared)) for x in texts]
