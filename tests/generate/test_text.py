"""Free text: truth labels match the landing text and PII spans slice exactly to planted PII."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pipelines.generate.idnumbers import check_char
from pipelines.generate.names import SURNAMES
from pipelines.generate.pii import NAME_CUES
from tests.generate.conftest import read_all

CATEGORIES = {"城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游",
              "卫生计生"}
EMOTIONS = {"happy", "angry", "sad", "fear", "surprise", "neutral"}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        v = int(ch) * (2 if i % 2 else 1)
        total += v - 9 if v > 9 else v
    return total % 10 == 0


def check_span(value: str, kind: str) -> bool:
    if kind == "phone":
        d = re.sub(r"[\s\-()+]", "", value)
        return bool(re.fullmatch(r"(86)?1[3-9]\d{9}|0\d{2,3}\d{7,8}", d))
    if kind == "id":
        s = value.upper()
        return len(s) == 18 and check_char(s[:17]) == s[17]
    if kind == "bank":
        d = value.replace(" ", "")
        return d.isdigit() and len(d) in (16, 19) and luhn_ok(d)
    if kind == "plate":
        return bool(re.fullmatch(r"[\u4e00-\u9fff][A-Z]·?[A-Z0-9]{5,6}", value))
    if kind == "email":
        return bool(re.fullmatch(r"[\w.]+@[a-z0-9]+\.com", value))
    if kind == "qq_wechat":
        return bool(re.fullmatch(r"\d{5,10}|wxid_[a-z0-9]{10}|[a-z_]+\d{1,4}", value))
    if kind == "address":
        return bool(re.search(r"\d+(号|室|单元|栋)|\d{3,4}$", value))
    if kind == "name":
        stem = value
        for cue in sorted(NAME_CUES + ["医生", "主任"], key=len, reverse=True):
            if stem.endswith(cue) and len(stem) > len(cue):
                stem = stem[: -len(cue)]
                break
        return any(stem.startswith(s) for s in SURNAMES) and 1 <= len(stem) <= 4
    return False


@pytest.fixture(scope="module")
def labels(small) -> pd.DataFrame:
    return pd.read_parquet(small / "truth/text_labels.parquet")


def test_label_columns_and_values(labels):
    assert list(labels.columns) == ["source", "record_key", "month", "township_code", "category",
                                    "emotion", "topic", "text", "pii_spans"]
    assert set(labels["source"]) == {"petitions", "hotline_calls", "incidents"}
    pet = labels[labels["source"] == "petitions"]
    assert set(pet["category"]) == CATEGORIES
    hot = labels[labels["source"] == "hotline_calls"]
    assert set(hot["emotion"]) <= EMOTIONS
    assert hot["emotion"].isin(["sad", "fear", "angry", "neutral"]).mean() > 0.85
    assert labels["record_key"].is_unique
    lengths = labels["text"].str.len()
    assert lengths.min() >= 16 and lengths.max() <= 300 and lengths.quantile(0.99) > 120


def test_truth_text_is_the_landing_text(small, labels):
    pet = read_all(small, "petitions").set_index("信访件编号")["诉求内容"]
    t = labels[labels["source"] == "petitions"].set_index("record_key")["text"]
    assert len(pet) == len(t) and (pet.loc[t.index] == t).all()
    inc = read_all(small, "incidents").set_index("警情编号")["简要警情"]
    t = labels[labels["source"] == "incidents"].set_index("record_key")["text"]
    assert (inc.loc[t.index] == t).all()
    hot = read_all(small, "hotline_calls").set_index("来电编号")["通话摘要"]
    t = labels[labels["source"] == "hotline_calls"].set_index("record_key")["text"]
    assert (hot.loc[t.index] == t).all()


def test_pii_spans_slice_to_planted_pii(labels):
    kinds = set()
    n = 0
    for text, raw in zip(labels["text"], labels["pii_spans"], strict=True):
        spans = json.loads(raw)
        last = 0
        for start, end, kind in spans:
            assert last <= start < end <= len(text)
            value = text[start:end]
            assert check_span(value, kind), (kind, value, text)
            kinds.add(kind)
            last = end
            n += 1
    assert kinds == {"name", "phone", "id", "bank", "plate", "email", "qq_wechat", "address"}
    assert n > 1000


def test_look_alikes_are_not_labelled(labels):
    text = "".join(labels["text"])
    for word in ("人民医院", "信访局", "高速路"):
        assert word in text
    for text, raw in zip(labels["text"], labels["pii_spans"], strict=True):
        for start, end, _ in json.loads(raw):
            assert "人民医院" not in text[start:end] and "信访局" not in text[start:end]


def test_categories_are_not_one_template(labels):
    pet = labels[labels["source"] == "petitions"]
    for _cat, g in pet.groupby("category"):
        assert g["text"].nunique() > 0.9 * len(g)
        assert g["text"].str[:6].nunique() > 20
