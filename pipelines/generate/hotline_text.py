# ruff: noqa: E501  (phrase banks: CJK characters count double width)
"""心理援助热线 通话摘要: who called, what troubles them, how they feel, what the operator did.

The emotion label drives the wording of the feeling sentence (and colours the situation), the
call category drives the situation; crisis calls carry risk-assessment language.
"""

from __future__ import annotations

import random

from pipelines.generate.pii import PiiContext
from pipelines.generate.text import Slots, compose, finish, render

FILL = {
    "who": ["来电者", "来电人", "求助者", "来访者"],
    "sexage": ["女，约{age}岁", "男，约{age}岁", "女性，{age}岁左右", "男性，{age}岁左右", "自称{age}岁"],
    "age": ["16", "19", "23", "28", "35", "41", "47", "52", "58", "63", "70"],
    "rel": ["丈夫", "妻子", "婆婆", "父亲", "母亲", "儿子", "女儿", "男朋友", "前夫"],
    "spouse": ["丈夫", "妻子", "老公", "老婆", "爱人"],
    "time": ["近一个月", "最近半年", "这两周", "从去年开始", "近几天", "春节以后"],
    "hospital": ["县人民医院心理科", "县精神卫生中心", "县人民医院精神科", "市第四人民医院"],
}

SITUATION = {
    "情绪困扰": ["自述{time}情绪低落，做什么都没兴趣，晚上失眠早醒。", "说{time}心里总是烦躁，控制不住发脾气。",
              "称独自在家时经常胡思乱想，不知道怎么调节情绪。", "自述工作生活压力大，觉得很累撑不下去。"],
    "人际关系": ["自述和同事关系紧张，被孤立排挤。", "称和邻居因为小事闹翻，心里一直过不去。",
              "说和朋友发生矛盾，觉得没有人理解自己。"],
    "婚姻家庭": ["自述与{spouse}长期争吵，{time}闹到要离婚。", "称{spouse}有外遇，自己不知道该怎么办。",
              "说和{rel}因为孩子教育问题矛盾很深。", "反映{rel}酒后经常动手打人。"],
    "学业压力": ["学生，自述马上要考试了，成绩下滑，害怕让父母失望。", "称每天作业写到深夜，一想到上学就头疼。",
              "说高考临近，晚上睡不着，觉得自己考不上。", "家长来电，孩子{time}不愿去学校，在家玩手机。"],
    "就业经济": ["自述{time}失业，房贷还不上。", "称在工地干活被拖欠工资，过年回不了家。",
              "说做生意亏了钱，欠了很多债。", "反映找工作屡屡碰壁，觉得自己没用。"],
    "心理危机": ["自述{time}反复出现轻生念头，已经写好了遗书。", "称想结束自己的生命，觉得活着没有意义。",
              "说已经准备了药物，想一了百了。", "自述刚和{rel}吵完架，现在站在楼顶上。"],
    "精神疾病咨询": ["家属来电，{rel}确诊精神分裂症，想了解怎么照顾。", "咨询抑郁症需不需要一直吃药。",
                "称家人停药后又开始自言自语，问去哪里看。", "咨询{hospital}的就诊时间和挂号方式。"],
    "灾害应激": ["自述暴雨山洪时房子被冲垮，之后一听到雨声就心慌。", "称经历洪水后整夜做噩梦，总担心再发大水。",
              "说洪灾中失去了亲人，至今缓不过来。"],
    "其他": ["咨询心理咨询师的资格怎么考。", "询问热线的服务时间。", "称想找人说说话，没有具体的事。",
           "反映小区里有人经常深夜吵闹，心里烦。"],
}

EMOTION = {
    "sad": ["情绪低落，说着说着就哭了。", "感到很绝望，觉得什么都没有意义。", "心里很难受，觉得很孤独。",
            "语气消沉，多次叹气。"],
    "fear": ["非常担心害怕，说话时声音发抖。", "焦虑不安，心慌胸闷，晚上睡不着。", "很紧张，总担心会出事。",
             "表示很害怕，不知道接下来怎么办。"],
    "angry": ["情绪激动，说话声音很大，觉得很不公平。", "非常气愤，多次骂人。", "怨气很大，说要去讨个说法。",
              "对家人很生气，觉得被欺负了。"],
    "neutral": ["情绪尚平稳，表达清楚。", "语气平静，主要是咨询。", "情绪稳定，希望了解相关信息。"],
    "happy": ["表示上次咨询后心情好了很多，特地打电话来感谢。", "说最近情况好转，很开心。"],
    "surprise": ["说没想到事情会突然变成这样，很意外。", "对检查结果感到震惊，一时接受不了。"],
}

EVENT_SITUATION = {
    "wage_arrears": ["称在{town}的工地干了大半年，包工头拖欠工资跑了，一分钱没拿到。",
                     "自述和工友们被拖欠了几个月工资，讨薪没有结果，家里等着用钱。",
                     "说{town}的老板欠薪不还，快过年了回不了家，越想越憋屈。"],
    "flood": SITUATION["灾害应激"] + ["称{town}发洪水后一家人住在安置点，孩子晚上总是惊醒哭闹。"],
    "self_harm_cluster": SITUATION["心理危机"] + ["称{town}最近接连有人轻生，自己也控制不住往那方面想。"],
}

ACTION = ["接线员倾听、共情，帮助其梳理情绪。", "建议其到{hospital}就诊。", "给予情绪疏导，教其放松方法。",
          "评估自杀风险后，已联系其家属并告知110。", "建议其寻求社区和村委会的帮助。", "约定三天后回访。",
          "告知法律援助和劳动监察的求助渠道。", "鼓励其与家人沟通。"]
CRISIS_ACTION = ["评估自杀风险高，接线员持续陪伴并联系110和家属到场。",
                 "启动危机干预流程，已通知属地派出所和村委会上门。",
                 "与来电者签订不伤害约定，并转介{hospital}。"]
PII = ["留下联系电话{PHONE}，希望回访。", "自称{NAME}，住在{ADDR}。", "称{NAME}是自己的{rel}。",
       "来电者说可以打{MOBILE}找她。", "自称叫{NAME}。",
       "称被人以刷单为名骗走两万元，转到了卡号{BANK}。", "自称{NAME}，电话{MOBILE}。"]


def hotline_text(r: random.Random, ctx: PiiContext, category: str, emotion: str,
                 is_crisis: bool, pii_rate: float = 0.3, typo_rate: float = 0.04,
                 town: str = "", event_kind: str | None = None) -> tuple[str, list[list]]:
    slots = Slots(r, FILL, town=town or "我们这里")
    situations = EVENT_SITUATION.get(event_kind or "", SITUATION[category])
    sentences = []
    head = r.choice(["{who}{sexage}，", "{who}，", "", "{who}{sexage}。"])
    sentences.append((render(head, slots, r, ctx), True))
    first, second = r.sample(situations, 2)
    sentences.append((render(first, slots, r, ctx), True))
    if r.random() < 0.4:
        sentences.append((render(second, slots, r, ctx), False))
    sentences.append((render(r.choice(EMOTION[emotion]), slots, r, ctx), True))
    if r.random() < pii_rate:
        sentences.append((render(r.choice(PII), slots, r, ctx), False))
    action = r.choice(CRISIS_ACTION) if is_crisis else r.choice(ACTION)
    sentences.append((render(action, slots, r, ctx), True))
    if r.random() < 0.3:
        sentences.append((render(r.choice(ACTION), slots, r, ctx), False))
    return finish(compose(sentences), r, typo_rate)
