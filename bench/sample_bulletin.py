"""A sample supervision bulletin, made-up data on a specimen template, that bench/pdf.py times.

Everything here is SAMPLE DATA made up for the template — not real supervision data, not
read from the database and not computed by supervision's scoring rules. The numbers come from
a seeded random generator, so the sample is the same on every run and always lays out to the
same ten A4 pages: the bench's history in docs/benchmarks.md compares renders of this one
document. The layout tests render the real bulletins instead (tests/test_bulletin_template.py).

    from bench.sample_bulletin import sample_bulletin_html
    html = sample_bulletin_html()  # give it to publications.pdf.html_to_pdf
"""

import random
from datetime import date, datetime, timedelta
from pathlib import Path

# Beside this file, not among the apps' templates: no product page renders it.
TEMPLATE = Path(__file__).with_name("sample_bulletin.html")
PAGES = 10
CENTRE_NAME = "示范市政务服务中心"
PERIOD_START = date(2026, 11, 16)
PERIOD_END = date(2026, 11, 22)
# Staff with characters outside GB2312 (堃, 喆) and outside the Basic CJK block (䶮, U+4DAE,
# Extension A): names a bulletin must print, not replace with boxes.
RARE_NAMES = ("王堃", "陈喆", "刘䶮")

# Window number → (name, department): the hall of the demo centre, ten zones.
WINDOWS = {
    "A01": ("综合受理窗口（无差别受理）", "市政务服务管理办公室"),
    "A02": ("综合受理窗口（无差别受理）", "市政务服务管理办公室"),
    "A03": ("综合受理窗口（无差别受理）", "市政务服务管理办公室"),
    "A04": ("综合受理窗口（无差别受理）", "市政务服务管理办公室"),
    "A05": ("社保医保综合窗口", "市人力资源和社会保障局"),
    "A06": ("社保医保综合窗口", "市医疗保障局"),
    "A07": ("民生事务综合窗口", "市政务服务管理办公室"),
    "A08": ("老年人及特殊群体绿色通道", "市政务服务管理办公室"),
    "B01": ("企业开办综合窗口", "市市场监督管理局"),
    "B02": ("企业开办综合窗口", "市市场监督管理局"),
    "B03": ("企业开办综合窗口", "市市场监督管理局"),
    "B04": ("个体工商户登记窗口", "市市场监督管理局"),
    "B05": ("食品药品许可窗口", "市市场监督管理局"),
    "B06": ("变更注销与商务备案窗口", "市商务局"),
    "B07": ("涉企税务窗口", "国家税务总局示范市税务局"),
    "B08": ("发票与清税窗口", "国家税务总局示范市税务局"),
    "C01": ("不动产登记综合窗口", "市不动产登记中心"),
    "C02": ("不动产登记综合窗口", "市不动产登记中心"),
    "C03": ("不动产登记综合窗口", "市不动产登记中心"),
    "C04": ("不动产登记综合窗口", "市不动产登记中心"),
    "C05": ("抵押登记窗口", "市不动产登记中心"),
    "C06": ("查询、补换证与网签备案窗口", "市住房和城乡建设局"),
    "C07": ("存量房交易税费窗口", "国家税务总局示范市税务局"),
    "C08": ("存量房交易税费窗口", "国家税务总局示范市税务局"),
    "D01": ("户籍业务窗口", "市公安局"),
    "D02": ("户籍业务窗口", "市公安局"),
    "D03": ("户口迁移窗口", "市公安局"),
    "D04": ("居民身份证受理窗口", "市公安局"),
    "D05": ("居民身份证受理窗口", "市公安局"),
    "D06": ("居住证与证明开具窗口", "市公安局"),
    "E01": ("社会保险登记窗口", "市人力资源和社会保障局"),
    "E02": ("养老保险待遇窗口", "市人力资源和社会保障局"),
    "E03": ("社会保障卡窗口", "市人力资源和社会保障局"),
    "E04": ("就业创业服务窗口", "市人力资源和社会保障局"),
    "E05": ("工伤与劳动能力鉴定窗口", "市人力资源和社会保障局"),
    "E06": ("医疗保障参保窗口", "市医疗保障局"),
    "E07": ("医疗费用报销窗口", "市医疗保障局"),
    "E08": ("异地就医备案窗口", "市医疗保障局"),
    "F01": ("公积金提取窗口", "市住房公积金管理中心"),
    "F02": ("公积金提取窗口", "市住房公积金管理中心"),
    "F03": ("公积金贷款窗口", "市住房公积金管理中心"),
    "F04": ("单位缴存业务窗口", "市住房公积金管理中心"),
    "G01": ("规划用地窗口", "市自然资源和规划局"),
    "G02": ("规划许可与核实窗口", "市自然资源和规划局"),
    "G03": ("施工许可窗口", "市住房和城乡建设局"),
    "G04": ("竣工验收与消防窗口", "市住房和城乡建设局"),
    "G05": ("环评、排污与水务窗口", "市生态环境局"),
    "G06": ("城市管理与安全生产窗口", "市城市管理局"),
    "H01": ("婚姻登记窗口", "市民政局"),
    "H02": ("社会救助与社会组织窗口", "市民政局"),
    "H03": ("卫生健康窗口", "市卫生健康委员会"),
    "H04": ("教育服务窗口", "市教育局"),
    "H05": ("退役军人与残疾人服务窗口", "市退役军人事务局"),
    "J01": ("道路运输窗口", "市交通运输局"),
    "J02": ("文化旅游与农业农村窗口", "市文化广电旅游局"),
    "K01": ("统一出件与帮办代办窗口", "市政务服务管理办公室"),
}
# Departments without a window of their own are served at a shared one.
EXTRA_DEPARTMENTS = ("市水务局", "市应急管理局", "市农业农村局", "市残疾人联合会")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"
GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 洋 艳 勇 军 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 文 辉 鑫 宇 浩 "
    "婷 雪 琳 晨 佳怡 子涵 思远 俊杰 雨桐 欣怡 浩然 梓萱 一鸣 晓东 海燕 春梅 建华 志强 "
    "丽华 国庆 红梅 玉兰 文博 嘉怡 诗涵 明轩 若曦 宏伟 晓丽"
).split()

