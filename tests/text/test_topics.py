import numpy as np
import pandas as pd
import pytest

from models.text.topics import emerging_topics, fit_topics, prevalence

POOLS = {
    "wages": "欠薪 讨薪 农民工 工资 老板 工地 包工头 劳动监察".split(),
    "property": "物业费 物业 小区 电梯 业主 停车 楼道 维修".split(),
    "noise": "噪音 扰民 施工 夜间 广场舞 烧烤 油烟 睡觉".split(),
    "school": "学校 入学 老师 补课 学生 校服 教辅 家长".split(),
    "health": "医院 看病 挂号 医生 药费 报销 卫生院 住院".split(),
    "land": "征地 拆迁 补偿款 安置房 宅基地 村委会 土地 青苗".split(),
}


def _docs(n, seed, topics=tuple(POOLS)):
    rng = np.random.default_rng(seed)
    docs, truth = [], []
    for _ in range(n):
        t = topics[rng.integers(len(topics))]
        words = list(rng.choice(POOLS[t], size=6)) + [f"噪{rng.integers(50)}"]
        docs.append(words)
        truth.append(t)
    return docs, truth


def test_topic_ids_stable_across_refits():
    a, _ = _docs(300, 1)
    b, _ = _docs(300, 2)
    c, _ = _docs(300, 3)
    m1 = fit_topics(a + b, 6)
    m2 = fit_topics(b + c, 6, previous=m1)
    top1, top2 = m1.top_words(3), m2.top_words(3)
    persisting = [tid for tid in m1.topic_ids if tid in m2.topic_ids]
    assert len(persisting) >= 0.9 * 6
    # same id ⇒ same theme
    same = sum(bool(set(top1[t]) & set(top2[t])) for t in persisting)
    assert same / len(persisting) >= 0.9


def test_new_topic_gets_new_id():
    a, _ = _docs(300, 1, topics=("wages", "property", "noise"))
    b, _ = _docs(300, 2, topics=("wages", "property", "health"))
    m1 = fit_topics(a, 3)
    m2 = fit_topics(b, 3, previous=m1)
    assert len(set(m2.topic_ids) & set(m1.topic_ids)) == 2
    assert max(m2.topic_ids) == 3 and m2.next_id == 4


def test_deterministic():
    a, _ = _docs(200, 5)
    m1, m2 = fit_topics(a, 4), fit_topics(a, 4)
    np.testing.assert_allclose(m1.components, m2.components)
    assert m1.labels == m2.labels


def test_lda_alternative():
    a, _ = _docs(200, 5)
    m = fit_topics(a, 4, method="lda")
    assert m.transform(a[:5]).shape == (5, 4)


def test_prevalence_and_emerging_planted_rise():
    rng = np.random.default_rng(0)
    docs, groups = [], []
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    for town in ("T1", "T2"):
        for month in months:
            rise = town == "T1" and month == "2024-12"
            for _ in range(60):
                t = "wages" if rise and rng.random() < 0.6 else rng.choice(list(POOLS))
                docs.append(list(rng.choice(POOLS[t], size=6)))
                groups.append((town, month))
    model = fit_topics(docs, 6)
    dt = model.transform(docs)
    g = pd.DataFrame(groups, columns=["township_code", "month"])
    prev = prevalence(dt, g, ["township_code", "month"])
    assert np.isclose(prev.groupby(["township_code", "month"])["share"].sum(), 1.0).all()
    flags = emerging_topics(prev, group=["township_code"], period="month")
    hits = flags[flags["emerging"]]
    wage_topic = max(
        model.top_words(8).items(), key=lambda kv: len(set(kv[1]) & set(POOLS["wages"]))
    )[0]
    assert (
        (hits["township_code"] == "T1")
        & (hits["month"] == "2024-12")
        & (hits["topic_id"] == wage_topic)
    ).any()
    # no false alarms elsewhere
    assert len(hits[(hits["township_code"] == "T2")]) == 0


def _series(counts, totals, topic=0, town="T1"):
    months = [str(p) for p in pd.period_range("2024-01", periods=len(counts), freq="M")]
    return pd.DataFrame(
        {
            "township_code": town,
            "month": months,
            "topic_id": topic,
            "weight": np.asarray(counts, float),
            "n_docs": np.asarray(totals, float),
        }
    ).assign(share=lambda d: d["weight"] / d["n_docs"])


