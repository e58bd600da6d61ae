"""Topic models over tokenised documents, with topic ids that survive monthly refits.

NMF (default) or LDA over TF-IDF (NMF) / counts (LDA) of the tokens from
:mod:`models.text.segment`, fitted per source. Committees compare topics month to month, so a
refit must not renumber them: each new topic is matched to the previous model's topics by
cosine similarity of their word distributions over the shared vocabulary (Hungarian assignment,
kept only above ``match_threshold``); matched topics inherit the old id, the rest get fresh ids.

A model fitted on years of messages has no topic for an issue that a few dozen messages of one
township raise; :func:`burst_topics` finds such issues from words that burst in one township
and month (new to the place and unusual in the whole source) and :meth:`TopicModel.extended`
adds them beside the fitted topics, so that their documents gather in one topic instead of
spreading over several generic ones.

Labels are the top words. :func:`prevalence` sums the document-topic matrix by group
(township × month) into counts and shares; :func:`emerging_topics` flags a group-period whose
share of a topic rises beyond its own baseline (a count-aware test of the last one or two
periods against the preceding ones, with a minimum count and a minimum rise).
Deterministic: fixed ``random_state``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.stats import binom, poisson
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


def _identity(x):
    return x


class _Excluding:
    """Analyzer for pre-tokenised documents that leaves out given words (picklable)."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def __call__(self, doc: Sequence[str]) -> list[str]:
        words = self.words
        return [t for t in doc if t not in words]


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
        """Up to ``n`` words of each topic by weight (words of weight 0 never)."""
        order = np.argsort(-self.components, axis=1, kind="stable")[:, :n]
        return {
            tid: [str(self.vocabulary[j]) for j in order[i] if self.components[i, j] > 0]
            for i, tid in enumerate(self.topic_ids)
        }

    def vectorize(self, docs_tokens: Sequence[Sequence[str]]):
        """The document-term matrix of ``docs_tokens`` over this model's vocabulary."""
        return self.vectorizer.transform(docs_tokens)

    def transform(self, docs_tokens: Sequence[Sequence[str]]) -> pd.DataFrame:
        """Document-topic weights (rows sum to 1, or 0 for empty documents), columns = ids."""
        W = self.transform_matrix(self.vectorize(docs_tokens))
        return pd.DataFrame(W, columns=self.topic_ids)

    def transform_matrix(self, X) -> np.ndarray:
        """Document-topic weights for a matrix from :meth:`vectorize` (rows sum to 1 or 0).

        For NMF, a document's weight on a topic is the part of the document's term mass that
        the topic reconstructs (the NMF coefficient times the topic's total weight), so that
        topics compare whatever the arbitrary scale NMF gives each of them.
        """
        W = self.estimator.transform(X)
        if self.method == "nmf":
            W = W * np.asarray(self.estimator.components_).sum(axis=1)
        sums = W.sum(axis=1, keepdims=True)
        return np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)

    def extended(
        self,
        rows: np.ndarray,
        previous: TopicModel | None = None,
        *,
        match_threshold: float = 0.3,
        n_top_words: int = 5,
    ) -> TopicModel:
        """A copy with extra NMF topics (``rows``: topic-word weights over the vocabulary,
        e.g. from :func:`burst_topics`) fixed beside the fitted ones; ids of all topics are
        assigned afresh against ``previous`` (as :func:`fit_topics` does)."""
        if self.method != "nmf":
            raise ValueError("extra topics need an NMF model")
        rows = np.asarray(rows, dtype=float)
        if not len(rows):
            return self
        est = copy.deepcopy(self.estimator)
        H = np.asarray(est.components_, dtype=float)
        # scaled like the fitted topics; transform_matrix undoes the scale anyway
        scale = np.median(H.sum(axis=1)) / np.maximum(rows.sum(axis=1, keepdims=True), 1e-12)
        H = np.vstack([H, rows * scale]).astype(est.components_.dtype)
        est.components_ = H
        est.n_components = est.n_components_ = est._n_components = H.shape[0]
        comp = H / np.maximum(H.sum(axis=1, keepdims=True), 1e-12)
        ids, next_id, matches = _assign_ids(comp, self.vocabulary, previous, match_threshold)
        model = TopicModel(
            self.method, self.vectorizer, est, self.vocabulary, comp, ids, {}, next_id, matches
        )
        model.labels = {tid: "·".join(w) for tid, w in model.top_words(n_top_words).items()}
        return model


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
    exclude: frozenset[str] = frozenset(),
) -> TopicModel:
    """Fit ``n_topics`` topics; ids follow ``previous`` where topics match (cosine ≥ threshold).

    Words in ``exclude`` (e.g. place names: where a message comes from is the grouping, not its
    subject) are left out of the vocabulary.
    """
    docs = [list(d) for d in docs_tokens]
    n_docs = sum(1 for d in docs if d)
    if n_docs < n_topics:
        raise ValueError(f"{n_docs} non-empty documents cannot support {n_topics} topics")
    common = dict(
        analyzer=_Excluding(frozenset(exclude)) if exclude else _identity,
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


@dataclass(frozen=True)
class BurstRule:
    """When a group-period's words make a topic of their own (see :func:`burst_topics`).

    A word bursts in a group-period when at least ``min_docs`` of its documents hold it, their
    share is at least ``min_ratio`` times the group's own share over the preceding
    ``baseline_periods`` periods (at least ``min_baseline`` of them), and the count is
    improbable both against that own baseline (conditional Poisson test, ``alpha_local``) and
    against the whole source's rate over the same periods (Poisson, ``alpha_county``): new to
    the place *and* unusual anywhere. A local word (a village's own business) fails the second
    test, a word that is common everywhere the first.
    """

    baseline_periods: int = 12
    min_baseline: int = 3
    min_docs: int = 3
    min_ratio: float = 3.0
    alpha_local: float = 0.01
    alpha_county: float = 1e-4
    min_words: int = 2  # bursting words a candidate needs, and each of its documents holds
    merge_similarity: float = 0.3  # candidates this similar (cosine) become one topic
    max_similarity: float = 0.5  # candidates this similar to a fitted topic are left to it


def burst_topics(
    X,
    groups: pd.DataFrame,
    *,
    group: str = "township_code",
    period: str = "month",
    existing: np.ndarray | None = None,
    rule: BurstRule = BurstRule(),
) -> np.ndarray:
    """Topic-word rows (each summing to 1) for vocabulary that bursts in one place and month.

    A topic model fitted on years of messages gives no topic to an issue that a few dozen
    messages of one township raise over two months; their documents then fall to whichever
    fitted topic shares their generic words, spread over several, and no topic rises. This finds
    such issues from the words instead: per group (``group``) and monthly period (``period``,
    'YYYY-MM'), the words that burst (:class:`BurstRule`) and the documents of the cell that
    hold at least ``min_words`` of them; the mean of those documents' ``X`` rows over the
    bursting words is a candidate topic. Similar candidates (the same issue in consecutive
    months or neighbouring groups) are merged, and candidates that a fitted topic (``existing``,
    rows over the same vocabulary) already covers are dropped. ``X`` is the documents' term
    matrix (e.g. :meth:`TopicModel.vectorize`), rows aligned with ``groups``.
    """
    X = sparse.csr_matrix(X)
    n_docs, n_words = X.shape
    if len(groups) != n_docs:
        raise ValueError(f"{n_docs} document rows but {len(groups)} group rows")
    if n_docs == 0:
        return np.zeros((0, n_words))
    ordinal = pd.PeriodIndex(groups[period].astype(str), freq="M").asi8
    t_idx = (ordinal - ordinal.min()).astype(np.int64)
    n_periods = int(t_idx.max()) + 1
    occurs = X.copy()
    occurs.data = np.ones_like(occurs.data)
    onehot = sparse.csr_matrix(
        (np.ones(n_docs), (t_idx, np.arange(n_docs))), shape=(n_periods, n_docs)
    )
    all_counts = _cumulative((onehot @ occurs).toarray())
    all_docs = _cumulative(np.bincount(t_idx, minlength=n_periods).astype(float)[:, None])
    candidates = []
    for _, idx in groups.groupby(group, sort=True).indices.items():
        candidates += _group_bursts(X, occurs, idx, t_idx, n_periods, all_counts, all_docs, rule)
    return _merge_candidates(candidates, existing, rule)


def _cumulative(counts: np.ndarray) -> np.ndarray:
    """Row-wise cumulative sums with a leading zero row (sum of rows a..b-1 = c[b] - c[a])."""
    return np.vstack([np.zeros((1, counts.shape[1])), np.cumsum(counts, axis=0)])


def _group_bursts(X, occurs, idx, t_idx, n_periods, all_counts, all_docs, rule):
    sub = occurs[idx]
    cols = np.unique(sub.indices)
    if not len(cols):
        return []
    t_sub = t_idx[idx]
    onehot = sparse.csr_matrix(
        (np.ones(len(idx)), (t_sub, np.arange(len(idx)))), shape=(n_periods, len(idx))
    )
    counts = (onehot @ sub[:, cols]).toarray()  # periods × words of this group
    n = np.bincount(t_sub, minlength=n_periods).astype(float)
    own, own_n = _cumulative(counts), _cumulative(n[:, None])[:, 0]
    first = int(np.flatnonzero(n > 0)[0])
    out = []
    for t in np.flatnonzero(n > 0):
        lo = max(first, t - rule.baseline_periods)
        if t - lo < rule.min_baseline:
            continue
        n0 = own_n[t] - own_n[lo]
        x, y = counts[t], own[t] - own[lo]
        cand = np.flatnonzero((x >= rule.min_docs) & (x * n0 >= rule.min_ratio * y * n[t]))
        if n0 <= 0 or len(cand) < rule.min_words:
            continue
        x, y = x[cand], y[cand]
        p_local = binom.sf(x - 1, x + y, n[t] / (n[t] + n0))
        lo_all = max(0, t - rule.baseline_periods)
        n0_all = all_docs[t, 0] - all_docs[lo_all, 0]
        y_all = (all_counts[t] - all_counts[lo_all])[cols[cand]]
        p_all = poisson.sf(x - 1, n[t] * np.maximum(y_all, 0.5) / max(n0_all, 1.0))
        words = cols[cand[(p_local < rule.alpha_local) & (p_all < rule.alpha_county)]]
        if len(words) < rule.min_words:
            continue
        docs = idx[t_sub == t]
        part = X[docs][:, words]
        holds = np.asarray((part > 0).sum(axis=1)).ravel() >= rule.min_words
        if holds.sum() < rule.min_docs:
            continue
        row = np.zeros(X.shape[1])
        row[words] = np.asarray(part[holds].mean(axis=0)).ravel()
        out.append(row)
    return out


def _merge_candidates(candidates, existing, rule) -> np.ndarray:
    merged: list[np.ndarray] = []  # sums of unit vectors
    for row in sorted(candidates, key=lambda r: -r.sum()):
        unit = row / np.linalg.norm(row)
        for i, m in enumerate(merged):
            if unit @ m / np.linalg.norm(m) >= rule.merge_similarity:
                merged[i] = m + unit
                break
        else:
            merged.append(unit)
    if not merged:
        return np.zeros((0, 0))
    rows = np.array(merged)
    if existing is not None and len(existing):
        E = np.asarray(existing, dtype=float)
        E = E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-12)
        U = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        rows = rows[(U @ E.T).max(axis=1) < rule.max_similarity]
    return rows / np.maximum(rows.sum(axis=1, keepdims=True), 1e-12)


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
    baseline_periods: int = 12,
    min_baseline: int = 3,
    windows: Sequence[int] = (1, 2),
    min_count: float = 3.0,
    min_ratio: float = 2.0,
    alpha: float = 0.01,
) -> pd.DataFrame:
    """Flag group × topic × period cells whose share rises beyond the cell's own baseline.

    ``prev_df`` is :func:`prevalence` output (``weight`` = documents on the topic, ``n_docs`` =
    all documents of the group-period) with ``period`` among its grouping columns, one row per
    consecutive period of each group and topic. The test is count-aware: the documents on the
    topic in the last ``w`` periods (``w`` in ``windows``, the current period included) are
    compared with those of the ``baseline_periods`` periods before that window (at least
    ``min_baseline`` of them), each against its number of documents, by the conditional test
    of two Poisson rates (R's ``poisson.test(c(x, y), c(n1, n0), alternative = "greater")``:
    given ``x + y``, ``x`` is Binomial(x + y, n1 / (n1 + n0)) when the topic's share is
    unchanged). Small counts are judged by their own variability, not by a normal
    approximation to the share, and a topic the township never had before needs only enough
    documents to be improbable. A window of two periods lets a rise that lasts be seen in its
    second period even when each period alone is too small to show.

    A cell is ``emerging`` when, for some window, the p-value times ``len(windows)`` is below
    ``alpha`` (Bonferroni over the windows), the window holds at least ``min_count`` topic
    documents, its share is at least ``min_ratio`` times the baseline share, and the current
    period itself is above the baseline share (a rise that has ended is not emerging).

    Returns the input columns plus ``baseline_share`` and ``expected`` (for the current period
    against the baseline before it), ``p_value`` (the smallest over windows, adjusted) and
    ``emerging``.
    """
    keys = [*group, "topic_id"]
    df = prev_df.sort_values([*keys, period]).reset_index(drop=True).copy()
    by = [df[k] for k in keys]
    x1 = df["weight"].to_numpy(dtype=float)
    n1 = df["n_docs"].to_numpy(dtype=float)
    share = np.divide(x1, n1, out=np.zeros_like(x1), where=n1 > 0)
    p_best = np.full(len(df), np.nan)
    flagged = np.zeros(len(df), dtype=bool)
    adjust = len(windows)
    for w in windows:
        xw = _rolling_sum(df["weight"], by, w, w)
        nw = _rolling_sum(df["n_docs"], by, w, w)
        y = _rolling_sum(df["weight"], by, baseline_periods, min_baseline, lag=w)
        n0 = _rolling_sum(df["n_docs"], by, baseline_periods, min_baseline, lag=w)
        if w == 1:
            base = np.divide(y, n0, out=np.full_like(y, np.nan), where=n0 > 0)
            df["baseline_share"] = base
            df["expected"] = n1 * base
        ok = np.isfinite(y) & (n0 > 0) & (nw > 0)
        # whole documents (soft weights are expected numbers of documents)
        x = np.rint(np.nan_to_num(xw))
        total = x + np.rint(np.nan_to_num(y))
        frac = np.divide(nw, nw + n0, out=np.zeros_like(nw), where=ok)
        p = np.where(ok, binom.sf(x - 1, total, frac), np.nan) * adjust
        p = np.minimum(p, 1.0)
        base_w = np.divide(y, n0, out=np.zeros_like(y), where=ok)
        share_w = np.divide(xw, nw, out=np.zeros_like(xw), where=ok)
        hit = (
            ok & (p < alpha) & (x >= min_count) & (share_w >= min_ratio * base_w) & (share > base_w)
        )
        flagged |= hit
        p_best = np.fmin(p_best, p)
    df["p_value"] = p_best
    df["emerging"] = flagged
    return df


def _rolling_sum(
    col: pd.Series, by: list[pd.Series], window: int, min_periods: int, lag: int = 0
) -> np.ndarray:
    """Per group, the sum over ``window`` consecutive rows ending ``lag`` rows before each row
    (NaN with fewer than ``min_periods`` rows)."""
    s = col.astype(float)
    if lag:
        s = s.groupby(by, sort=False).shift(lag)
    out = s.groupby(by, sort=False).rolling(window, min_periods=min_periods).sum()
    return out.reset_index(level=list(range(len(by))), drop=True).sort_index().to_numpy()
