import pandas as pd
import pytest

from models.text.emotion import (
    CATEGORIES,
    aggregate,
    canonical_label,
    evaluate_lexicon,
    load_lexicon,
)


def cats(scorer, text):
    r = scorer.score_many([text])
    return dict(zip(CATEGORIES, r.categories[0], strict=True)), r.labels[0]


def test_lexicon_size_and_coverage():
    lex = load_lexicon()
    assert len(lex) >= 1500
    assert {e.category for e in lex.values()} == set(CATEGORIES)
    for w in ["😭", "😡", "😂", "🙏", "破防", "绝绝子", "崩溃", "无语", "气死", "吓死", "哈哈"]:
        assert w in lex, w


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("今天好开心啊哈哈哈", "happy"),
        ("非常满意，感谢工作人员", "happy"),
        ("气死我了，物业费年年涨😡", "angry"),
        ("无语，太离谱了", "angry"),
        ("我真的破防了😭", "sad"),
        ("吓死我了，半夜有人敲门", "fear"),
        ("天哪，竟然这样", "surprise"),
        ("今天去超市买了菜", "neutral"),
    ],
)
def test_labels(scorer, text, label):
    assert cats(scorer, text)[1] == label


def test_negation_flips_positive(scorer):
    c, label = cats(scorer, "我一点都不快乐")
    assert c["乐"] == 0 and c["哀"] > 0 and label == "sad"


def test_negation_cancels_negative(scorer):
    c, label = cats(scorer, "我不害怕")
    assert c["惧"] == 0 and label == "neutral"


def test_negation_window_stops_at_clause(scorer):
    c, _ = cats(scorer, "没有办法，我很害怕")
    assert c["惧"] > 0


def test_degree_scales(scorer):
    base, _ = cats(scorer, "我生气")
    strong, _ = cats(scorer, "我非常生气")
    weak, _ = cats(scorer, "我有点生气")
    assert strong["怒"] > base["怒"] > weak["怒"] > 0


def test_indices(scorer):
    df = scorer.score_many(
        ["最近总是失眠，很担心", "感谢镇政府及时解决，非常满意", "看不到希望了"]
    ).to_frame()
    assert df.loc[0, "焦虑"] > 0 and df.loc[1, "信任"] > 0 and df.loc[2, "悲观"] > 0
    assert df.loc[1, "焦虑"] == 0


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("来电人称有轻生念头", True),
        ("我不想活了", True),
        ("感到无助，想自杀", True),
        ("学生在宿舍割腕，被室友发现", True),
        ("自杀未遂后送医", True),
        ("来电人称没有自杀念头，只是压力大", False),
        ("来电人否认自杀自伤想法", False),
        ("无自伤自杀行为", False),
        ("我不想死", False),
        ("开展预防自杀宣传活动", False),
        ("小区物业费太贵", False),
    ],
)
def test_crisis(scorer, text, crisis):
    assert scorer.is_crisis(text) is crisis


def test_aggregate(scorer):
    texts = ["我很担心", "不想活了", "谢谢", "今天开会"]
    df = scorer.score_many(texts).to_frame()
    df["township_code"] = ["A", "A", "B", "B"]
    df["month"] = "2024-01"
    agg = aggregate(df, ["township_code", "month"])
    a = agg.set_index("township_code")
    assert a.loc["A", "n_docs"] == 2 and a.loc["A", "crisis_share"] == 0.5
    assert a.loc["B", "n_crisis"] == 0 and a.loc["B", "信任_share"] == 0.5


def test_canonical_labels():
    assert canonical_label("happiness") == "happy"
    assert canonical_label("disgust") == "angry"
    assert canonical_label("无情绪") == "neutral"
    with pytest.raises(ValueError):
        canonical_label("bogus")


def test_evaluate_lexicon():
    r = evaluate_lexicon(["太开心了哈哈", "气死我了", "今天开会"], ["happy", "anger", "neutral"])
    assert r["n_test"] == 3 and r["accuracy"] == 1.0 and r["macro_f1"] == 1.0


def test_batch_handles_missing(scorer):
    r = scorer.score_many([None, "", "好开心"])
    assert r.labels[:2] == ["neutral", "neutral"]
    assert isinstance(r.to_frame(), pd.DataFrame)
