"""Redactor behaviour: examples for each rule and hypothesis properties."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.privacy.redact import PLACEHOLDERS, Span, find_pii, luhn_ok, redact, redact_many
from tests.privacy.make_cases import (
    bank_card,
    email,
    id_number,
    id_variant,
    landline,
    mobile,
    plate,
)

# Filler words: ordinary vocabulary, including words that start with a surname character.
FILLER = [
    "我们",
    "今天",
    "社区",
    "反映",
    "问题",
    "希望",
    "尽快",
    "处理",
    "情况",
    "工作人员",
    "张家界",
    "王府井",
    "高速路",
    "人民医院",
    "信访局",
    "王家坝村",
    "李子坝",
    "黄山",
    "周末",
    "高兴",
    "马上",
    "江边",
    "白天",
    "金额",
    "方便",
    "常年",
    "城关镇",
    "心理",
    "热线",
    "孩子",
    "学校",
    "老人",
    "身体",
    "不好",
    "，",
    "。",
    "、",
    "12000元",
    "2024年3月",
    "共15人",
    "510123100001",
    "XF2024031500123",
    "12345热线",
    "林业站",
    "石桥乡",
    "方山村",
    "于是",
]


def test_examples():
    assert redact("市民张三反映，电话13812345678。") == "市民〔姓名〕反映，电话〔电话〕。"
    assert redact("住阳光小区3栋2单元501室") == "住阳光小区〔地址〕"
    assert redact("王家坝村3组15号") == "王家坝村〔地址〕"
    assert redact("车牌川A·12345") == "车牌〔车牌〕"
    assert redact("QQ号：123456789，微信号：zhangsan_88") == "QQ号：〔账号〕，微信号：〔账号〕"
    assert redact("张某某与李某") == "〔姓名〕与〔姓名〕"
    assert redact("王师傅") == "〔姓名〕师傅"


@pytest.mark.parametrize(
    "text",
    [
        "张家界、王府井、高速路、人民医院、信访局",
        "王家坝村的李子坝",
        "周末高兴马上去江边",
        "金额12000元，20240315",
        "案件号XF2024031500123",
        "区划代码510123100001",
        "3月12号",
        "地铁2号线",
        "两室一厅",
        "订单号6222021234567890",
    ],
)
def test_non_pii_is_untouched(text):
    assert redact(text) == text


def test_known_names_from_structured_fields():
    text = "欧阳春来过两次，说春来不及了"
    assert redact(text, known_names=["欧阳春"]).startswith("〔姓名〕来过")
    per_record = redact_many(["刘一手来电", "刘一手来电"], known_names=[["刘一手"], None])
    assert per_record[0] == "〔姓名〕来电"


def test_redact_many_keeps_none_and_order():
    assert redact_many(["电话13812345678", None, "无"]) == ["电话〔电话〕", None, "无"]


def test_find_pii_spans_are_sorted_typed_and_disjoint():
    spans = find_pii("来电人李四，身份证11010519491231002X，邮箱a.b@example.com")
    assert [s.type for s in spans] == ["name", "id_number", "email"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    assert all(isinstance(s, Span) for s in spans)


def test_names_cued_mode_ignores_bare_guesses():
    assert find_pii("张伟今年45岁", names="cued") == []
    assert [s.type for s in find_pii("张伟先生", names="cued")] == ["name"]


def test_luhn():
    assert luhn_ok("6222021234567890128") and not luhn_ok("6222021234567890")


# --------------------------------------------------------------------------- properties

PII_MAKERS = {
    "phone": lambda r: mobile(r),
    "landline": lambda r: landline(r),
    "id_number": lambda r: id_variant(r),
    "bank_card": lambda r: "卡号" + bank_card(r),
    "email": lambda r: email(r),
    "plate": lambda r: plate(r),
    "account": lambda r: "QQ号" + str(r.randint(10000, 9999999999)),
    "name": lambda r: r.choice(["市民张建华反映", "李秀兰女士", "王某某", "欧阳娜娜老师"]),
    "address": lambda r: "阳光小区" + r.choice(["3栋2单元501室", "12号楼3单元", "8幢1单元302室"]),
}

filler = st.lists(st.sampled_from(FILLER), max_size=8).map("".join)
# Without digits or Latin letters, so that any digit left in the output came from the PII.
plain_filler = st.lists(
    st.sampled_from([w for w in FILLER if not re.search(r"[0-9A-Za-z]", w)]), max_size=8
).map("".join)
FOLD_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", string.digits + "Xx")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    plain_filler,
    plain_filler,
    st.sampled_from(sorted(PII_MAKERS)),
    st.randoms(use_true_random=False),
)
def test_inserted_pii_is_removed(before, after, kind, rnd):
    pii = PII_MAKERS[kind](rnd)
    out = redact(before + "，" + pii + "。" + after)
    digits = re.sub(r"[^0-9]", "", pii.translate(FOLD_DIGITS))
    if digits and kind != "address":  # house numbers are short: checked below
        assert digits[-4:] not in re.sub(r"[^0-9]", "", out.translate(FOLD_DIGITS))
    for token in re.findall(r"[0-9A-Za-z@._]{5,}", pii.translate(FOLD_DIGITS)):
        assert token not in out.translate(FOLD_DIGITS)
    assert any(p in out for p in PLACEHOLDERS.values())
    if kind == "address":
        assert "单元" not in out and "室" not in out


@given(filler)
def test_filler_passes_unchanged(text):
    assert redact(text) == text


@settings(max_examples=200)
@given(filler, st.sampled_from(sorted(PII_MAKERS)), st.randoms(use_true_random=False), filler)
def test_idempotent(before, kind, rnd, after):
    once = redact(before + PII_MAKERS[kind](rnd) + after)
    assert redact(once) == once


@given(st.text(max_size=200))
def test_never_crashes_and_spans_are_in_range(text):
    for span in find_pii(text):
        assert 0 <= span.start < span.end <= len(text)
    assert redact(redact(text)) == redact(text)


def test_generated_id_numbers_are_valid():
    import random

    from models.privacy.idnumber import is_valid_id_number

    r = random.Random(1)
    assert all(is_valid_id_number(id_number(r)) for _ in range(100))


def test_uuids_and_hex_ids_are_not_addresses():
    """Run ids in published metadata look like 9f97eafd-afc5-4ad3-8433-4e2c1ce2b9f9."""
    import uuid

    from models.privacy.redact import find_pii

    import random

    rng = random.Random(7)
    for _ in range(2000):
        value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        assert find_pii(value) == [], value
    assert find_pii("9f97eafd-afc5-4ad3-8433-4e2c1ce2b9f9") == []
