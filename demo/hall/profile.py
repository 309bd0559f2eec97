"""What the demo hall looks like: its rates, shares, weights and texts (figures from DOMAIN.md).
Read by the plan (`demo.hall.plan`); nothing here touches the database."""

import datetime
import itertools
from decimal import Decimal

from supervision.choices import (
    BAD_REVIEW_MAX_RATING,
    Appeal,
    Channel,
    FindingCategory,
    Rating,
)

ONE_DAY = datetime.timedelta(days=1)

# One year ending yesterday at this scale: about 37,000 cases and 35,000 evaluations, which
# add under 2 seconds to load_demo on SQLite (1.7 s measured on 2 CPU cores).
DEMO_EVALUATIONS_PER_DAY = 142
DEMO_CASES_PER_DAY = 150
DEMO_FINDINGS_PER_MONTH = 30
DEFAULT_BATCH_SIZE = 20_000

# Office hours as seconds after local midnight: 9:00–12:00 and 13:30–17:30 (cms demo data,
# OFFICE_HOURS). Half-hour slots weighted by how busy a hall is: a peak mid-morning, a
# smaller one mid-afternoon, a quiet last half hour.
MORNING_END, AFTERNOON_END = 12 * 3600, 17 * 3600 + 1800
SLOT_STARTS = [9 * 3600 + 1800 * i for i in range(6)] + [
    13 * 3600 + 1800 * (i + 1) for i in range(8)
]
SLOT_CUM = list(
    itertools.accumulate([0.9, 1.2, 1.3, 1.3, 1.1, 0.8, 0.7, 1.0, 1.1, 1.1, 1.0, 0.9, 0.7, 0.4])
)
# Mondays are the busiest day, Fridays the quietest; a make-up Saturday (调休) is a light day.
WEEKDAY_LOAD = {0: 1.18, 1: 1.06, 2: 1.0, 3: 0.98, 4: 0.9, 5: 0.85, 6: 0.85}
AFTER_HOLIDAY_LOAD = 1.35

# Ratings best first, with cumulative percentages.
RATINGS = sorted(Rating.values, reverse=True)
# Most windows do a little better than the hall's figures, which also count the two poorly
# rated windows and the late cases.
RATING_CUM = list(itertools.accumulate([91.2, 5.6, 1.8, 1.05, 0.35]))
POOR_WINDOW_RATING_CUM = list(itertools.accumulate([80, 9, 4, 5, 2]))
LATE_CASE_RATING_CUM = list(itertools.accumulate([50, 15, 12, 15, 8]))
# Plain values: enum members compared millions of times cost more than the comparison.
BAD_RATING = int(BAD_REVIEW_MAX_RATING)
FAIRLY_SATISFIED = int(Rating.FAIRLY_SATISFIED)
NO_APPEAL = Appeal.NONE.value
CHANNELS = [Channel.HALL.value, Channel.ONLINE.value, Channel.APP.value]
CHANNEL_CUM = [60, 90, 100]
INSTANT_SHARE = 0.76
EVALUATED_SHARE = 0.95
LATE_SHARE = 0.02
BEYOND_LEGAL_SHARE = 0.0027

