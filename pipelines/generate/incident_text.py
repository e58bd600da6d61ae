# ruff: noqa: E501  (phrase banks: CJK characters count double width)
"""简要警情 narratives: when, who called, what happened by 警情类别, what the officers did."""

from __future__ import annotations

import random

from pipelines.generate.pii import PiiContext
from pipelines.generate.text import Slots, compose, finish, render

FILL = {
    "when": ["{h}时许", "当日{h}时", "{h}时{m}分许", "晚{h2}时许", "凌晨{h3}时许"],
    "h": ["8", "9", "10", "11", "14", "15", "16", "17"],
    "h2": ["8", "9", "10", "11"],
    "h3": ["1", "2", "3"],
    "m": ["05", "10", "20", "30", "40", "50"],
    "caller": ["报警人{NAME}", "群众", "{NAME}（电话{MOBILE}）", "村干部", "{NAME}", "邻居",
               "一女子", "一男子"],
    "where": ["{village}", "{town}场镇", "{ADDR}", "{town}{village}家中", "{town}农贸市场", "县人民医院门口",
              "{town}高速路口", "王府井商场门口"],
    "rel": ["丈夫", "妻子", "儿子", "儿媳", "女婿", "哥哥", "前男友", "同居男友"],
    "money": ["2000", "5000", "两万", "八千", "三万多"],
}

SITUATION = {
    "家庭纠纷": ["称其与{rel}因家庭琐事发生争吵。", "称与{rel}因赡养老人问题发生纠纷。",
              "称{rel}酒后在家中吵闹摔东西。", "称与{rel}因分家产闹矛盾。"],
    "邻里纠纷": ["称与邻居因宅基地界线发生争执。", "称邻居家的狗咬伤了自家孩子，双方发生口角。",
              "称邻居在楼道堆放杂物引发争吵。", "称与邻居因排水沟堵塞互不相让。"],
    "婚恋纠纷": ["称{rel}分手后一直纠缠，不停打电话骚扰。", "称与{rel}因彩礼退还问题发生纠纷。",
              "称{rel}在其单位门口吵闹。"],
    "劳资纠纷": ["称在{town}某工地务工被拖欠工资{money}元。", "称十余名工人在项目部讨要工资，情绪激动。",
              "称老板拖欠工资后失联，工人聚集在公司门口。"],
    "土地山林纠纷": ["称与邻组村民因山林界线发生纠纷。", "称有人在其承包地上强行施工。",
                "称因征地补偿分配问题与村干部发生争执。"],
    "家庭暴力": ["称被{rel}殴打，脸部受伤。", "称{rel}长期对其实施家暴，今日再次动手。",
              "称{rel}持刀威胁家人。"],
    "自伤自杀": ["称其家人有轻生行为，已服下不明药物。", "称有人站在{town}大桥上欲跳河。",
              "称一女子在家中割腕。", "称其{rel}留下遗书后离家出走，电话关机。"],
    "精神障碍肇事肇祸": ["称一名精神障碍患者在{where}持棍棒追打路人。", "称其{rel}停药后情绪失控，在家中砸东西。",
                  "称一男子精神异常，在街上拦车。"],
    "群体性事件": ["称{n}余名村民聚集在{town}政府门口，反映征地补偿问题。", "称数十名工人堵在工地门口讨要工资。",
              "称部分群众聚集阻挡施工。"],
    "其他纠纷": ["称与商家因退货问题发生纠纷。", "称停车位被占与他人发生争吵。", "称在{where}与人发生口角。",
              "称车辆剐蹭后双方争执不下，车牌{PLATE}。"],
}
FILL["n"] = ["二十", "三十", "五十", "上百"]

ACTION = ["民警到场后对双方进行调解，双方达成和解。", "民警到场后将双方带回派出所处理。",
          "已移交{town}司法所和村委会进一步调解。", "民警到场后对当事人进行批评教育。",
          "民警到场处置，现场秩序已恢复。",
          "已联系其家属及社区网格员到场。", "已通知属地政府和相关部门到场处置。"]
INJURY_ACTION = ["已将伤者送往县人民医院救治。", "已通知120到场，当事人已送医。"]
PII = ["当事人{NAME}，身份证号{ID}。", "涉事车辆{PLATE}。", "报警人电话{PHONE}。", "现住{ADDR}。", "称其被骗后向银行卡{BANK}转账。"]


def incident_text(r: random.Random, ctx: PiiContext, itype: str, town: str, village: str,
                  event_text: str | None = None, pii_rate: float = 0.35,
                  typo_rate: float = 0.05) -> tuple[str, list[list]]:
    slots = Slots(r, FILL, town=town, village=village)
    sentences = []
    lead = r.choice(["{when}，{caller}报警", "{when}，{caller}在{where}报警", "{caller}报警",
                     "接{caller}报警"])
    sentences.append((render(lead, slots, r, ctx), True))
    sentences.append((render(event_text or r.choice(SITUATION[itype]), slots, r, ctx), True))
    if r.random() < pii_rate:
        sentences.append((render(r.choice(PII), slots, r, ctx), False))
    actions = ACTION + INJURY_ACTION if itype in ("家庭暴力", "自伤自杀", "精神障碍肇事肇祸") else ACTION
    sentences.append((render(r.choice(actions), slots, r, ctx), r.random() < 0.8))
    return finish(compose(sentences), r, typo_rate)