FINDINGS = [
    ("考勤纪律", "上午9:00开窗后仍未到岗，迟到{m}分钟，未提前报备", 1.0),
    ("考勤纪律", "工作时间离岗{m}分钟，未放置“暂停服务”提示牌", 1.0),
    ("考勤纪律", "下午17:30前提前关闭叫号系统，存在早退现象", 1.0),
    ("服务礼仪", "未按规定统一着装，未佩戴工作牌", 0.5),
    ("服务礼仪", "接待群众时服务用语不规范，语气生硬，群众当场表示不满", 1.0),
    ("服务礼仪", "群众到窗口时未起身示意、未主动问候", 0.5),
    ("工作纪律", "工作时间使用手机浏览与工作无关的内容", 1.0),
    ("工作纪律", "窗口内存放零食并在岗位上进食", 0.5),
    ("工作纪律", "两名工作人员在窗口内闲聊，群众等候{m}分钟无人接待", 1.5),
    ("首问负责", "群众询问非本窗口事项，未指引至对应窗口，仅答复“不归我们管”", 2.0),
    ("一次告知", "群众第二次来办仍被告知缺少材料，首次未一次性告知材料清单", 2.0),
    ("限时办结", "即办件未当场办结，要求群众次日再来，无正当理由", 2.0),
    ("AB岗", "A岗人员请假，B岗人员未及时到岗，窗口空岗{m}分钟", 1.5),
    ("办公环境", "窗口桌面摆放杂乱，私人物品外露，宣传资料过期未更换", 0.5),
    ("办公环境", "窗口评价器屏幕黑屏未报修，群众无法现场评价", 1.0),
]
INSPECTIONS = ("日常巡查", "日常巡查", "日常巡查", "集中巡查", "暗访")

