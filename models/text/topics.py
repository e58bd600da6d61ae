"""Topic models over tokenised documents, with topic ids that survive monthly refits.

NMF (default) or LDA over TF-IDF (NMF) / counts (LDA) of the tokens from
:mod:`models.text.segment`, fitted per source. Committees compare topics month to month, so a
refit must not renumber them: each new topic is matched to the previous model's topics by
cosine similarity of their word distributions over the shared vocabulary (Hungarian assignment,
kept only above ``match_threshold``); matched topics inherit the old id, the rest get fresh ids.

Labels are the top words. :func:`prevalence` sums the document-topic matrix by group
(township × month) into counts and shares; :func:`emerging_topics` flags a group-period whose
share of a topic rises beyond its own baseline (mean + z·sd of the preceding periods, with a
minimum count and a one-sided Poisson test on the count against the baseline rate).
Deterministic: fixed ``random_state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.stats import poisson
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


def _identity(x):
    return x


@dataclass
class TopicModel:
    """A fitted topic model with stable ids.

    ``components`` is (k, V) row-normalised topic-word weights over ``vocabulary``;
    ``topic_ids[i]`` is the stable id of row i.
    """

    method: str
    vectorizer: TfidfVectorizer | CountVectorizer
    estimator: NMF | LatentDirichletAllocation
    vocabulary: np.ndarray
    components: np.ndarray
    topic_ids: list[int]
    labels: dict[int, str]
    next_id: int
    matches: dict[int, float] = field(default_factory=dict)  # id → similarity to previous

    def top_words(self, n: int = 10) -> dict[int, list[str]]:
        order = np.argsort(-self.components, axis=1)[:, :n]
        return {
            tid: [str(self.vocabulary[j]) for j in order[i]] for i, tid in enumerate(self.topic_ids)
        }

    def transform(self, docs_tokens: Sequence[Sequence[str]]) -> pd.DataFrame:
        """Document-topic weights (rows sum to 1, or 0 for empty documents), columns = ids."""
        W = self.estimator.transform(self.vectorizer.transform(docs_tokens))
        sums = W.sum(axis=1, keepdims=True)
        W = np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)
        return pd.DataFrame(W, columns=self.topic_ids)


def fit_topics(
    docs_tokens: Sequence[Sequence[str]],
    n_topics: int,
    previous: TopicModel | None = None,
    *,
    method: Literal["nmf", "lda"] = "nmf",
    match_threshold: float = 0.3,
    min_df: int | float = 2,
    max_df: float = 0.5,
    max_features: int = 20_000,
    n_top_words: int = 5,
    random_state: int = 0,
) -> TopicModel:
    """Fit ``n_topics`` topics; ids follow ``previous`` where topics match (cosine ≥ threshold)."""
    docs = [list(d) for d in docs_tokens]
    n_docs = sum(1 for d in docs if d)
    if n_docs < n_topics:
        raise ValueError(f"{n_docs} non-empty documents cannot support {n_topics} topics")
    common = dict(
        analyzer=_identity,
        min_df=min_df if n_docs >= 50 else 1,
        max_df=max_df if n_docs >= 50 else 1.0,
        max_features=max_features,
    )
    if method == "nmf":
        vec = TfidfVectorizer(sublinear_tf=True, **common)
        X = vec.fit_transform(docs)
        est = NMF(n_components=n_topics, init="nndsvda", random_state=random_state, max_iter=400)
    elif method == "lda":
        vec = CountVectorizer(**common)
        X = vec.fit_transform(docs)
        est = LatentDirichletAllocation(
            n_components=n_topics, learning_method="batch", random_state=random_state, max_iter=30
        )
    else:
        raise ValueError(f"method must be 'nmf' or 'lda', got {method!r}")
    est.fit(X)
    comp = np.asarray(est.components_, dtype=float)
    comp = comp / np.maximum(comp.sum(axis=1, keepdims=True), 1e-12)
    vocab = vec.get_feature_names_out()
    ids, next_id, matches = _assign_ids(comp, vocab, previous, match_threshold)
    model = TopicModel(method, vec, est, vocab, comp, ids, {}, next_id, matches)
    model.labels = {tid: "·".join(words) for tid, words in model.top_words(n_top_words).items()}
    return model


def _cosine_across(comp: np.ndarray, vocab: np.ndarray, prev: TopicModel) -> np.ndarray:
    """Cosine similarity (k_new, k_old) on the union vocabulary."""
    union = np.union1d(vocab, prev.vocabulary)
    pos = {w: i for i, w in enumerate(union)}
    A = np.zeros((comp.shape[0], len(union)))
    B = np.zeros((prev.components.shape[0], len(union)))
    A[:, [pos[w] for w in vocab]] = comp
    B[:, [pos[w] for w in prev.vocabulary]] = prev.components
    A /= np.maximum(np.linalg.norm(A, axis=1, keepdims=True), 1e-12)
    B /= np.maximum(np.linalg.norm(B, axis=1, keepdims=True), 1e-12)
    return A @ B.T


def _assign_ids(comp, vocab, previous, threshold):
    k = comp.shape[0]
    if previous is None:
        return list(range(k)), k, {}
    sim = _cosine_across(comp, vocab, previous)
    rows, cols = linear_sum_assignment(-sim)
    ids: list[int | None] = [None] * k
    matches: dict[int, float] = {}
    for r, c in zip(rows, cols, strict=True):
        if sim[r, c] >= threshold:
            ids[r] = previous.topic_ids[c]
            matches[previous.topic_ids[c]] = float(sim[r, c])
    next_id = previous.next_id
    for i in range(k):
        if ids[i] is None:
            ids[i] = next_id
            next_id += 1
    return [int(i) for i in ids], next_id, matches


def prevalence(doc_topics: pd.DataFrame, groups: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Long frame per group × topic: ``n_docs`` in the group, ``weight`` (expected number of
    documents on the topic = sum of document-topic weights) and ``share`` = weight / n_docs."""
    by = list(by)
    if len(doc_topics) != len(groups):
        raise ValueError(f"{len(doc_topics)} document rows but {len(groups)} group rows")
    wide = pd.concat([groups[by].reset_index(drop=True), doc_topics.reset_index(drop=True)], axis=1)
    g = wide.groupby(by, observed=True, sort=True)
    n = g.size().rename("n_docs")
    sums = g[list(doc_topics.columns)].sum()
    long = sums.stack().rename("weight").reset_index()
    long = long.rename(columns={long.columns[len(by)]: "topic_id"})
    long = long.merge(n.reset_index(), on=by)
    long["share"] = long["weight"] / long["n_docs"].where(long["n_docs"] > 0)
    return long


