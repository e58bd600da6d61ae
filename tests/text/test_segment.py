from models.text.normalise import normalise_many
from models.text.segment import (
    Segmenter,
    load_dict,
    parse_dict_lines,
    reference_tokenizer,
    tokenize_many,
)

EXTRA = ["城关镇", "青龙乡", "石门村", "白马镇"]


def test_agreement_with_python_jieba(corpus, segmenter):
    """rjieba + our dictionaries reproduces jieba.lcut (HMM on) on ≥ 95% of documents."""
    docs = normalise_many(corpus)
    assert len(docs) >= 200
    ref = reference_tokenizer(EXTRA)
    same = sum(segmenter.cut(d) == ref.lcut(d, HMM=True) for d in docs)
    assert same / len(docs) >= 0.95


def test_domain_dictionary_size():
    assert len(load_dict()) >= 300


def test_domain_words_kept_whole(segmenter):
    words = [
        "信访局",
        "12345",
        "欠薪",
        "讨薪",
        "农民工",
        "劳资纠纷",
        "征地拆迁",
        "安置房",
        "物业费",
        "噪音扰民",
        "心理援助",
        "抑郁",
        "焦虑",
        "失眠",
        "轻生",
        "精神障碍",
        "留守儿童",
    ]
    for w in words:
        assert w in segmenter.cut(f"关于{w}的问题反映"), w


def test_extra_place_names(segmenter):
    assert "青龙乡" in segmenter.cut("青龙乡石门村村民反映")
    assert "石门村" in segmenter.cut("青龙乡石门村村民反映")


def test_tokenize_drops_stopwords_and_punctuation(segmenter):
    toks = segmenter.tokenize("我们小区的物业费太贵了！！请问 怎么办？")
    assert "物业费" in toks
    assert not {"我们", "的", "了", "！", " ", "？"} & set(toks)


def test_tokenize_many_normalises_and_keeps_order():
    out = tokenize_many(["米易縣衛(wèi)生局", "", None, "農民工討薪"])
    assert len(out) == 4
    assert out[1] == [] and out[2] == []
    assert "农民工" in out[3]


def test_parallel_matches_serial(corpus, segmenter):
    serial = segmenter.tokenize_many(corpus, workers=1)
    parallel = segmenter.tokenize_many(corpus, workers=2, chunk_size=50)
    assert parallel == serial


def test_parse_dict_lines():
    entries = parse_dict_lines(["# comment", "信访局 3000 n", "讨薪", "12345 100"])
    assert [(e.word, e.freq, e.tag) for e in entries] == [
        ("信访局", 3000, "n"),
        ("讨薪", None, None),
        ("12345", 100, None),
    ]


def test_segmenter_is_picklable():
    import pickle

    s = pickle.loads(pickle.dumps(Segmenter(["白马镇"])))
    assert "白马镇" in s.cut("白马镇政府")


def test_fast_filter_keeps_exactly_what_the_rule_keeps(corpus, segmenter):
    """tokenize_many (verdicts looked up in C) = cut + the per-token rule, token for token."""
    docs = normalise_many(corpus) + ["打12345和110反映 3.5万元 ... ！！ 😡 第2次", "  "]
    fresh = Segmenter(["城关镇", "青龙乡", "石门村", "白马镇"])
    expected = [[t for t in fresh.cut(d) if fresh._keeps(t)] for d in docs]
    assert fresh.tokenize_many(docs, normalised=True, workers=1) == expected
    # second pass (all verdicts known) and the shared fixture agree too
    assert fresh.tokenize_many(docs, normalised=True, workers=1) == expected
    assert segmenter.tokenize_many(docs, normalised=True, workers=1) == expected
    assert "12345" in expected[-2] and "😡" in expected[-2]
    assert not {"3.5", "...", "！", " "} & set(expected[-2])


def test_filter_memory_is_bounded(monkeypatch):
    import models.text.segment as seg_mod

    monkeypatch.setattr(seg_mod, "MAX_SEEN_TOKENS", 5)
    s = Segmenter()
    docs = [f"第{i}个小区物业费太贵了，噪音扰民" for i in range(20)]
    out = [s.tokenize_many([d], normalised=True, workers=1)[0] for d in docs]
    assert len(s._verdicts) <= 15  # 28 distinct tokens without the bound
    assert out == [[t for t in s.cut(d) if s._keeps(t)] for d in docs]
