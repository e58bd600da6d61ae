import numpy as np
import pandas as pd

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
