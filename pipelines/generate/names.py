"""Chinese personal names: surnames by frequency (incl. compound 复姓) and given-name characters."""

from __future__ import annotations

import numpy as np

# Surname frequencies (%) after the 公安部户政管理研究中心 2020 姓名报告 ranking; compound
# surnames are rare but present so that redaction meets them.
SURNAMES: dict[str, float] = {
    "王": 7.1, "李": 7.0, "张": 6.7, "刘": 5.4, "陈": 4.5, "杨": 3.1, "黄": 2.1, "赵": 2.0,
    "吴": 1.9, "周": 1.9, "徐": 1.4, "孙": 1.3, "马": 1.2, "朱": 1.2, "胡": 1.1, "郭": 1.1,
    "何": 1.1, "林": 1.0, "高": 1.0, "罗": 1.0, "郑": 0.9, "梁": 0.9, "谢": 0.8, "宋": 0.8,
    "唐": 0.8, "许": 0.7, "韩": 0.7, "邓": 0.7, "冯": 0.7, "曹": 0.7, "彭": 0.7, "曾": 0.6,
    "肖": 0.6, "田": 0.6, "董": 0.5, "潘": 0.5, "袁": 0.5, "蔡": 0.5, "蒋": 0.5, "余": 0.5,
    "于": 0.5, "杜": 0.5, "叶": 0.5, "程": 0.5, "魏": 0.4, "苏": 0.4, "吕": 0.4, "丁": 0.4,
    "任": 0.4, "卢": 0.4, "姚": 0.4, "沈": 0.4, "钟": 0.4, "姜": 0.4, "崔": 0.4, "谭": 0.4,
    "陆": 0.4, "范": 0.3, "汪": 0.3, "廖": 0.3, "石": 0.3, "金": 0.3, "韦": 0.3, "贾": 0.3,
    "夏": 0.3, "付": 0.3, "方": 0.3, "邹": 0.3, "熊": 0.3, "白": 0.3, "孟": 0.3, "秦": 0.3,
    "邱": 0.3, "侯": 0.3, "江": 0.3, "尹": 0.3, "薛": 0.3, "闫": 0.2, "段": 0.2, "雷": 0.2,
    "龙": 0.2, "黎": 0.2, "史": 0.2, "陶": 0.2, "贺": 0.2, "毛": 0.2, "郝": 0.2, "顾": 0.2,
    "龚": 0.2, "邵": 0.2, "万": 0.2, "覃": 0.1, "武": 0.2, "钱": 0.2, "戴": 0.2, "严": 0.2,
    "莫": 0.1, "孔": 0.1, "向": 0.2, "常": 0.1, "汤": 0.1, "康": 0.1, "易": 0.1, "乔": 0.1,
    "赖": 0.1, "文": 0.1, "欧阳": 0.03, "司马": 0.012, "诸葛": 0.008, "上官": 0.01,
    "司徒": 0.01, "东方": 0.006, "皇甫": 0.006, "令狐": 0.004, "慕容": 0.004, "尉迟": 0.003,
}
COMPOUND_SURNAMES = [s for s in SURNAMES if len(s) == 2]

GIVEN_MALE = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭"
                  "宁龙林洋勇峰建国志成德兵海东亮")
GIVEN_FEMALE = list("芳娜敏静丽艳娟霞秀英华慧巧美玲桂兰萍红梅琳雪婷倩颖露瑶怡欣悦琴云莉燕佳丹")
GIVEN_NEUTRAL = list("文晓小子春嘉思一永家金玉明天新宏雨佳光安")

_SUR_KEYS = np.array(list(SURNAMES))
_SUR_P = np.array(list(SURNAMES.values()))
_SUR_P = _SUR_P / _SUR_P.sum()


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(_SUR_KEYS, size=n, p=_SUR_P)


def full_names(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    """Vectorised names: surname + one or two given characters matching ``sex`` ('M'/'F')."""
    n = len(sex)
    male = np.asarray(sex) == "M"
    g_m = rng.choice(np.array(GIVEN_MALE), size=(n, 2))
    g_f = rng.choice(np.array(GIVEN_FEMALE), size=(n, 2))
    g_n = rng.choice(np.array(GIVEN_NEUTRAL), size=n)
    first = np.where(rng.random(n) < 0.3, g_n, np.where(male, g_m[:, 0], g_f[:, 0]))
    second = np.where(male, g_m[:, 1], g_f[:, 1])
    two = rng.random(n) < 0.72
    given = np.where(two, np.char.add(first, second), np.where(male, g_m[:, 1], g_f[:, 1]))
    return np.char.add(surnames(rng, n), given)


def random_name(r, sex: str | None = None) -> str:
    """One name with a stdlib ``random.Random`` (for free text)."""
    sur = r.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    sex = sex or r.choice("MF")
    bank = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
    if r.random() < 0.7:
        return sur + r.choice(GIVEN_NEUTRAL + bank) + r.choice(bank)
    return sur + r.choice(bank)
