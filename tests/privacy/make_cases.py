"""Writes tests/privacy/data/redaction_cases.jsonl: the labelled redaction test set.

Two parts:

* **generated** (seeded): petition / hotline / police-narrative snippets assembled from this
  file's own phrase banks (names, communities, templates), independent of the detector's
  lexicon. Every 5th generated case is held out (``split = "heldout"``) and must not be used
  when tuning the detector; the rest is ``"dev"``.
* **hand** (``split = "hand"``): hard cases written by hand in :data:`HAND_CASES` with inline
  markup ``{type:text}`` (``{name:张三}``); a case without markup is a negative (nothing
  may be redacted).

Label conventions (what a true span covers):
  name       surname + given name; surname alone before a title (``{name:王}师傅``);
             ``张某``/``张某某`` whole. The title is not part of the span.
  phone      the number with its +86 / area code / brackets / separators.
  id_number  the number with any spaces; bank_card likewise.
  address    only the house-level part (``阳光小区{address:3栋2单元501室}``).
  account    the QQ / WeChat id after its cue; email and plate: the whole token.

Run: ``.venv/bin/python tests/privacy/make_cases.py`` (rewrites the file deterministically).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).parent / "data" / "redaction_cases.jsonl"
SEED = 20240315
N_GENERATED = 520

# --------------------------------------------------------------------------- phrase banks

SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江"
)
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "夏侯", "司徒"]
GIVEN = [
    "建华",
    "秀兰",
    "志强",
    "丽娟",
    "海燕",
    "国庆",
    "桂芳",
    "文博",
    "子涵",
    "雨轩",
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "勇",
    "娟",
    "军",
    "洋",
    "杰",
    "玉梅",
    "晓东",
    "红霞",
    "春生",
    "永福",
    "德明",
    "淑珍",
    "金凤",
    "宏伟",
    "立新",
    "卫东",
    "小燕",
    "佳怡",
    "浩然",
    "思远",
    "梓萱",
    "俊杰",
    "雪梅",
    "明亮",
    "秋菊",
    "长江",
    "富贵",
    "德胜",
    "翠兰",
    "凤英",
    "振国",
    "光明",
    "世杰",
    "嘉欣",
    "一鸣",
    "鹏",
    "斌",
    "琳",
    "超",
    "刚",
    "辉",
    "霞",
    "萍",
    "婷",
    "瑶",
    "宇航",
    "欣怡",
    "兰英",
    "玉兰",
]
TITLES = [
    "女士",
    "先生",
    "老师",
    "师傅",
    "阿姨",
    "大爷",
    "大妈",
    "经理",
    "书记",
    "主任",
    "医生",
    "同学",
    "律师",
    "老板",
    "警官",
]
ROLES = [
    "市民",
    "村民",
    "居民",
    "来电人",
    "来访人",
    "信访人",
    "投诉人",
    "当事人",
    "患者",
    "家长",
    "群众",
    "业主",
    "报警人",
    "求助者",
    "邻居",
]
VERBS = ["反映", "来电称", "投诉称", "表示", "称", "咨询", "诉称", "来电反映", "求助"]
COMMUNITIES = [
    "阳光小区",
    "幸福家园",
    "锦绣花园",
    "滨江苑",
    "和平路",
    "建设街",
    "解放路",
    "南门巷",
    "王家坝村",
    "青山村",
    "翠湖社区",
    "金色港湾小区",
    "东风路",
    "文化巷",
    "龙泉镇新街",
    "桂花园小区",
    "石桥村",
    "中山大道",
    "学府路",
    "柳湾新村",
]
TOWNSHIPS = [
    "城关镇",
    "龙泉镇",
    "石桥乡",
    "马家湾村",
    "黄桷坪街道",
    "高坪镇",
    "白鹤乡",
    "金山社区",
    "李家沟村",
    "周家坝",
    "江口镇",
    "方山村",
    "常乐村",
    "宋家湾",
    "林盘社区",
]
ISSUES = [
    "拖欠工资",
    "邻里纠纷",
    "楼上漏水",
    "噪音扰民",
    "土地承包",
    "房屋拆迁补偿",
    "孩子厌学",
    "情绪低落、失眠",
    "家庭矛盾",
    "物业收费",
    "低保申请",
    "医疗费用报销",
    "道路积水",
    "垃圾清运不及时",
    "婚姻纠纷",
    "征地补偿",
    "养老保险",
    "子女抚养",
]
FILLERS = [
    "希望有关部门尽快处理。",
    "情绪比较激动。",
    "要求相关部门协调解决。",
    "已转交属地办理。",
    "接线员进行了心理疏导。",
    "来电情绪稳定。",
    "已告知办理流程。",
    "群众对处理结果表示满意。",
    "经核实情况属实。",
    "建议到人民医院心理门诊就诊。",
    "已联系信访局跟进。",
    "周末在张家界旅游时发生。",
    "常年在外务工。",
    "白天无人在家。",
    "涉及金额较大。",
    "马上要开学了。",
    "住在江边，高速路噪音大。",
    "在王府井打工。",
    "去黄山途中。",
]
PROVINCE_PLATES = "川京沪渝粤浙苏鲁豫鄂湘贵云陕"
QQ_CUES = ["QQ号：", "QQ：", "qq号", "QQ号码是", "扣扣："]
WX_CUES = ["微信号：", "微信：", "vx：", "微信号是", "微信"]
EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "gmail.com", "example.cn"]
FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


# --------------------------------------------------------------------------- PII makers


def id_number(rng: random.Random, fifteen: bool = False) -> str:
    region = rng.choice(["510123", "110105", "520102", "330106", "440304", "500103", "420111"])
    y, m, d = rng.randint(1940, 2010), rng.randint(1, 12), rng.randint(1, 28)
    seq = f"{rng.randint(0, 999):03d}"
    if fifteen:
        return f"{region}{y % 100:02d}{m:02d}{d:02d}{seq}"
    body = f"{region}{y}{m:02d}{d:02d}{seq}"
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w, strict=True)) % 11]


def id_variant(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return id_number(rng, fifteen=True)
    v = id_number(rng)
    r = rng.random()
    if r < 0.15:
        v = f"{v[:6]} {v[6:14]} {v[14:]}"
    elif r < 0.3:
        v = v.translate(FULLWIDTH)
    elif r < 0.4:
        v = v.lower()
    return v


def mobile(rng: random.Random) -> str:
    digits = rng.choice(["13", "15", "18", "17", "19", "14"]) + "".join(
        rng.choice("0123456789") for _ in range(9)
    )
    r = rng.random()
    if r < 0.15:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if r < 0.3:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if r < 0.4:
        return "+86 " + digits
    if r < 0.45:
        return "0086" + digits
    if r < 0.55:
        return digits.translate(FULLWIDTH)
    return digits


def landline(rng: random.Random) -> str:
    area = rng.choice(["010", "028", "023", "0851", "0833", "0755", "021"])
    n = 8 if len(area) == 3 else rng.choice([7, 8])
    num = str(rng.randint(2, 8)) + "".join(rng.choice("0123456789") for _ in range(n - 1))
    r = rng.random()
    if r < 0.5:
        return f"{area}-{num}"
    if r < 0.8:
        return f"({area}){num}"
    return f"（{area}）{num}"


def luhn_complete(prefix: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return prefix + str((10 - total % 10) % 10)


def bank_card(rng: random.Random, valid: bool = True) -> str:
    n = rng.choice([16, 19])
    prefix = rng.choice(["622202", "621700", "622848", "623668", "622588"])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(n - 1 - len(prefix)))
    card = luhn_complete(body)
    if not valid:
        card = card[:-1] + str((int(card[-1]) + rng.randint(1, 9)) % 10)
    if rng.random() < 0.3:
        card = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    return card


def plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    p = rng.choice(PROVINCE_PLATES) + rng.choice(letters)
    if rng.random() < 0.25:  # new-energy
        tail = rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
    else:
        tail = "".join(
            rng.choice("0123456789" if k < 3 else "0123456789" + letters[:5]) for k in range(5)
        )
    sep = rng.choice(["", "", "·", " "])
    return p + sep + tail


def email(rng: random.Random) -> str:
    user = rng.choice(["zhang", "li.ming", "wang_fang", "xiaoyu", "hz", "liu88", "chen.jie"])
    return f"{user}{rng.randint(1, 9999)}@{rng.choice(EMAIL_DOMAINS)}"


def house(rng: random.Random) -> str:
    b, u, f, r = rng.randint(1, 30), rng.randint(1, 6), rng.randint(1, 28), rng.randint(1, 4)
    return rng.choice(
        [
            f"{b}栋{u}单元{f}0{r}室",
            f"{b}号",
            f"{b}号楼{u}单元{f}0{r}",
            f"{b}幢{u}单元{f}0{r}室",
            f"{u}组{b}号",
            f"{b}-{u}-{f}0{r}室",
            f"{b}号院",
            f"{b}栋{f}0{r}室",
            f"{b}号{u}栋",
            f"{b}号{f}0{r}室",
        ]
    )


def person(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(COMPOUND) if rng.random() < 0.08 else rng.choice(SURNAMES)
    return surname, rng.choice(GIVEN)


# --------------------------------------------------------------------------- clauses
# A clause is a list of (text, type-or-None) segments.

Seg = tuple[str, str | None]


def c_role_name(rng: random.Random) -> list[Seg]:
    s, g = person(rng)
    return [
        (rng.choice(ROLES), None),
        (s + g, "name"),
        (rng.choice(VERBS), None),
        (rng.choice(ISSUES) + "问题，", None),
    ]


def c_title(rng: random.Random) -> list[Seg]:
    s, g = person(rng)
    if rng.random() < 0.4:
        return [("联系了", None), (s, "name"), (rng.choice(TITLES) + "，", None)]
    return [(s + g, "name"), (rng.choice(TITLES) + "表示" + rng.choice(ISSUES) + "，", None)]


def c_mou(rng: random.Random) -> list[Seg]:
    a, b = rng.choice(SURNAMES), rng.choice(SURNAMES)
    return [
        (a + rng.choice(["某", "某某"]), "name"),
        ("与", None),
        (b + rng.choice(["某", "某某"]), "name"),
        ("因" + rng.choice(ISSUES) + "发生争执，", None),
    ]


def c_bare_name(rng: random.Random) -> list[Seg]:
    s, g = person(rng)
    s2, g2 = person(rng)
    form = rng.randrange(4)
    if form == 0:
        return [("与", None), (s + g, "name"), ("发生口角，", None)]
    if form == 1:
        return [("被", None), (s + g, "name"), ("打伤，", None)]
    if form == 2:
        return [(s + g, "name"), (f"今年{rng.randint(18, 80)}岁，", None)]
    return [
        (s + g, "name"),
        ("和", None),
        (s2 + g2, "name"),
        ("因" + rng.choice(ISSUES) + "报警，", None),
    ]


def c_phone(rng: random.Random) -> list[Seg]:
    cue = rng.choice(
        ["联系电话：", "电话", "手机号", "联系方式：", "回拨号码", "请回电", "来电号码"]
    )
    number = mobile(rng) if rng.random() < 0.75 else landline(rng)
    return [(cue, None), (number, "phone"), ("。", None)]


def c_id(rng: random.Random) -> list[Seg]:
    cue = rng.choice(["身份证号", "身份证号码：", "证件号", "身份证", "公民身份号码"])
    return [(cue, None), (id_variant(rng), "id_number"), ("，", None)]


def c_address(rng: random.Random) -> list[Seg]:
    pre = rng.choice(["住", "家住", "居住在", "地址：", "现住", "事发地点为"])
    return [(pre + rng.choice(COMMUNITIES), None), (house(rng), "address"), ("，", None)]


def c_plate(rng: random.Random) -> list[Seg]:
    pre = rng.choice(["车牌号", "一辆车牌为", "驾驶", "肇事车辆", "车号"])
    return [
        (pre, None),
        (plate(rng), "plate"),
        (rng.choice(["的小车", "逃逸，", "，", "的货车"]), None),
    ]


def c_card(rng: random.Random) -> list[Seg]:
    pre = rng.choice(["银行卡号", "工资卡", "卡号：", "打到", "存入银行卡"])
    return [(pre, None), (bank_card(rng), "bank_card"), ("，", None)]


def c_email(rng: random.Random) -> list[Seg]:
    return [
        (rng.choice(["邮箱", "电子邮件：", "发邮件至", "E-mail:"]), None),
        (email(rng), "email"),
        ("。", None),
    ]


def c_account(rng: random.Random) -> list[Seg]:
    if rng.random() < 0.5:
        qq = str(rng.randint(10000, 9999999999))
        return [(rng.choice(QQ_CUES), None), (qq, "account"), ("，", None)]
    wx = (
        rng.choice(["zhang", "wxid_", "li", "Sunny", "hz"])
        + rng.choice(["_", "", "-"])
        + str(rng.randint(100, 99999))
    )
    return [(rng.choice(WX_CUES), None), (wx, "account"), ("，", None)]


def c_negative(rng: random.Random) -> list[Seg]:
    """Look-alikes that must survive: places, amounts, dates, codes, invalid cards."""
    k = rng.randrange(9)
    if k == 0:
        return [
            (f"{rng.choice(TOWNSHIPS)}{rng.choice(TOWNSHIPS)}共{rng.randint(2, 60)}人参与，", None)
        ]
    if k == 1:
        return [(f"涉及金额{rng.randint(1000, 99999)}元，", None)]
    if k == 2:
        return [
            (
                f"于{rng.randint(2021, 2025)}{rng.randint(1, 12):02d}"
                f"{rng.randint(1, 28):02d}登记，",
                None,
            )
        ]
    if k == 3:
        return [(f"案件编号XF{rng.randint(2021, 2025)}{rng.randint(10**8, 10**9 - 1)}，", None)]
    if k == 4:
        return [
            (
                f"区划代码51012{rng.randint(3, 9)}{rng.randint(100, 199)}"
                f"{rng.randint(0, 999):03d}，",
                None,
            )
        ]
    if k == 5:
        return [(f"订单号{bank_card(rng, valid=False).replace(' ', '')}，", None)]
    if k == 6:
        return [(f"{rng.randint(1, 12)}月{rng.randint(1, 28)}号在{rng.choice(TOWNSHIPS)}，", None)]
    if k == 7:
        return [("拨打12345热线和110，县代码510123，", None)]
    return [(rng.choice(FILLERS), None)]


CLAUSES = [
    c_role_name,
    c_title,
    c_mou,
    c_bare_name,
    c_phone,
    c_id,
    c_address,
    c_plate,
    c_card,
    c_email,
    c_account,
    c_negative,
]
WEIGHTS = [3, 2, 1, 2, 3, 2, 3, 1, 1, 1, 1, 4]


def generated_case(rng: random.Random) -> tuple[str, list[list]]:
    segs: list[Seg] = [(rng.choice(["", "据来电，", "来访登记：", "警情摘要：", ""]), None)]
    for clause in rng.choices(CLAUSES, WEIGHTS, k=rng.randint(2, 4)):
        segs += clause(rng)
    segs.append((rng.choice(FILLERS), None))
    text, spans = "", []
    for s, t in segs:
        if t:
            spans.append([len(text), len(text) + len(s), t])
        text += s
    return text, spans


# --------------------------------------------------------------------------- hand-written

HAND_CASES: list[tuple[str, str]] = [
    # negatives: ordinary words that start with a surname, places, institutions
    ("周末去张家界和王府井玩了一趟。", "surname-initial places"),
    ("高速路上堵车，人民医院门口也很堵。", "ordinary words"),
    ("信访局工作人员马上到了现场。", "institution + adverb"),
    ("王家坝村和李子坝的村民都很高兴。", "village names"),
    ("黄山脚下白天游客很多，方便面卖得很好。", "place + common words"),
    ("常年在江边打鱼，金额不大。", "common words"),
    ("向老师反映了孩子在学校被欺负的情况。", "向 as preposition"),
    ("历史老师和语文老师一起家访。", "subject teachers"),
    ("社区书记和村支书到场调解。", "positions"),
    ("施工队晚上十点还在施工，噪音很大。", "施工 not a name"),
    ("城关镇龙泉镇石桥乡三个乡镇共有12000人受灾。", "townships + count"),
    ("涉及金额12000元，于20240315报案。", "amount + date"),
    ("案件编号XF2024031500123已办结。", "case number"),
    ("区划代码510123100001对应城关镇。", "12-digit admin code"),
    ("县代码510123，乡镇代码510123100。", "county codes"),
    ("拨打12345政务服务热线或110报警。", "public hotlines"),
    ("3月12号下午在人民公园发生争吵。", "date with 号"),
    ("地铁2号线沿线居民反映噪音问题。", "metro line"),
    ("房子是两室一厅，第三单元的课文。", "layout and textbook unit"),
    ("订单号6222021234567890无法查询。", "invalid-Luhn 16 digits without cue: kept"),
    ("流水号2024031512345678910。", "19-digit serial, invalid Luhn: kept"),
    ("今年共接到来电356个，同比增长12.5%。", "statistics"),
    ("高兴的是问题马上就解决了。", "高兴 马上"),
    ("金山社区和方山村的群众", "places with surname chars"),
    ("东方红小学五年级学生心理筛查", "东方 as word"),
    ("司法所和派出所联合调解", "institutions"),
    ("孩子情绪低落，成绩下滑，经常失眠。", "no PII"),
    ("林业站和水利站的工作人员", "林 as word start"),
    ("石桥乡宋家湾组织了心理健康讲座。", "places"),
    ("马路上积水严重，常常影响出行。", "马路 常常"),
    ("于是双方发生争执，向派出所报警。", "于是 向"),
    ("周围邻居反映楼上经常吵闹。", "周围"),
    ("温度太高，老人中暑。", "温度"),
    ("万一出事谁负责？", "万一"),
    ("关于拖欠工资的问题已经处理。", "关于"),
    ("任何单位不得推诿。", "任何"),
    ("程度较轻，无需住院。", "程度"),
    ("白天黑夜都在施工，严重影响休息。", "白天"),
    ("杨柳青青，江水平。", "杨柳"),
    ("共接待来访群众86人次，其中集体访3批。", "counts"),
    ("患者服药规律，病情稳定。", "no name after role"),
    ("市民反映小区路灯不亮。", "role without name"),
    ("村民们反映饮水困难。", "role plural"),
    ("居民楼3层漏水，物业未处理。", "floor without house number"),
    ("2024年3月15日14时30分接警。", "timestamp"),
    ("电费欠费300元，水费150元。", "amounts"),
    ("高峰时段道路拥堵。", "高峰"),
    ("黎明时分发生火灾。", "黎明"),
    ("成都和重庆的亲戚都来了。", "cities"),
    ("方便群众办事是我们的宗旨。", "方便"),
    # names with cues
    ("市民{name:张三}反映小区噪音扰民。", "role + name"),
    ("来电人{name:李四}称工资被拖欠。", "role + 2-char name"),
    ("村民{name:王建国}投诉土地被占。", "role + 3-char name"),
    ("{name:欧阳娜娜}老师反映班上学生情绪低落。", "compound surname + title"),
    ("{name:司马}先生来电咨询。", "compound surname + title, no given"),
    ("{name:诸葛明}同学最近失眠。", "compound surname"),
    ("{name:上官婉儿}女士的孩子厌学。", "compound surname"),
    ("{name:东方明}先生来访。", "东方 surname with title"),
    ("{name:张某某}与{name:李某}发生纠纷。", "某 forms"),
    ("{name:王}师傅说水管坏了。", "surname + title"),
    ("{name:李}大爷和{name:刘}阿姨吵了起来。", "surname + titles"),
    ("{name:陈}书记和{name:马}经理到场。", "surname + positions"),
    ("{name:赵丽华}女士来电反映家暴。", "name + 女士"),
    ("{name:孙志强}先生的儿子离家出走。", "name + 先生"),
    ("{name:周}老师建议家长多关心孩子。", "周 surname + title"),
    ("{name:高}老师和{name:金}同学", "高/金 surnames with titles"),
    ("{name:黄}医生开了药。", "黄 + 医生"),
    ("{name:王芳}阿姨和{name:张}大哥都在场。", "title split"),
    ("信访人{name:刘德明}多次到县里上访。", "信访人 + name"),
    ("患者{name:何秀英}服药不规律。", "患者 + name"),
    ("家长{name:吴}某反映孩子被欺负。", "家长 + 吴某"),
    ("报警人{name:郑凯}称被打。", "报警人"),
    ("其丈夫{name:许振国}经常酗酒。", "relation + name"),
    ("一个叫{name:林小燕}的女孩打来电话。", "叫 + name"),
    ("联系了{name:罗}主任。", "surname + 主任"),
    ("{name:向阳}老师说明了情况。", "向 as surname with given name"),
    ("{name:于洋}先生反映噪音。", "于 surname"),
    ("{name:白雪}女士来电。", "白 surname"),
    ("{name:马丽}阿姨身体不好。", "马 surname"),
    ("{name:常}师傅修好了水管。", "常 surname + 师傅"),
    # names without cues
    ("{name:张伟}今年45岁，无业。", "bare name, sentence start"),
    ("与{name:刘洋}因土地纠纷发生争执。", "bare name after 与"),
    ("被{name:陈红梅}打伤后报警。", "bare name after 被"),
    ("{name:李娟}和{name:王磊}是夫妻。", "two bare names"),
    ("{name:赵敏}称丈夫有暴力倾向。", "bare name + 称"),
    ("，{name:黄晓东}因讨薪与工头争吵。", "bare name after comma"),
    ("{name:徐静}反映孩子不愿上学。", "bare name + 反映"),
    ("{name:杨帆}说自己压力很大。", "bare + 说"),
    # known_names are tested separately (tests/privacy/test_redact.py)
    # phones
    ("电话{phone:138 1234 5678}，请回电。", "mobile with spaces"),
    ("手机：{phone:139-8765-4321}。", "mobile with dashes"),
    ("联系电话{phone:+86 13512345678}。", "+86"),
    ("联系电话{phone:008615912345678}。", "0086"),
    ("回拨{phone:１３８１２３４５６７８}。", "full-width mobile"),
    ("号码{phone:18608511234}多次骚扰。", "bare mobile"),
    ("座机{phone:010-12345678}无人接听。", "landline 3-digit area"),
    ("单位电话{phone:0851-1234567}。", "landline 4-digit area"),
    ("请拨{phone:(028)12345678}。", "landline brackets"),
    ("请拨{phone:（０２８）８７６５４３２１}。", "full-width brackets and digits"),
    ("{phone:13812345678}的机主投诉。", "mobile at start"),
    ("电话：{phone:83456789}（无区号）。", "cued local number"),
    # ID numbers
    ("身份证号{id_number:11010519491231002X}。", "18-digit with X"),
    ("身份证号{id_number:11010519491231002x}。", "lower-case x"),
    ("证件号{id_number:110105 19491231 002X}。", "18 with spaces"),
    ("身份证{id_number:１１０１０５１９４９１２３１００２Ｘ}。", "full-width ID"),
    ("身份证号{id_number:110105491231002}（旧证）。", "15-digit"),
    ("患者{id_number:510123199001011234}未按时随访。", "ID without cue (valid date)"),
    ("身份证号码：{id_number:510123199001011235}（核对有误）", "cued ID with bad checksum"),
    # addresses
    ("住阳光小区{address:3栋2单元501室}。", "栋 单元 室"),
    ("家住人民路{address:12号}。", "road + 号"),
    ("王家坝村{address:3组15号}的村民。", "village group + 号"),
    ("幸福家园{address:5号楼3单元202}漏水。", "号楼 单元 bare room"),
    ("锦绣花园{address:8幢1单元302室}", "幢"),
    ("滨江苑{address:2-3-501室}", "dash form"),
    ("建设街{address:15号院}", "号院"),
    ("翠湖社区{address:A座1502室}", "A座"),
    ("住在{address:3栋502室}", "no community"),
    ("解放路{address:88号}门口摆摊", "road + number"),
    # plates
    ("车牌{plate:川A·12345}的车辆逃逸。", "plate with dot"),
    ("{plate:京B12345}违停。", "plain plate"),
    ("新能源车{plate:粤BD12345}。", "new-energy plate"),
    ("{plate:渝A 8K2M1}撞了人。", "plate with space and letters"),
    # emails, accounts
    ("邮箱{email:zhang.san@example.com}。", "email"),
    ("发到{email:13812345678@qq.com}。", "email with phone-like local part"),
    ("QQ号：{account:123456789}。", "QQ"),
    ("加QQ{account:987654321}联系。", "QQ glued"),
    ("微信号：{account:zhangsan_88}。", "WeChat"),
    ("微信{account:wxid_abc123}。", "WeChat id"),
    # bank cards
    ("工资卡{bank_card:6222021234567890128}。", "valid Luhn 19"),
    ("卡号{bank_card:6217 0012 3456 7890}。", "cued card with spaces (any Luhn)"),
    ("转账到{bank_card:6228480402564890018}。", "card after 转账"),
    ("打到这张{bank_card:6222 0212 3456 7890 128}上。", "spaced valid Luhn"),
    # mixed
    (
        "市民{name:张三}（电话{phone:13812345678}）反映阳光小区{address:3栋2单元501室}漏水。",
        "mixed",
    ),
    ("{name:李}女士，身份证{id_number:510123198808081234}，车牌{plate:川A12345}。", "mixed 2"),
]


def parse_markup(marked: str) -> tuple[str, list[list]]:
    text, spans, last = "", [], 0
    for m in re.finditer(r"\{(\w+):([^{}]+)\}", marked):
        text += marked[last : m.start()]
        spans.append([len(text), len(text) + len(m.group(2)), m.group(1)])
        text += m.group(2)
        last = m.end()
    return text + marked[last:], spans


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for k in range(N_GENERATED):
        text, spans = generated_case(rng)
        split = "heldout" if k % 5 == 4 else "dev"
        rows.append({"text": text, "spans": spans, "note": "generated", "split": split})
    for marked, note in HAND_CASES:
        text, spans = parse_markup(marked)
        rows.append({"text": text, "spans": spans, "note": note, "split": "hand"})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} cases to {OUT}")


if __name__ == "__main__":
    main()
