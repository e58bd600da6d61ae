"""The whole text stage over redacted documents: tokens → category, topics, emotion → tables.

Pure (DataFrames in, DataFrames out); the Dagster assets in ``pipelines/assets/text`` read the
staging views and write what this returns. Per source (petitions, hotline, incidents):

1. normalise once, tokenise once with the shared :class:`~models.text.segment.Segmenter`
   (placeholders such as 〔姓名〕 removed first, so they never become topic words);
2. petitions: category + calibrated probability from the shipped (or given) category model,
   reusing the tokens;
3. topics: NMF fitted on the source's documents (place names left out of the vocabulary),
   plus burst topics for vocabulary new to one township and month
   (:func:`~models.text.topics.burst_topics`), ids continued from the previous run's stored
   topic-word vectors (:func:`topic_state` / :func:`state_to_model`); each document gets its
   dominant topic; prevalence counts by township × month; emerging topics against each
   township-topic's own baseline (:class:`EmergingRule`);
4. emotion indices and crisis flag per document, means by township × month.

No output table holds text: documents carry keys, codes, months and scores only; topic top words
come from the fitted vocabulary, filtered by :func:`safe_label_words`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from models.text.emotion import INDICES, EmotionScorer
from models.text.normalise import normalise_many, strip_placeholders
from models.text.segment import Segmenter
from models.text.topics import (
    BurstRule,
    TopicModel,
    burst_topics,
    emerging_topics,
    fit_topics,
    prevalence,
)

log = logging.getLogger(__name__)

# Topics per source: enough to separate the recurring themes of a county's messages.
N_TOPICS = {"petitions": 40, "hotline": 20, "incidents": 20}
# English column names of the emotion indices (INDICES order).
INDEX_COLUMNS = {"焦虑": "anxiety", "愤怒": "anger", "悲观": "pessimism", "信任": "trust"}
# Topic-word weights kept per topic in the restricted store for the next run's id matching.
STATE_WORDS = 400
# Documents a topic model is fitted on at most (a deterministic sample beyond that; the
# transform still covers every document).
MAX_FIT_DOCS = 60_000

# When vocabulary new to a township makes a topic of its own (topics.burst_topics).
BURSTS = BurstRule()

_PLACEHOLDER_WORDS = frozenset({"姓名", "电话", "证件号", "银行卡", "车牌", "地址", "邮箱", "账号"})
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class EmergingRule:
    """When a township's share of a topic counts as emerging (see topics.emerging_topics)."""

    baseline_periods: int = 12
    min_baseline: int = 3
    windows: tuple[int, ...] = (1, 2)
    min_count: float = 3.0
    min_ratio: float = 2.0
    # A county has thousands of township × topic × month cells with 3+ documents, so 0.003
    # means a handful of chance flags a year (measured in benchmarks/results/text_topics.md).
    alpha: float = 0.003


@dataclass
class StageResult:
    documents: pd.DataFrame
    topic_prevalence: pd.DataFrame
    topics: pd.DataFrame
    emotion_indices: pd.DataFrame
    emerging_topics: pd.DataFrame
    topic_state: pd.DataFrame
    models: dict[str, TopicModel] = field(default_factory=dict)


# -- vocabulary safety ----------------------------------------------------------------------
@lru_cache(maxsize=1)
def _base_dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """Words of jieba's main dictionary (the one rjieba embeds), and those it tags as personal
    names (nr, nrfg, nrt)."""
    from importlib.resources import files

    words, names = set(), set()
    text = files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split(" ")
        if parts and parts[0]:
            words.add(parts[0])
            if len(parts) > 2 and parts[2].startswith("nr"):
                names.add(parts[0])
    return frozenset(words), frozenset(names)


def safe_label_words(words: Sequence[str], known: frozenset[str] = frozenset()) -> list[str]:
    """Top words fit to publish: no placeholder names, no digits, and a word outside the
    dictionaries (jieba's, the domain dictionary, run-time place names ``known``) only if it
    cannot be a personal name (a name is 2–4 Han characters the dictionary does not know)."""
    base, names = _base_dictionary()
    out = []
    for w in words:
        if w in names and w not in known:
            continue
        if w in _PLACEHOLDER_WORDS or "〔" in w or "〕" in w or any(ch.isdigit() for ch in w):
            continue
        if w not in base and w not in known and _HAN.match(w) and 2 <= len(w) <= 4:
            continue
        out.append(w)
    return out


# -- topic state (restricted store) ---------------------------------------------------------
def topic_state(source: str, model: TopicModel, n_words: int = STATE_WORDS) -> pd.DataFrame:
    """Long (source, topic_id, rank, word, weight, next_id): the top ``n_words`` of each topic."""
    rows = []
    order = np.argsort(-model.components, axis=1)[:, :n_words]
    for i, tid in enumerate(model.topic_ids):
        for rank, j in enumerate(order[i]):
            w = float(model.components[i, j])
            if w <= 0:
                break
            rows.append((source, tid, rank, str(model.vocabulary[j]), w, model.next_id))
    return pd.DataFrame(rows, columns=["source", "topic_id", "rank", "word", "weight", "next_id"])


