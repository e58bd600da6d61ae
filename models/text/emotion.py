"""Emotion and mentality scoring with a lexicon (DUTIR-style 7 categories 乐 好 怒 哀 惧 恶 惊).

Why a lexicon and not a trained model: it is explainable to the expert committee (every score
traces to words), needs no labelled local data, and works on hotline notes, petitions and
Weibo-style posts alike. The lexicon ``data/emotion_lexicon.tsv`` is the project's own (CC0,
see ``data/README.md``); negation, degree words, index definitions and crisis terms live in
``data/emotion_rules.yaml``.

Per document the scorer returns the 7 category scores, four mentality indices

* 焦虑 (惧 + anxiety words), 愤怒/怨气 (怒 + 恶 + grievance words),
* 悲观 (哀 + hopelessness words), 信任 (好 + trust words),

a crisis-language flag (自杀/轻生/不想活…, with 没有自杀念头 → not crisis), and a label on the
6-class scheme used by public Weibo emotion data (happy, angry, sad, fear, surprise, neutral).
:func:`aggregate` rolls documents up to groups (township × month).

Scoring: the text is normalised and segmented with a Segmenter that knows every lexicon word;
for each lexicon hit, the preceding ``window`` tokens of the same clause are scanned for degree
words (multiplied) and negations (an odd count negates: 乐 → 哀, 好 → 恶 at reduced weight,
negative categories dropped). An exclamation mark closing the clause amplifies.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, Field

from models.text.normalise import normalise_many
from models.text.segment import Segmenter

DATA_DIR = Path(__file__).parent / "data"
LEXICON = DATA_DIR / "emotion_lexicon.tsv"
RULES = DATA_DIR / "emotion_rules.yaml"

CATEGORIES: tuple[str, ...] = ("乐", "好", "怒", "哀", "惧", "恶", "惊")
INDICES: tuple[str, ...] = ("焦虑", "愤怒", "悲观", "信任")
LABELS: tuple[str, ...] = ("happy", "angry", "sad", "fear", "surprise", "neutral")
_CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
_NEGATED_POSITIVE = {"乐": "哀", "好": "恶"}
_CLAUSE_END = frozenset("。，,.;；!！?？\n:：~…")
_EXCLAIM = frozenset("!！")


class IndexRule(BaseModel):
    categories: list[str]
    words: dict[str, float] = Field(default_factory=dict)


class CrisisRules(BaseModel):
    terms: list[str]
    negations: list[str]
    fillers: list[str]
    exclusions_before: list[str] = Field(default_factory=list)
    exclusions_after: list[str] = Field(default_factory=list)


class EmotionRules(BaseModel):
    """Validated contents of ``emotion_rules.yaml``."""

    window: int = Field(3, ge=1, le=10)
    negations: list[str]
    negated_positive_weight: float = Field(0.6, ge=0, le=1)
    negated_negative_weight: float = Field(0.0, ge=0, le=1)
    degree: dict[float, list[str]]
    exclamation: float = Field(1.25, ge=1)
    indices: dict[str, IndexRule]
    label_map: dict[str, str]
    neutral_threshold: float = Field(3.0, ge=0)
    crisis: CrisisRules


@dataclass(frozen=True)
class LexiconEntry:
    word: str
    category: str
    intensity: float


def load_lexicon(path: Path = LEXICON) -> dict[str, LexiconEntry]:
    """``word → entry`` from a TSV with header ``word, category, intensity``."""
    out: dict[str, LexiconEntry] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            word, cat = (row.get("word") or "").strip(), (row.get("category") or "").strip()
            if not word or word.startswith("#"):
                continue
            if cat not in _CAT_INDEX:
                raise ValueError(
                    f"{path}:{lineno}: category {cat!r} for {word!r} is not one of {CATEGORIES}"
                )
            try:
                intensity = float(row["intensity"])
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: intensity must be a number") from exc
            out.setdefault(word.replace("\ufe0f", ""), LexiconEntry(word, cat, intensity))
    return out


def load_rules(path: Path = RULES) -> EmotionRules:
    """Rules from YAML (the package default, or an expert's copy under $XINTAI_HOME/config)."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    rules = EmotionRules.model_validate(raw)
    unknown = {c for r in rules.indices.values() for c in r.categories} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{path}: indices name unknown categories {sorted(unknown)}")
    return rules


@dataclass(frozen=True)
class EmotionResult:
    """Scores for a batch: arrays aligned with the input texts."""

    categories: np.ndarray  # (n, 7) in CATEGORIES order
    indices: np.ndarray  # (n, 4) in INDICES order
    crisis: np.ndarray  # (n,) bool
    labels: list[str]

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.categories, columns=list(CATEGORIES))
        for j, name in enumerate(INDICES):
            df[name] = self.indices[:, j]
        df["crisis"] = self.crisis
        df["label"] = self.labels
        return df