# Attendance, etiquette and environment are what a patrol sees most; the service rules are
# found less often, accountability cases rarely.
CATEGORY_WEIGHTS = {
    FindingCategory.ATTENDANCE: 25,
    FindingCategory.ETIQUETTE: 22,
    FindingCategory.ENVIRONMENT: 20,
    FindingCategory.DISCIPLINE: 12,
    FindingCategory.TELL_ONCE: 6,
    FindingCategory.FIRST_ASKED: 5,
    FindingCategory.TIME_LIMIT: 4,
    FindingCategory.AB_POST: 4,
    FindingCategory.ACCOUNTABILITY: 2,
}
CATEGORIES = [category.value for category in CATEGORY_WEIGHTS]
CATEGORY_CUM = list(itertools.accumulate(CATEGORY_WEIGHTS.values()))
FINDING_TEXTS = {
    "attendance": [
        "{time}巡查时，{name}离岗未放置“暂停服务”提示牌，群众等候约{minutes}分钟。",
        "{name}上午迟到{minutes}分钟，未履行请假手续。",
        "{time}巡查时窗口空岗，{name}提前离岗。",
        "{name}未按规定进行上岗签到。",
    ],
    "etiquette": [
        "{name}未按规定着工装、佩戴工作牌。",
        "{name}接待群众时语气生硬，未使用文明用语。",
        "{name}办理业务时未起身迎送，坐姿不端。",
        "{name}对群众咨询回应不耐烦。",
    ],
    "environment": [
        "窗口台面杂乱，办事资料摆放不整齐。",
        "窗口桌面摆放水杯、零食等私人物品。",
        "窗口电子显示屏未显示窗口名称和工作人员信息。",
        "等候区座椅损坏未及时报修。",
        "窗口服务评价器未开启。",
    ],
    "discipline": [
        "{time}巡查时，{name}在工作时间使用手机浏览与工作无关的内容。",
        "{name}在窗口内进食。",
        "{name}工作时间串岗闲聊。",
    ],
    "first_asked": ["群众咨询非本窗口业务，{name}未告知办理窗口也未引导，群众往返两次。"],
    "tell_once": ["{name}未一次性告知所需材料，群众二次补交材料。"],
    "time_limit": ["窗口办件超过承诺时限未办结，也未向申请人说明原因。"],
    "ab_post": ["A岗人员请假，B岗人员未及时到岗补位，窗口空岗约{minutes}分钟。"],
    "accountability": ["群众投诉窗口推诿，经核实属实，窗口未按规定报告和处理。"],
}
# Most findings take the category's standard deduction (blank); an inspector writes one down
# for a graver or lighter case.
EXPLICIT_DEDUCTION_SHARE = 0.2
EXPLICIT_DEDUCTIONS = [Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("3"), Decimal("5")]
EXPLICIT_DEDUCTION_CUM = [3, 7, 9, 10, 10.5]
INSPECTORS = ["王敏", "李娟", "张伟", "刘洋", "陈静", "杨帆", "赵丽", "周杰"]

BAD_COMMENTS = [
    "排队等了一个多小时，窗口只开了一个。",
    "材料没有一次性告知清楚，跑了两趟才办好。",
    "工作人员态度生硬，问两句就不耐烦。",
    "说好的办结时间超了也没人通知进度。",
    "叫号后窗口人员迟迟不在岗。",
    "系统故障办理中断，让第二天再来。",
    "网上已经提交过的材料窗口又要求提供纸质件。",
    "咨询电话一直打不通。",
    "不同窗口说法不一致，来回跑。",
    "办理时间太长，流程繁琐。",
]
FAIR_COMMENTS = [
    "总体还行，就是排队时间有点长。",
    "办成了，但材料要求可以在网上说得更清楚些。",
    "等候区人太多，座位不够。",
    "办理还算顺利。",
]
GOOD_COMMENTS = [
    "服务热情，一次就办好了。",
    "工作人员耐心细致，点赞！",
    "材料指导很清楚，十分钟办完。",
    "帮办代办很贴心，少跑了腿。",
    "效率高，态度好。",
    "没想到这么快就拿到证了。",
]
FOLLOW_UPS = [
    "已于{date}电话回访申请人，说明情况并致歉；窗口已组织学习一次性告知制度。",
    "已于{date}回访，申请人对处理结果表示认可；已对当事工作人员进行提醒谈话。",
    "已于{date}回访；已在高峰时段增开窗口，引导群众使用自助终端分流。",
    "已于{date}回访申请人并协助办结；已将系统故障情况报信息科排查。",
    "已于{date}回访，申请人未接听，已发送短信说明整改情况。",
]
UPHELD_FOLLOW_UP = "经核实，差评原因系政策规定或系统原因，非窗口人员责任，申诉成立（{date}）。"
APPEAL_SHARE = 0.12
FOLLOW_UP_SHARE = 0.88

# Names: the most frequent surnames roughly by their share, a few compound ones; given names
# of one or two characters, now and then a rare character (堃 喆 赟...) that tests fonts and
# encodings. All are in GBK, the hall system's export encoding.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
)
SURNAME_WEIGHTS = [7.1, 7.0, 6.7, 5.4, 4.5, 3.1, 2.0, 1.9, 1.5, 1.5, 1.3, 1.2, 1.1, 1.1, 1.0]
SURNAME_WEIGHTS += [0.95 - 0.012 * i for i in range(len(SURNAMES) - len(SURNAME_WEIGHTS))]
COMPOUND_SURNAMES = ["欧阳", "上官", "司马", "诸葛", "皇甫"]
GIVEN_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玲红建文辉鹏宇浩婷雪琳晨欣怡佳俊博涵子梓轩"
    "睿一诺雨思悦嘉瑶倩颖慧晓志海波斌峰宁燕萍洁丹凯昊然航泽宏振国荣春云飞亮龙璐蕾琪彤鑫蓉楠帆阳"
)
RARE_CHARACTERS = "堃喆赟昇玥珺彧翀垚犇燚旸祎琤頔"
RARE_SHARE = 0.03