def state_to_model(state: pd.DataFrame) -> TopicModel | None:
    """A previous model good enough for id matching, rebuilt from :func:`topic_state` rows."""
    if state is None or state.empty:
        return None
    vocab = np.array(sorted(state["word"].unique()))
    pos = {w: i for i, w in enumerate(vocab)}
    ids = sorted(int(t) for t in state["topic_id"].unique())
    row = {t: i for i, t in enumerate(ids)}
    comp = np.zeros((len(ids), len(vocab)))
    comp[state["topic_id"].map(row).to_numpy(), state["word"].map(pos).to_numpy()] = state[
        "weight"
    ].to_numpy()
    return TopicModel("nmf", None, None, vocab, comp, ids, {}, int(state["next_id"].max()))


# -- the stage ------------------------------------------------------------------------------
def _fit_sample(n: int, limit: int) -> np.ndarray:
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, size=limit, replace=False))


def topics_for_source(
    source: str,
    tokens: list[list[str]],
    previous: TopicModel | None,
    n_topics: int | None = None,
    known_words: frozenset[str] = frozenset(),
    groups: pd.DataFrame | None = None,
    *,
    exclude: frozenset[str] = frozenset(),
    bursts: BurstRule | None = BURSTS,
) -> tuple[TopicModel, np.ndarray, np.ndarray]:
    """Fit (ids continued from ``previous``); dominant topic id and its weight per document.

    With ``groups`` (township_code, month per document) and ``bursts``, topics for vocabulary
    that bursts in one township and month are added to the fitted ones
    (:func:`~models.text.topics.burst_topics`). ``exclude``: words kept out of the topics
    (place names).
    """
    k = n_topics or N_TOPICS.get(source, 12)
    idx = _fit_sample(len(tokens), MAX_FIT_DOCS)
    model = fit_topics([tokens[i] for i in idx], k, previous, n_top_words=40, exclude=exclude)
    X = model.vectorize(tokens)
    if groups is not None and bursts is not None:
        rows = burst_topics(X, groups, existing=model.components, rule=bursts)
        if len(rows):
            log.info("%s: %d burst topics beside %d fitted", source, len(rows), k)
            model = model.extended(rows, previous, n_top_words=40)
    model.labels = {
        tid: "·".join(safe_label_words(words, known_words)[:5])
        for tid, words in model.top_words(60).items()
    }
    W = model.transform_matrix(X)
    best = W.argmax(axis=1)
    ids = np.asarray(model.topic_ids)[best]
    weight = W[np.arange(len(W)), best]
    ids = np.where(weight > 0, ids, -1)  # empty documents: no topic
    return model, ids, weight


def run_stage(
    docs: pd.DataFrame,
    *,
    category_model=None,
    previous_state: pd.DataFrame | None = None,
    extra_words: Sequence[str] = (),
    segmenter: Segmenter | None = None,
    scorer: EmotionScorer | None = None,
    rule: EmergingRule = EmergingRule(),
    bursts: BurstRule | None = BURSTS,
    n_topics: dict[str, int] | None = None,
) -> StageResult:
    """``docs``: source, document_key, township_code, month ('YYYY-MM'), text (redacted)."""
    seg = segmenter or Segmenter(extra_words)
    scorer = scorer or EmotionScorer(extra_words=extra_words)
    known = frozenset(extra_words) | frozenset(e.word for e in seg.entries)
    parts, models, states, topics_rows = [], {}, [], []
    for source, frame in docs.groupby("source", sort=True):
        frame = frame.reset_index(drop=True)
        norm = normalise_many(frame["text"].tolist())
        tokens = seg.tokenize_many(strip_placeholders(norm), normalised=True)
        out = frame[["source", "document_key", "township_code", "month"]].copy()
        out["category"], out["category_probability"] = None, np.nan
        if source == "petitions" and category_model is not None and len(frame):
            proba = category_model.predict_proba_normalised(norm, tokens)
            out["category"] = category_model.classes_[proba.argmax(axis=1)]
            out["category_probability"] = proba.max(axis=1)
        prev = None
        if previous_state is not None and not previous_state.empty:
            prev = state_to_model(previous_state[previous_state["source"] == source])
        k = (n_topics or {}).get(source)
        model, ids, weight = topics_for_source(
            source,
            tokens,
            prev,
            k,
            known,
            frame[["township_code", "month"]],
            exclude=frozenset(extra_words),
            bursts=bursts,
        )
        models[source] = model
        states.append(topic_state(source, model))
        out["topic_id"], out["topic_weight"] = ids, weight
        top = model.top_words(60)
        for tid in model.topic_ids:
            words = safe_label_words(top[tid], known)[:10]
            topics_rows.append(
                (source, tid, model.labels[tid], " ".join(words), model.matches.get(tid))
            )
        emo = scorer.score_many(norm, normalised=True)
        for j, name in enumerate(INDICES):
            out[INDEX_COLUMNS[name]] = emo.indices[:, j]
        out["is_crisis"] = emo.crisis
        out["emotion_label"] = emo.labels
        parts.append(out)
    documents = pd.concat(parts, ignore_index=True) if parts else _empty_documents()
    topics = pd.DataFrame(
        topics_rows, columns=["source", "topic_id", "label", "top_words", "match_similarity"]
    )
    prev_tab, emerging = topic_tables(documents, rule)
    return StageResult(
        documents=documents,
        topic_prevalence=prev_tab,
        topics=topics,
        emotion_indices=emotion_table(documents),
        emerging_topics=emerging,
        topic_state=pd.concat(states, ignore_index=True) if states else pd.DataFrame(),
        models=models,
    )