def test_emerging_p_value_is_the_conditional_poisson_test():
    """x documents of n1 against y of n0 in the baseline: P(X ≥ x) for X ~ Bin(x + y, n1 /
    (n1 + n0)), i.e. R's poisson.test(c(x, y), c(n1, n0), alternative = "greater")."""
    from scipy.stats import binomtest

    counts = [1] * 12 + [6]
    totals = [20] * 13
    e = emerging_topics(_series(counts, totals), windows=(1,))
    last = e.iloc[-1]
    expected = binomtest(6, 6 + 12, 20 / (20 + 240), alternative="greater").pvalue
    assert last["p_value"] == pytest.approx(expected, rel=1e-9)
    assert last["baseline_share"] == pytest.approx(12 / 240)
    assert last["expected"] == pytest.approx(1.0)
    assert last["emerging"] and not e["emerging"].iloc[:-1].any()


def test_emerging_needs_count_rise_and_current_month():
    # a topic the township never had: 4 of 10 documents is improbable, 2 is too few
    assert emerging_topics(_series([0] * 12 + [4], [10] * 13))["emerging"].iloc[-1]
    assert not emerging_topics(_series([0] * 12 + [2], [10] * 13))["emerging"].any()
    # twice the baseline share is not enough when the baseline is already high
    assert not emerging_topics(_series([5] * 12 + [9], [10] * 13))["emerging"].any()
    # a two-month rise too small in either month alone is seen in its second month
    two = emerging_topics(_series([0] * 12 + [2, 2], [20] * 14), alpha=0.003)
    one = emerging_topics(_series([0] * 12 + [2, 2], [20] * 14), alpha=0.003, windows=(1,))
    assert two["emerging"].tolist()[-2:] == [False, True] and not one["emerging"].any()
    # a rise that has ended is not emerging
    ended = emerging_topics(_series([0] * 12 + [5, 0], [20] * 14), alpha=0.003)
    assert ended["emerging"].tolist()[-2:] == [True, False]


def _burst_corpus(seed=0, planted=True):
    """Three townships × 15 months of POOLS documents; T1 gets a local word every month, and in
    months 14–15 (if ``planted``) six documents with a vocabulary nobody used before."""
    rng = np.random.default_rng(seed)
    novel = "山洪 冲垮 危房 灾后 重建 安置点".split()
    months = [str(p) for p in pd.period_range("2024-01", periods=15, freq="M")]
    docs, groups = [], []
    for town in ("T1", "T2", "T3"):
        for i, month in enumerate(months):
            for _ in range(40):
                t = list(POOLS)[rng.integers(len(POOLS))]
                words = list(rng.choice(POOLS[t], size=5))
                if town == "T1" and rng.random() < 0.2:
                    words.append("石门砖厂")  # local: always there in T1, nowhere else
                docs.append(words)
                groups.append((town, month))
            if planted and town == "T2" and i >= 13:
                for _ in range(6):
                    words = list(rng.choice(novel, size=3, replace=False))
                    docs.append(words + list(rng.choice(POOLS["land"], size=3)))
                    groups.append((town, month))
    return docs, pd.DataFrame(groups, columns=["township_code", "month"]), novel


def test_burst_topics_find_new_vocabulary_only():
    from models.text.topics import burst_topics

    docs, groups, novel = _burst_corpus()
    m = fit_topics(docs, 6)
    rows = burst_topics(m.vectorize(docs), groups, existing=m.components)
    assert len(rows) == 1
    top = {str(m.vocabulary[j]) for j in np.flatnonzero(rows[0] > 0)}
    assert top <= set(novel) and len(top) >= 4
    assert rows[0].sum() == pytest.approx(1.0)
    # no planted vocabulary: nothing bursts (the local word included)
    docs0, groups0, _ = _burst_corpus(planted=False)
    m0 = fit_topics(docs0, 6)
    assert len(burst_topics(m0.vectorize(docs0), groups0, existing=m0.components)) == 0


def test_extended_model_gives_the_burst_its_documents_and_keeps_ids():
    from models.text.topics import burst_topics

    docs, groups, novel = _burst_corpus()
    m = fit_topics(docs, 6)
    X = m.vectorize(docs)
    m2 = m.extended(burst_topics(X, groups, existing=m.components), m)
    assert m2.topic_ids[:6] == m.topic_ids and m2.topic_ids[6] == m.next_id
    assert m2.next_id == m.next_id + 1
    W = m2.transform_matrix(X)
    planted = np.array([bool(set(d) & set(novel)) for d in docs])
    assert (W[planted].argmax(axis=1) == 6).mean() >= 0.9
    assert (W[~planted].argmax(axis=1) == 6).mean() <= 0.01
    np.testing.assert_allclose(W.sum(axis=1), 1.0)
