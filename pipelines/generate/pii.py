"""Realistic personal data to plant inside free text, each value with its PII type.

Types (the redaction team's ground truth): name, phone, id, bank, plate, email, qq_wechat,
address. A name span covers the surname/full name together with an attached cue
(先生/女士/老师/大爷/阿姨/师傅/某某/某), because that whole mention is what redaction replaces.
A QQ/WeChat span covers the account id only, not the "QQ"/"微信" cue before it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipelines.generate.idnumbers import check_char
from pipelines.generate.names import GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL, SURNAMES

_SUR = list(SURNAMES)
_SUR_CUM = []
_acc = 0.0
for _w in SURNAMES.values():
    _acc += _w
    _SUR_CUM.append(_acc)

ROADS = ["人民路", "解放路", "建设路", "滨江路", "文化路", "中山路", "新华路", "胜利路", "南街",
         "北街", "东大街", "西大街", "学府路", "金山路", "红星路", "迎宾大道", "工业园路", "桂花巷"]
ESTATES = ["幸福小区", "锦绣花园", "滨江花园", "阳光城", "金科城", "盛世华庭", "翠屏山庄",
           "书香苑", "御景湾", "鑫源小区", "供销社宿舍", "粮站家属院"]
MOBILE_PREFIX = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                 "152", "155", "157", "158", "159", "166", "173", "177", "180", "181", "182",
                 "183", "186", "187", "188", "189", "191", "198", "199"]
BANK_BIN = ["622202", "622848", "621700", "621483", "623052", "621799", "622588", "622908",
            "621226", "622700"]
EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "139.com", "foxmail.com"]
PINYIN = ["zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu",
          "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "xiaoyu", "tian", "feng", "deng"]
NAME_CUES = ["先生", "女士", "老师", "大爷", "阿姨", "师傅", "某某", "某", "大姐", "老板"]
PROVINCE_PLATES = ["京B", "渝A", "渝B", "贵A", "陕A", "粤B", "浙A", "鄂A", "云A", "甘A"]


@dataclass(frozen=True)
class PiiContext:
    """County facts the PII values are built from."""

    region6: str
    phone_area: str
    plate_prefix: str
    villages: tuple[str, ...]


def surname(r: random.Random) -> str:
    return r.choices(_SUR, cum_weights=_SUR_CUM)[0]


def person_name(r: random.Random) -> str:
    s = surname(r)
    bank = GIVEN_MALE if r.random() < 0.5 else GIVEN_FEMALE
    if r.random() < 0.7:
        return s + r.choice(GIVEN_NEUTRAL + bank) + r.choice(bank)
    return s + r.choice(bank)


def name_mention(r: random.Random) -> str:
    u = r.random()
    if u < 0.4:
        return person_name(r)
    if u < 0.85:
        return surname(r) + r.choice(NAME_CUES)
    return person_name(r) + r.choice(["老师", "医生", "师傅", "主任"])


def mobile(r: random.Random) -> str:
    d = r.choice(MOBILE_PREFIX) + "".join(r.choices("0123456789", k=8))
    u = r.random()
    if u < 0.62:
        return d
    if u < 0.75:
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if u < 0.86:
        return f"{d[:3]}-{d[3:7]}-{d[7:]}"
    if u < 0.94:
        return "+86 " + d
    return "+86" + d


def landline(r: random.Random, ctx: PiiContext) -> str:
    d = r.choice("2345678") + "".join(r.choices("0123456789", k=6))
    u = r.random()
    if u < 0.6:
        return f"{ctx.phone_area}-{d}"
    if u < 0.8:
        return f"({ctx.phone_area}){d}"
    return f"{ctx.phone_area}{d}"


def phone(r: random.Random, ctx: PiiContext) -> str:
    return landline(r, ctx) if r.random() < 0.18 else mobile(r)


def id_number(r: random.Random, ctx: PiiContext) -> str:
    y = r.randint(1945, 2008)
    m = r.randint(1, 12)
    d = r.randint(1, 28)
    body = f"{ctx.region6}{y:04d}{m:02d}{d:02d}{r.randint(0, 999):03d}"
    s = body + check_char(body)
    return s[:17] + "x" if s.endswith("X") and r.random() < 0.3 else s


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def bank_card(r: random.Random) -> str:
    length = r.choice([16, 19, 19])
    body = r.choice(BANK_BIN) + "".join(r.choices("0123456789", k=length - 7))
    card = luhn_complete(body)
    if r.random() < 0.25:
        return " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    return card


def plate(r: random.Random, ctx: PiiContext) -> str:
    prefix = ctx.plate_prefix if r.random() < 0.8 else r.choice(PROVINCE_PLATES)
    chars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    if r.random() < 0.15:  # new-energy plate: D/F + 5
        tail = r.choice("DF") + "".join(r.choices("0123456789", k=5))
    else:
        tail = r.choice("ABCDEFGHJK0123456789") + "".join(r.choices(chars, k=4))
    sep = "·" if r.random() < 0.4 else ""
    return prefix + sep + tail


def email(r: random.Random) -> str:
    user = r.choice(PINYIN) + r.choice(["", "_", "."]) + r.choice(PINYIN[:10] + [""]) + str(
        r.randint(1, 9999))
    if r.random() < 0.3:
        user = str(r.randint(10000000, 2999999999))
    return f"{user}@{r.choice(EMAIL_DOMAINS)}"


def qq_or_wechat(r: random.Random) -> tuple[str, str]:
    """(cue, id): the cue is ordinary text, only the id is PII."""
    if r.random() < 0.5:
        return r.choice(["QQ", "QQ号", "qq号", "QQ："]), str(r.randint(10000, 3999999999))
    wid = r.choice([f"wxid_{''.join(r.choices('abcdefghijkmnpqrstuvwxyz0123456789', k=10))}",
                    f"{r.choice(PINYIN)}{r.randint(1970, 2010)}",
                    f"{r.choice(PINYIN)}_{r.choice(PINYIN)}{r.randint(1, 99)}"])
    return r.choice(["微信号", "微信", "微信号：", "VX"]), wid


def address(r: random.Random, ctx: PiiContext) -> str:
    u = r.random()
    if u < 0.4:
        return (f"{r.choice(ROADS)}{r.randint(1, 388)}号{r.randint(1, 12)}栋{r.randint(1, 4)}单元"
                f"{r.randint(1, 18)}0{r.randint(1, 4)}室")
    if u < 0.65:
        room = f"{r.randint(1, 26)}0{r.randint(1, 4)}"
        return f"{r.choice(ESTATES)}{r.randint(1, 20)}栋{r.randint(1, 3)}单元{room}" + (
            "室" if r.random() < 0.5 else "")
    if u < 0.8:
        return f"{r.choice(ROADS)}{r.randint(1, 400)}号"
    return f"{r.choice(ctx.villages)}{r.randint(1, 12)}组{r.randint(1, 80)}号"


def make(kind: str, r: random.Random, ctx: PiiContext) -> str:
    if kind == "name":
        return name_mention(r)
    if kind == "phone":
        return phone(r, ctx)
    if kind == "id":
        return id_number(r, ctx)
    if kind == "bank":
        return bank_card(r)
    if kind == "plate":
        return plate(r, ctx)
    if kind == "email":
        return email(r)
    if kind == "address":
        return address(r, ctx)
    raise ValueError(f"unknown PII kind {kind!r}")