def _empty_documents() -> pd.DataFrame:
    cols = [
        "source",
        "document_key",
        "township_code",
        "month",
        "category",
        "category_probability",
        "topic_id",
        "topic_weight",
        *INDEX_COLUMNS.values(),
        "is_crisis",
        "emotion_label",
    ]
    return pd.DataFrame(columns=cols)


def topic_tables(documents: pd.DataFrame, rule: EmergingRule) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Prevalence (documents per source × township × month × topic, zeros included for topics
    seen in the source) and the emerging cells with a plain-Chinese reason."""
    prev_parts, emerging_parts = [], []
    for source, d in documents[documents["topic_id"] >= 0].groupby("source", sort=True):
        onehot = pd.get_dummies(d["topic_id"].astype(int)).astype(float)
        p = prevalence(onehot, d[["township_code", "month"]], ["township_code", "month"])
        p = _complete_months(p)
        p.insert(0, "source", source)
        p = p.rename(columns={"n_docs": "n_docs_total", "weight": "n_docs"})
        p["n_docs"] = p["n_docs"].round().astype(int)
        p["n_docs_total"] = p["n_docs_total"].astype(int)
        prev_parts.append(p)
        e = emerging_topics(
            p.rename(columns={"n_docs": "weight", "n_docs_total": "n_docs"}),
            baseline_periods=rule.baseline_periods,
            min_baseline=rule.min_baseline,
            windows=rule.windows,
            min_count=rule.min_count,
            min_ratio=rule.min_ratio,
            alpha=rule.alpha,
        )
        e = e[e["emerging"]].rename(columns={"weight": "n_docs", "n_docs": "n_docs_total"})
        emerging_parts.append(e)
    cols = ["source", "township_code", "month", "topic_id", "n_docs", "n_docs_total", "share"]
    prev_tab = (
        pd.concat(prev_parts, ignore_index=True)[cols] if prev_parts else pd.DataFrame(columns=cols)
    )
    ecols = [*cols, "baseline_share", "expected", "p_value", "reason"]
    if emerging_parts:
        em = pd.concat(emerging_parts, ignore_index=True)
        em["reason"] = [
            f"占比{s:.0%}，高于本乡镇近{rule.baseline_periods}个月基线{b:.0%}，泊松检验p={p:.2g}"
            for s, n, t, b, p in zip(
                em["share"],
                em["n_docs"],
                em["n_docs_total"],
                em["baseline_share"],
                em["p_value"],
                strict=True,
            )
        ]
        em = em[ecols].sort_values(["source", "month", "township_code", "topic_id"])
    else:
        em = pd.DataFrame(columns=ecols)
    return prev_tab, em.reset_index(drop=True)


def _complete_months(p: pd.DataFrame) -> pd.DataFrame:
    """Add the months a township had no document (n_docs 0) between its first and last month,
    so that baselines see quiet months. Topics are already complete within a group."""
    months = pd.period_range(p["month"].min(), p["month"].max(), freq="M").astype(str)
    topics = p["topic_id"].unique()
    towns = p["township_code"].unique()
    full = pd.MultiIndex.from_product(
        [towns, months, topics], names=["township_code", "month", "topic_id"]
    ).to_frame(index=False)
    out = full.merge(p, on=["township_code", "month", "topic_id"], how="left")
    totals = p.groupby(["township_code", "month"])["n_docs"].first()
    out["n_docs"] = out.set_index(["township_code", "month"]).index.map(totals).fillna(0).to_numpy()
    out["weight"] = out["weight"].fillna(0.0)
    total = out["n_docs"].where(out["n_docs"] > 0)
    out["share"] = (out["weight"] / total).fillna(0.0)
    return out


def emotion_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Per source × township × month: documents, mean of each index, crisis documents/share."""
    cols = list(INDEX_COLUMNS.values())
    g = documents.groupby(["source", "township_code", "month"], sort=True)
    out = g[cols].mean().add_suffix("_mean")
    out.insert(0, "n_docs", g.size())
    out["n_crisis"] = g["is_crisis"].sum().astype(int)
    out["crisis_share"] = out["n_crisis"] / out["n_docs"]
    return out.reset_index()