ITEMS = [
    ("不动产转移登记（二手房）", "市不动产登记中心", 5, 30),
    ("不动产抵押权首次登记", "市不动产登记中心", 3, 30),
    ("食品经营许可（新办）", "市市场监督管理局", 7, 20),
    ("药品零售企业许可", "市市场监督管理局", 10, 30),
    ("建设工程规划许可证核发", "市自然资源和规划局", 10, 20),
    ("建筑工程施工许可证核发", "市住房和城乡建设局", 5, 15),
    ("住房公积金个人住房贷款", "市住房公积金管理中心", 10, 15),
    ("工伤认定申请", "市人力资源和社会保障局", 30, 60),
    ("劳动能力鉴定", "市人力资源和社会保障局", 40, 60),
    ("异地就医费用手工报销", "市医疗保障局", 15, 30),
    ("户口迁入（投靠类）", "市公安局", 10, 20),
    ("道路运输经营许可", "市交通运输局", 10, 20),
    ("排污许可证核发", "市生态环境局", 15, 30),
    ("取水许可", "市水务局", 15, 45),
    ("民办学校设立审批", "市教育局", 20, 30),
    ("医疗机构执业登记", "市卫生健康委员会", 15, 45),
    ("社会团体成立登记", "市民政局", 20, 60),
    ("娱乐场所经营许可", "市文化广电旅游局", 10, 20),
]
OVERDUE_REASONS = (
    "需现场核查，核查人员排期延后",
    "申请材料需补正，补正期间未暂停计时",
    "涉及多部门会签，会签意见未按时返回",
    "系统接口故障，数据推送延迟",
    "承办人员请假，AB岗未及时接续",
    "需征求相关权利人意见，公示期未满",
)
COMPLAINTS = [
    ("非常不满意", "排队等候超过1小时，取号后被告知需到其他窗口重新取号"),
    ("不满意", "工作人员解释政策不清楚，同一问题前后说法不一致"),
    ("不满意", "网上已提交材料，到现场仍被要求提供纸质复印件"),
    ("非常不满意", "窗口人员态度冷淡，未回应群众询问"),
    ("不满意", "办结后未收到短信通知，多次来现场查询进度"),
    ("不满意", "自助终端无法打印证明，现场无人指导"),
    ("非常不满意", "材料齐全仍被要求次日再来，未说明理由"),
]


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _staff(rng):
    """Two staff per window (A岗 and B岗); the rare names take fixed windows."""
    staff = {number: (_name(rng), _name(rng)) for number in WINDOWS}
    for number, name in zip(("C02", "B05", "E07"), RARE_NAMES, strict=True):
        staff[number] = (name, staff[number][1])
    return staff