class EmotionScorer:
    """Lexicon emotion scorer; build once and reuse (segmenter construction ~0.3 s)."""

    def __init__(
        self,
        lexicon: Path = LEXICON,
        rules: Path = RULES,
        extra_words: Sequence[str] = (),
    ) -> None:
        self.lexicon = load_lexicon(lexicon)
        self.rules = load_rules(rules)
        r = self.rules
        self._neg = frozenset(r.negations)
        self._deg = {w: float(k) for k, ws in r.degree.items() for w in ws}
        self._index_words = [
            dict(r.indices[name].words) if name in r.indices else {} for name in INDICES
        ]
        self._index_cats = [
            [_CAT_INDEX[c] for c in r.indices[name].categories] if name in r.indices else []
            for name in INDICES
        ]
        self._all_index_words = {w for d in self._index_words for w in d}
        vocab = set(self.lexicon) | self._neg | set(self._deg) | self._all_index_words
        self.segmenter = Segmenter(extra_words)
        self.segmenter.add_words(w for w in sorted(vocab) if len(w) > 1)  # keep them whole
        self._crisis = _compile_crisis(r.crisis)
        self._label_of = [r.label_map.get(c, "neutral") for c in CATEGORIES]

    # -- one document -------------------------------------------------------------------
    def score_tokens(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Category scores (7) and index scores (4) of one tokenised document."""
        r = self.rules
        cats = np.zeros(len(CATEGORIES))
        idx = np.zeros(len(INDICES))
        lex, neg, deg = self.lexicon, self._neg, self._deg
        iw, all_iw = self._index_words, self._all_index_words
        n = len(tokens)
        for i, raw in enumerate(tokens):
            tok = raw.replace("\ufe0f", "") if "\ufe0f" in raw else raw
            entry = lex.get(tok)
            if entry is None and tok not in all_iw:
                continue
            mult, negated = 1.0, False
            for j in range(i - 1, max(-1, i - 1 - r.window), -1):
                prev = tokens[j]
                if prev in _CLAUSE_END:
                    break
                if prev in deg:
                    mult *= deg[prev]
                if prev in neg:
                    negated = not negated
            for j in range(i + 1, min(n, i + 3)):
                if tokens[j] in _EXCLAIM:
                    mult *= r.exclamation
                    break
                if tokens[j] in _CLAUSE_END:
                    break
            if entry is not None:
                cat, w = entry.category, entry.intensity * mult
                if negated:
                    if cat in _NEGATED_POSITIVE:
                        cat, w = _NEGATED_POSITIVE[cat], w * r.negated_positive_weight
                    else:
                        w *= r.negated_negative_weight
                cats[_CAT_INDEX[cat]] += w
            if not negated and tok in all_iw:
                for k, words in enumerate(iw):
                    if tok in words:
                        idx[k] += words[tok] * mult
        for k, cat_ids in enumerate(self._index_cats):
            idx[k] += cats[cat_ids].sum()
        return cats, idx

    def label(self, cats: np.ndarray) -> str:
        """6-class label from category scores (see ``label_map``, ``neutral_threshold``)."""
        totals: dict[str, float] = {}
        for c, lab in zip(cats, self._label_of, strict=True):
            totals[lab] = totals.get(lab, 0.0) + float(c)
        best = max(totals, key=lambda k: (totals[k], -LABELS.index(k)))
        return best if totals[best] >= self.rules.neutral_threshold else "neutral"

    # -- batches ------------------------------------------------------------------------
    def score_many(self, texts: Iterable[object], *, normalised: bool = False) -> EmotionResult:
        """Scores for a batch of texts (normalised here unless ``normalised=True``)."""
        docs = list(texts) if normalised else normalise_many(texts)
        docs = [d if isinstance(d, str) else "" for d in docs]
        n = len(docs)
        cats = np.zeros((n, len(CATEGORIES)))
        idx = np.zeros((n, len(INDICES)))
        for i, toks in enumerate(self.segmenter.cut_many(docs)):
            cats[i], idx[i] = self.score_tokens(toks)
        labels = [self.label(row) for row in cats]
        crisis = np.fromiter((self.is_crisis(d) for d in docs), dtype=bool, count=n)
        return EmotionResult(cats, idx, crisis, labels)

    def is_crisis(self, text: str) -> bool:
        """True if the (normalised) text holds crisis language that is not negated/excluded."""
        return _crisis_hit(self._crisis, text)


@dataclass(frozen=True)
class _CrisisPatterns:
    term: re.Pattern[str]
    negated_before: re.Pattern[str]
    excluded_before: re.Pattern[str] | None
    excluded_after: re.Pattern[str] | None


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile_crisis(c: CrisisRules) -> _CrisisPatterns:
    fill = _alt(c.fillers)
    return _CrisisPatterns(
        term=re.compile(_alt(c.terms)),
        negated_before=re.compile(rf"(?:{_alt(c.negations)})(?:{fill}){{0,4}}$"),
        excluded_before=re.compile(rf"(?:{_alt(c.exclusions_before)})(?:{fill}){{0,2}}$")
        if c.exclusions_before
        else None,
        excluded_after=re.compile(rf"^(?:{fill}){{0,2}}(?:{_alt(c.exclusions_after)})")
        if c.exclusions_after
        else None,
    )


def _crisis_hit(p: _CrisisPatterns, text: str) -> bool:
    for m in p.term.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 8]
        if p.negated_before.search(before):
            continue
        if p.excluded_before is not None and p.excluded_before.search(before):
            continue
        if p.excluded_after is not None and p.excluded_after.search(after):
            continue
        return True
    return False


@lru_cache(maxsize=1)
def default_scorer() -> EmotionScorer:
    """A shared scorer with the package's lexicon and rules."""
    return EmotionScorer()


def score_many(texts: Iterable[object]) -> pd.DataFrame:
    """Per-document frame: 7 categories, 4 indices, crisis flag and 6-class label."""
    return default_scorer().score_many(texts).to_frame()


def aggregate(
    scores: pd.DataFrame, by: Sequence[str], index_threshold: float = 3.0
) -> pd.DataFrame:
    """Group roll-up: documents, mean index per document, share of documents above threshold,
    crisis share. ``scores`` holds :func:`score_many` columns plus the grouping columns."""
    cols = list(by)
    work = scores[cols].copy()
    for name in INDICES:
        work[f"{name}_mean"] = scores[name].astype(float)
        work[f"{name}_share"] = (scores[name] >= index_threshold).astype(float)
    work["crisis_share"] = scores["crisis"].astype(float)
    work["n_crisis"] = scores["crisis"].astype(int)
    g = work.groupby(cols, observed=True, sort=True)
    out = g.mean()
    out["n_crisis"] = g["n_crisis"].sum()
    out.insert(0, "n_docs", g.size())
    return out.reset_index()


# Gold-label spellings found in public Chinese emotion data, mapped to the 6 labels.
LABEL_ALIASES: dict[str, str] = {
    **{lab: lab for lab in LABELS},
    "happiness": "happy",
    "joy": "happy",
    "like": "happy",
    "love": "happy",
    "喜悦": "happy",
    "高兴": "happy",
    "快乐": "happy",
    "喜好": "happy",
    "乐": "happy",
    "好": "happy",
    "anger": "angry",
    "disgust": "angry",
    "愤怒": "angry",
    "厌恶": "angry",
    "怒": "angry",
    "恶": "angry",
    "sadness": "sad",
    "悲伤": "sad",
    "哀": "sad",
    "fearful": "fear",
    "恐惧": "fear",
    "惧": "fear",
    "surprised": "surprise",
    "惊讶": "surprise",
    "惊奇": "surprise",
    "惊": "surprise",
    "none": "neutral",
    "无情绪": "neutral",
    "中性": "neutral",
    "other": "neutral",
}


def canonical_label(label: object) -> str:
    """Map a gold label spelling to one of LABELS; unknown spellings raise ValueError."""
    key = str(label).strip()
    out = LABEL_ALIASES.get(key) or LABEL_ALIASES.get(key.lower())
    if out is None:
        raise ValueError(f"emotion label {label!r} is not one of {LABELS} or a known alias")
    return out


def evaluate_lexicon(texts: Sequence[object], labels: Sequence[object]) -> dict:
    """Macro-F1 (over the gold labels present), accuracy and n for the lexicon labeller."""
    from sklearn.metrics import accuracy_score, f1_score

    gold = [canonical_label(v) for v in labels]
    pred = default_scorer().score_many(texts).labels
    present = sorted(set(gold))
    return {
        "macro_f1": float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
        "n_test": len(gold),
    }