def emerging_topics(
    prev_df: pd.DataFrame,
    *,
    group: Sequence[str] = ("township_code",),
    period: str = "month",
    baseline_periods: int = 6,
    min_baseline: int = 3,
    z: float = 2.0,
    min_count: float = 5.0,
    alpha: float = 0.01,
) -> pd.DataFrame:
    """Flag group × topic × period cells whose share rises beyond the cell's own baseline.

    ``prev_df`` is :func:`prevalence` output with ``period`` among its grouping columns. For
    each period, the baseline is the preceding ``baseline_periods`` periods of the same group
    and topic (at least ``min_baseline``). A cell is flagged (``emerging``) when
    share > baseline mean + z·sd, weight ≥ ``min_count``, and the weight is improbable under
    Poisson(n_docs × baseline share) at level ``alpha``. Returns the input columns plus
    ``baseline_share``, ``baseline_sd``, ``expected``, ``p_value``, ``emerging``.
    """
    keys = [*group, "topic_id"]
    df = prev_df.sort_values([*keys, period]).reset_index(drop=True).copy()
    g = df.groupby(keys, sort=False)["share"]
    shifted = g.shift(1)
    roll = shifted.groupby([df[k] for k in keys], sort=False).rolling(
        baseline_periods, min_periods=min_baseline
    )
    df["baseline_share"] = roll.mean().reset_index(level=list(range(len(keys))), drop=True)
    df["baseline_sd"] = roll.std(ddof=1).reset_index(level=list(range(len(keys))), drop=True)
    df["expected"] = df["n_docs"] * df["baseline_share"]
    # Poisson upper tail P(X ≥ weight); a floor on the rate avoids p = 0 for zero baselines.
    rate = np.maximum(df["expected"].to_numpy(dtype=float), 0.5)
    observed = np.floor(df["weight"].to_numpy(dtype=float))
    df["p_value"] = np.where(df["baseline_share"].notna(), poisson.sf(observed - 1, rate), np.nan)
    sd = df["baseline_sd"].fillna(0.0)
    df["emerging"] = (
        df["baseline_share"].notna()
        & (df["share"] > df["baseline_share"] + z * sd)
        & (df["weight"] >= min_count)
        & (df["p_value"] < alpha)
    )
    return df