def _windows(rng, staff):
    rows = []
    for number, (name, department) in WINDOWS.items():
        deduction = rng.choice((0, 0, 0, 0, 0.5, 0.5, 1, 1.5, 2, 3, 4.5))
        served = rng.randint(60, 420)
        evaluated = round(served * rng.uniform(0.72, 0.97))
        satisfaction = round(rng.uniform(96.0, 100.0) if rng.random() < 0.9 else 93.5, 1)
        on_time = round(100.0 if rng.random() < 0.6 else rng.uniform(96.5, 99.9), 1)
        score = round(100 - deduction - (100 - satisfaction) * 0.6 - (100 - on_time) * 0.8, 1)
        rows.append(
            {
                "number": number,
                "name": name,
                "department": department,
                "staff": "、".join(staff[number]),
                "served": served,
                "evaluated": evaluated,
                "satisfaction": satisfaction,
                "on_time": on_time,
                "deduction": deduction,
                "score": score,
                "change": round(rng.uniform(-2.5, 2.5), 1),
            }
        )
    # Two units of concern, so that the bulletin shows what a score under 90 looks like.
    rows[14].update(score=88.6, deduction=6.0, change=-4.2)
    rows[47].update(score=89.4, deduction=5.5, satisfaction=94.1, change=-3.1)
    rows.sort(key=lambda row: (-row["score"], row["number"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def _departments(rng, windows):
    names = list(dict.fromkeys(row["department"] for row in windows)) + list(EXTRA_DEPARTMENTS)
    rows = []
    for name in names:
        own = [row for row in windows if row["department"] == name]
        if own:
            score = round(sum(row["score"] for row in own) / len(own), 1)
        else:
            score = round(rng.uniform(95.0, 99.5), 1)
        rows.append(
            {
                "name": name,
                "windows": len(own),
                "cases": sum(row["served"] for row in own) or rng.randint(20, 90),
                "on_time": round(rng.uniform(97.0, 100.0), 1),
                "satisfaction": round(rng.uniform(97.0, 100.0), 1),
                "bad_reviews": rng.choice((0, 0, 0, 1, 1, 2)),
                "overdue": rng.choice((0, 0, 0, 1, 2)),
                "score": score,
                "last_rank": 0,
            }
        )
    rows.sort(key=lambda row: (-row["score"], row["name"]))
    previous = sorted(rows, key=lambda row: rng.uniform(-1.5, 1.5) - row["score"])
    for rank, row in enumerate(previous, 1):
        row["last_rank"] = rank
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
        row["rank_change"] = row["last_rank"] - rank
    return rows


def _findings(rng, staff, count):
    rows = []
    for index in range(count):
        number = rng.choice(list(WINDOWS))
        # The rare names appear in findings too: they must print in running text as well.
        if index in (3, 11, 19):
            number = ("C02", "B05", "E07")[(index - 3) // 8]
        category, text, points = rng.choice(FINDINGS)
        day = PERIOD_START + timedelta(days=rng.randint(0, 4))
        at = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=rng.choice((9, 10, 11, 14, 15, 16)), minutes=rng.randint(0, 59)
        )
        rows.append(
            {
                "at": at,
                "kind": rng.choice(INSPECTIONS),
                "window": number,
                "person": staff[number][0],
                "category": category,
                "text": text.format(m=rng.choice((8, 12, 15, 20, 25))),
                "points": points,
            }
        )
    rows.sort(key=lambda row: row["at"])
    return rows


def _cases(rng, staff, count):
    rows = []
    for index in range(count):
        item, department, promised, legal = rng.choice(ITEMS)
        number = next((n for n, (_, d) in WINDOWS.items() if d == department), "A01")
        accepted = PERIOD_START - timedelta(days=rng.randint(promised + 2, promised + 30))
        promised_at = accepted + timedelta(days=round(promised * 1.4))
        legal_at = accepted + timedelta(days=round(legal * 1.4))
        red = legal_at <= PERIOD_END
        rows.append(
            {
                "code": f"3799{accepted:%y%m%d}{index + 17:04d}",
                "item": item,
                "department": department,
                "handler": staff[number][rng.randint(0, 1)],
                "accepted": accepted,
                "promised_at": promised_at,
                "days_over": (PERIOD_END - promised_at).days,
                "days_left": (promised_at - PERIOD_END).days,
                "light": "红灯" if red else "黄灯",
                "reason": rng.choice(OVERDUE_REASONS),
            }
        )
    rows.sort(key=lambda row: (row["light"] != "红灯", -row["days_over"]))
    return rows


def _complaints(rng, staff, count):
    rows = []
    for _ in range(count):
        number = rng.choice(list(WINDOWS))
        rating, reason = rng.choice(COMPLAINTS)
        day = PERIOD_START + timedelta(days=rng.randint(0, 5))
        done = rng.random() < 0.8
        rows.append(
            {
                "date": day,
                "window": number,
                "person": staff[number][0],
                "rating": rating,
                "reason": reason,
                "called_back": day + timedelta(days=1),
                "status": "已整改" if done else "整改中",
                "done": done,
            }
        )
    rows.sort(key=lambda row: row["date"])
    return rows


def sample_bulletin_context(*, for_pdf=True):
    """The context of bench/sample_bulletin.html: one week's made-up bulletin."""
    rng = random.Random(47)
    staff = _staff(rng)
    windows = _windows(rng, staff)
    departments = _departments(rng, windows)
    findings = _findings(rng, staff, 54)
    cases = _cases(rng, staff, 34)
    complaints = _complaints(rng, staff, 22)
    zones = {}
    for row in windows:
        zones.setdefault(row["number"][0], []).append(row["change"])
    served = sum(row["served"] for row in windows)
    evaluated = sum(row["evaluated"] for row in windows)
    return {
        "for_pdf": for_pdf,
        "centre_name": CENTRE_NAME,
        "bulletin_name": "政务服务督查周报",
        "issue_number": 47,
        "period": f"{PERIOD_START:%Y}年{PERIOD_START.month}月{PERIOD_START.day}日—"
        f"{PERIOD_END.month}月{PERIOD_END.day}日",
        "issuing_office": "示范市政务服务管理办公室督查科",
        "issue_date": PERIOD_END + timedelta(days=1),
        "figures": {
            "inspections": 15,
            "findings": len(findings),
            "points": sum(row["points"] for row in findings),
            "served": served,
            "evaluated": evaluated,
            "evaluation_rate": round(evaluated / served * 100, 1),
            "satisfaction": round(sum(row["satisfaction"] for row in windows) / len(windows), 1),
            "on_time": round(sum(row["on_time"] for row in windows) / len(windows), 1),
            "red": sum(row["light"] == "红灯" for row in cases),
            "yellow": sum(row["light"] == "黄灯" for row in cases),
            "bad_reviews": len(complaints),
        },
        "windows": windows,
        "red_flag": windows[0],
        "concern": [row for row in windows if row["score"] < 90],
        "departments": departments,
        "department_chart": [(row["name"].removeprefix("市"), row["score"]) for row in departments],
        "zone_chart": [
            (f"{zone}区", round(sum(changes) / len(changes), 1))
            for zone, changes in sorted(zones.items())
        ],
        "findings": findings,
        "cases": cases,
        "complaints": complaints,
    }


def sample_bulletin_html(*, for_pdf=True):
    """The sample bulletin as HTML: the specimen template with sample_bulletin_context()."""
    from django.template import engines

    template = engines["django"].from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(sample_bulletin_context(for_pdf=for_pdf))
