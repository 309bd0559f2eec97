"""The demo catalogue: the service items each department handles (事项清单).

An item splits into guides by handling case (新办/变更/延续/注销, GB/T 39554.1 业务办理项):
`Item.cases` maps each case to the word that names it in the title, so
"食品经营许可证{}" with LICENCE gives 食品经营许可证核发 / 变更 / 延续 / 注销. Each guide then has
2–4 handling situations (办理情形) with their own materials, limits and fees: written out
where an item has real variants (买卖/赠与/继承), generic by case otherwise (GENERIC_SITUATIONS).

Fields given as a dict are per case; a plain value applies to every case.
"""

from dataclasses import dataclass, field

# GB/T 39554.1 item type abbreviations → cms.choices.ItemType keys.
ITEM_TYPES = {
    "XK": "permit",
    "QR": "confirmation",
    "ZS": "levy",
    "JF": "benefit",
    "JL": "reward",
    "JC": "inspection",
    "QT": "other_power",
    "GG": "public_service",
    "BM": "convenience",
}

# Case words: how each handling case names the guide.
REG = {"new": "设立", "change": "变更", "cancellation": "注销"}
REG_SELF = {"new": "注册", "change": "变更", "cancellation": "注销"}
LICENCE = {"new": "核发", "change": "变更", "renewal": "延续", "cancellation": "注销"}
LICENCE3 = {"new": "核发", "change": "变更", "cancellation": "注销"}
PRACTICE = {"new": "首次注册", "change": "变更注册", "cancellation": "注销注册"}
PRACTICE4 = {
    "new": "首次注册",
    "change": "变更注册",
    "renewal": "延续注册",
    "cancellation": "注销注册",
}
CONTRIBUTION = {"new": "登记", "change": "变更", "cancellation": "注销"}
SOCIAL_ORG = {"new": "成立登记", "change": "变更登记", "cancellation": "注销登记"}
DOCUMENT = {"new": "首次申领", "renewal": "换领", "other": "补领"}


@dataclass(frozen=True)
class S:
    """A handling situation: name, description, extra material keys, promised/legal days
    (None: the guide's), fee text ("" means the guide's fee)."""

    name: str
    description: str = ""
    materials: tuple = ()
    days: int | None = None
    legal: int | None = None
    fee: str = ""


@dataclass(frozen=True)
class Item:
    name: str  # title, or a pattern with {} for the case word
    type: str  # ITEM_TYPES key
    audience: str  # person / legal / both
    themes: tuple
    days: tuple  # (legal, promised) working days for the new case
    result: str
    cases: dict = field(default_factory=lambda: {"new": ""})
    materials: tuple | dict = ()
    form: str = ""  # a shared form's material key; empty: the item's own form
    bases: tuple = ()  # policy keys: creation, implementation[, supervision]
    hf: tuple = ()  # high-frequency cases
    online: bool = False  # can be handled entirely online (零上门)
    visits: int | None = None  # hall visits when not online (default 1)
    situations: tuple | dict = ()
    special: tuple | dict = ()  # (name, days, counted in limit, description)
    fee: tuple | dict = ()  # (standard, basis)
    popular: str = ""
    summary: str = ""
    scope: str = ""
    conditions: tuple | dict = ()
    nearby: bool = False  # 就近办 at community centres
    citywide: bool = False  # 全城通办
    tolerance: bool = False  # 容缺受理
    result_by_case: dict = field(default_factory=dict)


def for_case(value, case, default=()):
    """A field's value for one handling case."""
    if isinstance(value, dict):
        return value.get(case, default)
    return value


# Generic handling situations by case, used where an item gives none for that case.
# {applicant} is 申请人本人 for people, 法定代表人（负责人） for organisations.
GENERIC_SITUATIONS = {
    "new": (
        S("{applicant}办理", "申请人按要求备齐材料，本人到窗口或在网上提交申请。"),
        S(
            "委托代理人办理",
            "申请人委托他人代为办理，代理人须持授权委托书和本人身份证件。",
            ("power_of_attorney", "agent_id"),
        ),
    ),
    "change": (
        S(
            "一般登记事项变更",
            "名称、联系方式等不涉及许可条件的事项变更，材料齐全即时办结。",
            (),
            0,
        ),
        S(
            "涉及许可条件的变更",
            "经营场所、主要设施设备、负责人等影响许可条件的变更，需审查或核查。",
            ("change_proof",),
        ),
    ),
    "renewal": (
        S("有效期届满前申请延续", "在有效期届满30个工作日前提出申请，条件未发生变化。"),
        S(
            "条件发生变化的延续",
            "延续时同时涉及场所、人员或设施设备变化的，一并审查。",
            ("change_proof",),
        ),
    ),
    "cancellation": (
        S("主动申请注销", "不再从事相关活动，主动申请注销。", (), 0),
        S(
            "证件遗失后申请注销",
            "原证件遗失的，提交遗失声明后办理注销。",
            ("loss_statement",),
            0,
        ),
    ),
    "other": (
        S("{applicant}办理", "申请人本人到窗口办理或在网上提交申请。"),
        S(
            "委托代理人办理",
            "委托他人代为办理，代理人须持授权委托书和本人身份证件。",
            ("power_of_attorney", "agent_id"),
        ),
    ),
}

# Per-department defaults: legal bases, conditions, refusal grounds, FAQ pool and the
# service flags that follow from where the department's windows sit.
DEPARTMENT_DEFAULTS = {
    "market": {
        "bases": ("scztdj", "scztdj_xz"),
        "conditions": (
            "申请人具有相应的民事行为能力，依法可以成为投资人；",
            "名称符合企业名称登记管理的规定，经营范围从国家统一规范目录中选择；",
            "有符合规定的住所（经营场所）。",
        ),
        "refusal": (
            "申请材料存在虚假内容或者提交的材料不齐全且逾期未补正的；",
            "申请事项依法不属于本机关职权范围的；",
            "被列入经营异常名录或严重违法失信名单，依法限制办理相关登记的。",
        ),
        "faq": (
            (
                "可以不到大厅，在网上办理营业执照吗？",
                "可以。登录“一网通办”平台企业开办专区填报，电子签名后提交，审核通过即可下载电子营业执照，纸质执照可选择免费邮寄。",
            ),
            (
                "住所没有产权证明怎么办？",
                "本市实行住所（经营场所）申报承诺制，申请人对住所的真实性、合法性作出承诺即可，登记机关不再要求提交产权证明。",
            ),
            (
                "营业执照遗失了如何补领？",
                "可在国家企业信用信息公示系统免费发布遗失公告，再到B区窗口或在网上申请补领，当场办结。",
            ),
        ),
        "saturday": False,
    },
    "estate": {
        "bases": ("bdcdj", "bdcdj_xz"),
        "conditions": (
            "申请人为不动产权利人或者依法可以申请登记的其他人；",
            "不动产界址清楚、面积准确，权属来源合法；",
            "申请登记事项与不动产登记簿的记载不冲突。",
        ),
        "refusal": (
            "违反法律、行政法规规定的；",
            "存在尚未解决的权属争议的；",
            "申请登记的不动产权利超过规定期限的；",
            "不动产被依法查封或者以其他形式限制处分的（法律另有规定的除外）。",
        ),
        "faq": (
            (
                "二手房过户要跑几个窗口？",
                "不用。C区综合窗口一窗受理交易、缴税和登记，材料只交一次，税费缴纳后当场或1个工作日内领证，也可选择邮寄。",
            ),
            (
                "不动产权证书能邮寄吗？",
                "可以。受理时选择邮寄送达并填写地址，证书办结后由中心免费寄出，也可使用一楼24小时自助柜领取。",
            ),
            (
                "继承房产必须先办继承公证吗？",
                "不必。全体继承人可到场签署继承告知承诺书，由登记机构查验后公示15个工作日，无异议的予以登记。",
            ),
        ),
        "saturday": True,
    },
    "police": {
        "bases": ("hkdj", "sfzf"),
        "conditions": (
            "申请人户籍或居住地在本市；",
            "符合本市户籍管理规定的相关条件。",
        ),
        "refusal": (
            "提交虚假材料或冒用他人身份信息的；",
            "不符合户口登记或迁移政策规定条件的。",
        ),
        "faq": (
            (
                "身份证到期了可以在外地换领吗？",
                "可以。居民身份证换领、补领已实现全国通办，可在居住地任一公安户政窗口办理，制证后可选择邮寄。",
            ),
            (
                "未满16周岁可以申领身份证吗？",
                "可以。未满16周岁的公民由监护人代为申领，须本人到场采集照片和指纹。",
            ),
            (
                "周末可以办理户籍业务吗？",
                "D区公安户政窗口周六上午9:00-12:00正常办理户籍和身份证业务。",
            ),
        ),
        "saturday": True,
        "citywide": True,
    },
    "hrss": {
        "bases": ("shbxf",),
        "conditions": (
            "符合国家和本市社会保险、就业政策规定的参保或享受待遇条件；",
            "申请人信息真实、完整。",
        ),
        "refusal": (
            "不符合参保或待遇享受条件的；",
            "重复参保或重复领取待遇的。",
        ),
        "faq": (
            (
                "社保业务能在手机上办吗？",
                "参保登记、缴费基数查询、养老金资格认证、个人权益记录打印等可在“示范通”App办理，无需到窗口。",
            ),
            (
                "可以在家门口的社区办吗？",
                "灵活就业人员参保、城乡居民养老保险登记等事项已下沉到各街道便民服务中心，可就近办理。",
            ),
            (
                "材料不全能先受理吗？",
                "主要材料齐全、次要材料暂缺的，可申请容缺受理，签署承诺书后在规定期限内补齐。",
            ),
        ),
        "saturday": True,
        "nearby": True,
        "citywide": True,
    },
    "medical": {
        "bases": ("shbxf", "ybjj"),
        "conditions": ("符合国家和本市医疗保障政策规定的条件；", "申请人信息真实、完整。"),
        "refusal": ("不符合医疗保障待遇享受条件的；", "重复报销或提供虚假票据的。"),
        "faq": (
            (
                "异地就医备案后多久生效？",
                "通过国家医保服务平台App或窗口备案后即时生效，备案地定点医疗机构可直接结算。",
            ),
            (
                "医保报销需要原始票据吗？",
                "已实行电子票据的医疗机构可在线推送票据，无需提交纸质原件；纸质票据须提交原件。",
            ),
        ),
        "saturday": True,
        "nearby": True,
        "citywide": True,
    },
    "fund": {
        "bases": ("gjj", "gjj_withdraw"),
        "conditions": ("住房公积金账户状态正常；", "符合本市住房公积金管理规定的提取或贷款条件。"),
        "refusal": (
            "提供虚假材料骗提骗贷住房公积金的；",
            "同一套住房已办理过同类提取的；",
            "存在逾期未还的住房公积金贷款的。",
        ),
        "faq": (
            (
                "租房提取一年可以提几次？",
                "按月或按年提取均可，每年提取总额不超过当年实际支付的租金，且不超过本市规定的年度限额。",
            ),
            (
                "公积金提取要到窗口吗？",
                "绝大多数提取业务可通过“示范通”App或公积金网上服务大厅办理，资金实时到账本人银行卡。",
            ),
            (
                "异地购房能提取吗？",
                "可以。在户籍地或工作地以外购房的，凭购房合同和发票申请提取，信息可通过全国住房公积金平台核验。",
            ),
        ),
        "saturday": False,
        "citywide": True,
    },
    "tax": {
        "bases": ("ssgl",),
        "conditions": ("纳税人已办理登记或信息确认；", "无未结清的欠税和未处理的违法行为。"),
        "refusal": ("纳税人存在未办结的涉税违法行为的；", "提供的资料不全且未按要求补正的。"),
        "faq": (
            (
                "新办企业什么时候可以领发票？",
                "在企业开办环节一并申领，办理营业执照的同时即可确认税务信息、领用发票，当天即可开票。",
            ),
            (
                "可以网上代开发票吗？",
                "可以。通过电子税务局或自助办税终端代开，无需到窗口。",
            ),
        ),
        "saturday": False,
    },
    "civil": {
        "bases": ("shjz",),
        "conditions": (
            "符合国家和本市社会救助、社会福利或登记管理政策规定的条件；",
            "如实申报家庭人口、收入和财产状况。",
        ),
        "refusal": ("隐瞒或虚报家庭收入和财产状况的；", "不符合政策规定条件的。"),
        "faq": (
            (
                "结婚登记需要预约吗？",
                "可通过“示范通”App预约，也可现场取号；每年5月20日等集中登记日建议提前预约。",
            ),
            (
                "低保可以在社区申请吗？",
                "可以。向户籍所在地街道（乡镇）便民服务中心申请，也可委托村（居）委会代为提出。",
            ),
        ),
        "saturday": False,
        "nearby": True,
    },
    "health": {
        "bases": ("ylyjg",),
        "conditions": (
            "申请人具备相应的执业资质或机构设置条件；",
            "场所、设施设备和人员配备符合卫生健康行业标准。",
        ),
        "refusal": (
            "不符合执业条件或卫生标准的；",
            "依法被吊销执业证书不满规定期限的。",
        ),
        "faq": (
            (
                "医师执业注册可以网上办吗？",
                "可以。通过国家医师电子注册系统提交申请，审核通过后生成电子证照，无需到现场。",
            ),
            (
                "公共场所卫生许可要现场检查吗？",
                "实行告知承诺制，申请人承诺符合条件即可当场发证，监管部门在发证后组织核查。",
            ),
        ),
        "saturday": False,
    },
    "transport": {
        "bases": ("dlys",),
        "conditions": (
            "有与其经营业务相适应并经检测合格的车辆；",
            "有符合条件的驾驶人员和健全的安全生产管理制度。",
        ),
        "refusal": ("车辆或人员不符合规定条件的；", "未建立安全生产管理制度的。"),
        "faq": (
            (
                "道路运输证可以在网上年审吗？",
                "可以，车辆年审通过交通运输电子政务平台办理，信息与检测机构共享。",
            ),
        ),
        "saturday": False,
    },
    "planning": {
        "bases": ("cxgh",),
        "conditions": (
            "建设项目符合国土空间规划和用途管制要求；",
            "已取得规划条件或前置审批文件。",
        ),
        "refusal": (
            "不符合国土空间规划的；",
            "未取得依法应当先行取得的审批文件的。",
        ),
        "faq": (
            (
                "规划许可可以和用地审批合并办理吗？",
                "本市已将建设用地规划许可证和建设用地批准书合并，以出让方式取得土地的项目签订出让合同后一并核发。",
            ),
        ),
        "saturday": False,
        "tolerance": True,
    },
    "housing": {
        "bases": ("jzf",),
        "conditions": (
            "建设单位已依法取得用地和规划手续；",
            "建设资金已经落实，施工单位已经确定。",
        ),
        "refusal": ("不符合法定条件的；", "存在未整改完毕的质量安全问题的。"),
        "faq": (
            (
                "施工许可能不能分段办理？",
                "可以。符合条件的项目可按基础、主体等阶段分段申请施工许可。",
            ),
            (
                "网签备案要本人到场吗？",
                "新建商品房由开发企业在线办理网签备案；存量房买卖可在C区窗口或线上由买卖双方确认后完成。",
            ),
        ),
        "saturday": False,
        "tolerance": True,
    },
    "ecology": {
        "bases": ("hpf",),
        "conditions": (
            "建设项目符合生态环境分区管控和产业政策要求；",
            "环境影响评价文件编制规范、结论明确。",
        ),
        "refusal": (
            "建设项目类型及其选址、布局、规模等不符合环境保护法律法规和相关法定规划的；",
            "环境影响评价文件基础资料明显不实，内容存在重大缺陷的。",
        ),
        "faq": (
            (
                "哪些项目只需填报环境影响登记表？",
                "对环境影响很小、不需要进行环境影响评价的项目，在线填报登记表后即时完成备案。",
            ),
        ),
        "saturday": False,
        "tolerance": True,
    },
    "education": {
        "bases": ("jszg",),
        "conditions": ("符合国家和本市教育政策规定的条件；", "申请人信息真实、完整。"),
        "refusal": ("不符合政策规定条件的；", "提供虚假材料的。"),
        "faq": (
            (
                "教师资格认定可以全程网办吗？",
                "网上报名后，学历、普通话证书等可在线核验，体检合格后审核，证书可邮寄。",
            ),
        ),
        "saturday": False,
    },
    "culture": {
        "bases": ("ylcs",),
        "conditions": ("经营场所符合安全和消防要求；", "有与经营活动相适应的专业人员和设施设备。"),
        "refusal": ("经营场所不符合规定的；", "法律法规禁止从事相关经营活动的。"),
        "faq": (
            (
                "开办歌舞娱乐场所需要哪些审批？",
                "先办理营业执照，再向文旅部门申请娱乐经营许可；消防安全检查在投入使用、营业前完成。",
            ),
        ),
        "saturday": False,
    },
    "urban": {
        "bases": ("csrq",),
        "conditions": ("符合城市容貌标准和市政设施管理规定；", "不影响公共安全和道路通行。"),
        "refusal": ("影响城市道路通行或公共安全的；", "不符合设置规划的。"),
        "faq": (
            (
                "临时占用道路需要多长时间审批？",
                "材料齐全的，一般3个工作日内办结；涉及交通组织的，同时征求公安交管部门意见。",
            ),
        ),
        "saturday": False,
    },
    "emergency": {
        "bases": ("whp",),
        "conditions": (
            "有符合规定的经营场所和储存设施；",
            "主要负责人和安全生产管理人员经考核合格。",
        ),
        "refusal": ("经营场所或储存设施不符合安全要求的；", "未建立安全生产管理制度的。"),
        "faq": (
            (
                "烟花爆竹零售许可每年都要办吗？",
                "零售经营许可证有效期一般不超过两年，到期前重新申请；春节前集中受理。",
            ),
        ),
        "saturday": False,
    },
    "veterans": {
        "bases": ("tyjr",),
        "conditions": ("申请人为本市户籍或安置在本市的退役军人及其他优抚对象；",),
        "refusal": ("不符合优待或抚恤条件的；",),
        "faq": (
            (
                "退役军人优待证在哪里申领？",
                "可通过“示范通”App或H区窗口申请，也可由户籍所在地退役军人服务站代为提交。",
            ),
        ),
        "saturday": False,
        "nearby": True,
    },
    "disabled": {
        "bases": ("cjr",),
        "conditions": ("申请人具有本市户籍；", "经指定机构评定符合残疾标准。"),
        "refusal": ("评定结论不符合残疾标准的；",),
        "faq": (
            (
                "残疾人证能邮寄吗？",
                "可以。评定通过后，残疾人证可免费邮寄到家，行动不便的可申请上门评残服务。",
            ),
        ),
        "saturday": False,
        "nearby": True,
    },
}

for _key, _bases, _conditions, _refusal, _faq in (
    (
        "water",
        ("qsxk",),
        ("取水、排水和涉河建设符合水资源规划和防洪要求；", "已编制必要的论证或设计文件。"),
        ("不符合水资源管理或防洪要求的；", "论证或设计文件存在重大缺陷的。"),
        (
            (
                "取水许可证有效期多长？",
                "取水许可证有效期一般为5年，最长不超过10年，期满前45日申请延续。",
            ),
        ),
    ),
    (
        "agriculture",
        ("nygl",),
        ("有与经营规模相适应的营业场所和仓储设施；", "有具备相应专业知识的技术人员。"),
        ("经营场所或仓储设施不符合要求的；", "被吊销许可证未满规定期限的。"),
        (
            (
                "农药经营许可证可以在乡镇办理吗？",
                "可以。限制使用农药以外的农药经营许可，可在乡镇便民服务中心提交申请。",
            ),
        ),
    ),
    (
        "commerce",
        ("bfjdc",),
        ("符合行业管理规定的经营条件；",),
        ("不符合行业管理规定的；",),
        (
            (
                "预付卡备案需要多长时间？",
                "发卡企业在开展业务之日起30日内在线备案，材料齐全的即时办结。",
            ),
        ),
    ),
):
    DEPARTMENT_DEFAULTS[_key] = {
        "bases": _bases,
        "conditions": _conditions,
        "refusal": _refusal,
        "faq": _faq,
        "saturday": False,
        "tolerance": _key == "water",
        "nearby": _key == "agriculture",
    }

# FAQ shared by every department.
COMMON_FAQ = (
    (
        "办理结果可以邮寄吗？",
        "可以。受理时选择免费邮寄并留下收件地址，办结后由中心统一寄出，邮费由政府承担。",
    ),
    (
        "材料不齐怎么办？",
        "窗口会一次性告知需要补正的全部材料；符合容缺受理条件的，可先受理后补齐。",
    ),
    (
        "怎样查询办理进度？",
        "凭受理回执上的办件编号，在网上大厅、“示范通”App或拨打12345查询进度。",
    ),
    (
        "对窗口服务不满意怎么反映？",
        "可在窗口评价器或“示范通”App上给予评价，也可拨打投诉电话，差评由中心督查科回访整改。",
    ),
)

# Fees shared by several items.
ESTATE_FEE = (
    "住宅类不动产登记费每件80元，非住宅类每件550元，含第一本证书工本费；每增加一本证书加收工本费10元。小微企业、个体工商户按规定免收。",
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
)
ID_CARD_FEE = (
    "申领、换领居民身份证工本费20元；丢失、损坏补领40元。享受最低生活保障的按规定减免。",
    "国家发展改革委、财政部关于居民身份证工本费标准的规定",
)

# fmt: off
ITEMS = {
    "market": (
        Item(
            "有限责任公司{}登记", "XK", "legal", ("企业开办",), (3, 0), "营业执照",
            cases=REG, form="company_form", hf=("new", "cancellation"), online=True,
            materials={
                "new": ("legal_rep_id", "articles", "address_proof"),
                "change": ("business_licence", "resolution"),
                "cancellation": ("business_licence", "resolution"),
            },
            situations={
                "new": (
                    S("全程网办（电子营业执照）", "在“一网通办”平台填报，全体股东电子签名，审核通过后下载电子营业执照。", (), 0),
                    S("窗口办理", "在B区企业开办综合窗口提交纸质材料，当场领取营业执照和免费印章。", (), 0),
                    S("委托代理人办理", "委托代理机构或他人办理。", ("power_of_attorney", "agent_id"), 0),
                ),
                "change": (
                    S("变更名称或住所", "", ("address_proof",), 0),
                    S("变更法定代表人、董事、监事", "须提交新任人员的任免文件和身份证件。", ("change_proof",), 0),
                    S("减少注册资本", "须通过国家企业信用信息公示系统公告满45日后申请。", ("change_proof",), 1),
                ),
                "cancellation": (
                    S("简易注销", "未发生债权债务或已将债权债务清偿完结的，公示期满20日无异议后办理。", ("commitment",), 0),
                    S("普通注销", "经清算后申请注销，须提交清算报告和清税证明。", ("liquidation_report", "tax_clearance"), 1),
                ),
            },
            special={
                "change": (("减资公告", 45, False, "减少注册资本的，应当自作出决议之日起在国家企业信用信息公示系统公告，公告期满45日后申请登记。"),),
                "cancellation": (("简易注销公告", 20, False, "通过国家企业信用信息公示系统公示20日，期满无异议的办理注销。"),),
            },
            popular="开公司、注册公司、办营业执照",
            summary="设立、变更、注销有限责任公司，领取或交回营业执照。",
        ),
        Item(
            "股份有限公司{}登记", "XK", "legal", ("企业开办",), (3, 0), "营业执照",
            cases=REG, form="company_form", online=True,
            materials={
                "new": ("legal_rep_id", "articles", "address_proof", "resolution"),
                "change": ("business_licence", "resolution"),
                "cancellation": ("business_licence", "resolution", "liquidation_report"),
            },
            popular="股份公司登记",
        ),
        Item(
            "个体工商户{}登记", "XK", "person", ("企业开办",), (3, 0), "营业执照",
            cases=REG_SELF, hf=("new", "change", "cancellation"), online=True, nearby=True,
            materials={
                "new": ("id_card", "address_proof"),
                "change": ("id_card", "business_licence"),
                "cancellation": ("id_card", "business_licence"),
            },
            bases=("cjgtgsh", "scztdj"),
            situations={
                "new": (
                    S("经营者本人网上申请", "通过“示范通”App刷脸认证后在线填报，当场生成电子营业执照。", (), 0),
                    S("到便民服务中心申请", "到经营场所所在街道（乡镇）便民服务中心办理。", (), 0),
                    S("家庭经营", "以家庭成员共同经营的，须登记参加经营的家庭成员姓名。", ("hukou",), 0),
                ),
            },
            popular="开店、办个体执照、个体户营业执照",
            summary="个人从事工商业经营，办理个体工商户注册、变更或注销登记。",
        ),
        Item(
            "个人独资企业{}登记", "XK", "person", ("企业开办",), (3, 0), "营业执照",
            cases=REG, form="entity_form", online=True,
            materials={
                "new": ("id_card", "address_proof"),
                "change": ("business_licence", "change_proof"),
                "cancellation": ("business_licence", "tax_clearance"),
            },
        ),
        Item(
            "合伙企业{}登记", "XK", "legal", ("企业开办",), (3, 0), "营业执照",
            cases=REG, form="entity_form", online=True,
            materials={
                "new": ("partnership_agreement", "staff_ids", "address_proof"),
                "change": ("business_licence", "partnership_agreement"),
                "cancellation": ("business_licence", "liquidation_report"),
            },
        ),
        Item(
            "农民专业合作社{}登记", "XK", "legal", ("企业开办",), (3, 0), "营业执照",
            cases=REG, form="entity_form", nearby=True,
            materials={
                "new": ("articles", "staff_ids", "address_proof"),
                "change": ("business_licence", "resolution"),
                "cancellation": ("business_licence", "liquidation_report"),
            },
        ),
        Item(
            "食品经营许可证{}", "XK", "both", ("准营准办",), (10, 1), "食品经营许可证",
            cases=LICENCE, hf=("new",), tolerance=True,
            materials={
                "new": ("business_licence", "site_plan", "food_safety_rules", "health_certificates"),
                "change": ("change_proof",),
                "renewal": ("food_safety_rules",),
            },
            bases=("spaqf", "spjyxk"),
            situations={
                "new": (
                    S("仅销售预包装食品（备案）", "仅销售预包装食品的，办理备案，当场完成。", (), 0),
                    S("餐饮服务", "从事餐饮服务的，须审查经营场所布局和设施设备，必要时现场核查。", ("equipment_list",), 3),
                    S("单位食堂", "机关、学校、企业等单位食堂。", ("equipment_list",), 3),
                    S("告知承诺方式申请", "申请人承诺符合条件，当场发证，发证后20个工作日内核查。", ("commitment",), 0),
                ),
            },
            special={"new": (("现场核查", 5, False, "需要现场核查的，审查部门指派两名以上核查人员到经营场所核查。"),)},
            popular="餐饮许可证、开饭店办证",
            summary="从事食品销售和餐饮服务前，取得食品经营许可证。",
        ),
        Item(
            "食品生产许可证{}", "XK", "legal", ("准营准办",), (10, 3), "食品生产许可证",
            cases=LICENCE, tolerance=True, visits=2,
            materials={
                "new": ("business_licence", "site_plan", "equipment_list", "food_safety_rules"),
                "change": ("change_proof",),
                "renewal": ("equipment_list",),
            },
            bases=("spaqf", "spscxk"),
            special={
                "new": (("现场核查", 10, False, "对申请人的生产场所、设备设施、管理制度进行现场核查。"),),
                "renewal": (("现场核查", 10, False, "生产条件发生变化的进行现场核查。"),),
            },
        ),
        Item(
            "药品零售企业经营许可证{}", "XK", "legal", ("准营准办",), (15, 3), "药品经营许可证",
            cases=LICENCE, visits=2,
            materials={
                "new": ("business_licence", "site_plan", "professional_qualification", "equipment_list"),
                "change": ("change_proof", "professional_qualification"),
            },
            bases=("yppgl",),
            special={"new": (("现场检查验收", 10, False, "对经营场所、仓储设施和质量管理体系进行验收。"),)},
            popular="开药店",
        ),
        Item(
            "第二类医疗器械经营备案", "QT", "legal", ("准营准办",), (5, 0), "第二类医疗器械经营备案凭证",
            materials=("business_licence", "site_plan", "professional_qualification"), online=True,
            bases=("ylqx",),
        ),
        Item(
            "特种设备使用登记{}", "XK", "legal", ("准营准办",), (15, 0), "特种设备使用登记证",
            cases={"new": "", "change": "变更", "cancellation": "注销"},
            materials=("business_licence", "equipment_list"), online=True,
            bases=("tzsb",),
        ),
        Item(
            "营业执照遗失补领", "QT", "both", ("企业开办",), (3, 0), "营业执照",
            materials=("loss_statement",), form="company_form", online=True,
            summary="营业执照遗失或毁损的，公告后申请补领。",
        ),
        Item(
            "分公司{}登记", "XK", "legal", ("企业开办",), (3, 0), "营业执照",
            cases=REG, form="company_form", online=True,
            materials={
                "new": ("business_licence", "address_proof", "staff_ids"),
                "change": ("business_licence", "change_proof"),
                "cancellation": ("business_licence",),
            },
        ),
        Item(
            "特种设备作业人员资格认定", "XK", "person", ("就业创业",), (20, 3), "特种设备作业人员证",
            materials=("id_card", "diploma", "physical_exam"), visits=2, bases=("tzsb",),
            special=(("考试", 5, False, "由考试机构组织理论和实际操作考试。"),),
        ),
        Item(
            "市场主体年度报告公示", "GG", "legal", ("企业开办",), (1, 0), "年度报告公示信息",
            materials=("business_licence",), online=True,
            summary="每年1月1日至6月30日，通过国家企业信用信息公示系统报送上一年度年度报告。",
        ),
        Item(
            "小餐饮登记", "QT", "person", ("准营准办",), (5, 0), "小餐饮登记证",
            materials=("id_card", "address_proof", "health_certificates"), nearby=True, bases=("spaqf",),
        ),
    ),
    "estate": (
        Item(
            "国有建设用地使用权及房屋所有权首次登记", "QR", "legal", ("不动产",), (30, 5), "不动产权证书",
            materials=("business_licence", "land_source", "cadastral_survey", "completion_report"),
            form="estate_form", fee=ESTATE_FEE,
            special=(("首次登记公告", 15, False, "登记机构在登记簿记载前公告15个工作日。"),),
            summary="新建房屋竣工后，开发企业申请房屋首次登记（俗称“大证”）。",
        ),
        Item(
            "不动产转移登记", "QR", "person", ("不动产",), (30, 1), "不动产权证书",
            materials=("id_card", "property_cert"), form="estate_form", hf=("new",),
            fee=ESTATE_FEE, citywide=True,
            situations=(
                S("存量房买卖", "二手房买卖，交易、缴税、登记一窗受理。", ("sale_contract", "tax_clearance"), 1),
                S("新建商品房买卖", "开发企业已办理首次登记的，买受人申请转移登记（俗称“小证”）。", ("sale_contract", "purchase_invoice"), 1),
                S("赠与", "直系亲属之间赠与的，契税和个人所得税按规定减免。", ("gift_contract", "hukou"), 3),
                S("继承、受遗赠", "须公示15个工作日。", ("inheritance_proof", "death_proof"), 5),
            ),
            popular="二手房过户、房产过户、办房产证",
            summary="因买卖、赠与、继承等原因发生不动产权利转移的，申请转移登记。",
        ),
        Item(
            "不动产变更登记", "QR", "person", ("不动产",), (30, 1), "不动产权证书",
            materials=("id_card", "property_cert", "change_proof"), form="estate_form",
            situations=(
                S("权利人姓名或名称变更", "", (), 0),
                S("夫妻共有登记（加名）", "婚后将配偶登记为共有人。", ("marriage_cert",), 1),
                S("不动产坐落、面积、用途变更", "", ("cadastral_survey",), 3),
            ),
            popular="房产证加名、改名",
        ),
        Item(
            "不动产注销登记", "QR", "both", ("不动产",), (30, 1), "不动产登记簿注销记载",
            materials=("id_card", "property_cert"), form="estate_form",
            situations=(
                S("不动产灭失", "房屋拆除、土地灭失等。", ("change_proof",), 1),
                S("权利人放弃权利", "", (), 1),
            ),
        ),
        Item(
            "不动产抵押权{}登记", "QR", "both", ("不动产",), (30, 1), "不动产登记证明",
            cases={"new": "首次", "change": "变更", "cancellation": "注销"}, hf=("new", "cancellation"),
            online=True, form="estate_form",
            materials={
                "new": ("property_cert", "mortgage_contract", "legal_rep_id"),
                "change": ("mortgage_contract", "change_proof"),
                "cancellation": ("loss_statement",),
            },
            situations={
                "new": (
                    S("银行按揭贷款抵押", "银行端在线申请，“不见面”办理。", (), 0),
                    S("企业经营贷款抵押", "", ("business_licence",), 1),
                    S("最高额抵押", "", ("resolution",), 1),
                ),
                "cancellation": (
                    S("主债权消灭（贷款还清）", "银行在线申请注销，无需群众到场。", (), 0),
                    S("抵押权人放弃抵押权", "", ("power_of_attorney",), 0),
                ),
            },
            fee={"new": ("每件80元（住宅）或550元（非住宅）。", ESTATE_FEE[1])},
            popular="房产抵押、解押",
        ),
        Item(
            "不动产预告登记{}", "QR", "person", ("不动产",), (30, 1), "不动产登记证明",
            cases={"new": "设立", "cancellation": "注销"}, online=True, form="estate_form",
            materials=("id_card", "sale_contract"),
        ),
        Item(
            "不动产更正登记", "QR", "both", ("不动产",), (30, 5), "不动产权证书",
            materials=("id_card", "property_cert", "change_proof"), form="estate_form",
        ),
        Item(
            "不动产异议登记", "QR", "both", ("不动产",), (30, 1), "不动产登记证明",
            materials=("id_card", "change_proof"), form="estate_form",
            summary="利害关系人认为登记簿记载错误、权利人不同意更正的，可申请异议登记。",
        ),
        Item(
            "居住权{}登记", "QR", "person", ("不动产",), (30, 1), "不动产登记证明",
            cases={"new": "首次", "cancellation": "注销"}, form="estate_form",
            materials={"new": ("id_card", "property_cert", "change_proof"), "cancellation": ("id_card",)},
            bases=("mfd", "bdcdj"),
            summary="依据民法典，以合同或遗嘱设立居住权，申请居住权登记。",
        ),
        Item(
            "不动产权证书{}", "QR", "person", ("不动产",), (30, 1), "不动产权证书",
            cases={"renewal": "换发", "other": "补发"}, form="estate_form",
            materials={"renewal": ("id_card", "property_cert"), "other": ("id_card", "loss_statement")},
            special={"other": (("遗失公告", 15, False, "补发前在门户网站公告15个工作日。"),)},
            fee=("每本证书工本费10元。", ESTATE_FEE[1]),
        ),
        Item(
            "不动产登记资料查询", "GG", "both", ("不动产",), (5, 0), "不动产登记资料查询结果证明",
            materials=("id_card",), online=True, hf=("new",), citywide=True,
            situations=(
                S("权利人查询本人不动产", "自助终端或App刷脸查询，即时打印查询结果。", (), 0),
                S("利害关系人查询", "凭诉讼、交易等证明文件查询。", ("change_proof",), 0),
                S("人民法院、检察院等国家机关查询", "", ("power_of_attorney",), 0),
            ),
            popular="查房产、无房证明",
        ),
    ),
    "police": (
        Item(
            "居民身份证{}", "QR", "person", ("户籍",), (60, 7), "居民身份证",
            cases=DOCUMENT, hf=("renewal", "other"), fee=ID_CARD_FEE, citywide=True,
            materials={"new": ("hukou",), "renewal": ("hukou", "id_card"), "other": ("hukou",)},
            situations={
                "new": (
                    S("年满16周岁首次申领", "本人到场采集人像和指纹。"),
                    S("未满16周岁申领", "由监护人陪同申领。", ("birth_cert",)),
                ),
                "renewal": (
                    S("有效期满换领", "有效期满前三个月内申请换领。"),
                    S("证件损坏或登记项目变更换领", "", ("change_proof",)),
                    S("异地换领（跨省通办）", "在居住地申请，制证后邮寄或到受理地领取。", ("residence_permit",)),
                ),
                "other": (
                    S("本市户籍补领", "", (), 7, None, "40元"),
                    S("异地补领（跨省通办）", "", ("residence_permit",), 15, None, "40元"),
                ),
            },
            special=(("制证", 7, True, "由省级公安机关集中制作证件。"),),
            popular="办身份证、换身份证、补身份证",
        ),
        Item(
            "临时居民身份证申领", "QR", "person", ("户籍",), (3, 0), "临时居民身份证",
            materials=("hukou", "photo"), fee=("工本费10元。", ID_CARD_FEE[1]), citywide=True,
            summary="正在申领、换领、补领居民身份证期间急需使用的，可申领临时居民身份证。",
        ),
        Item(
            "出生登记", "QR", "person", ("户籍", "婚育"), (20, 0), "居民户口簿（本人页）",
            materials=("birth_cert", "hukou", "marriage_cert"), hf=("new",), online=True,
            bases=("hkdj", "hkdj_local"),
            situations=(
                S("婚生子女随父或随母落户", "", (), 0),
                S("非婚生子女落户", "须提供亲子鉴定或相关证明。", ("change_proof",), 3),
                S("新生儿出生“一件事”联办", "与出生医学证明、医保参保、社保卡申领一并办理。", (), 0),
            ),
            popular="新生儿上户口、报户口",
        ),
        Item(
            "死亡注销户口", "QR", "person", ("户籍",), (20, 0), "户口注销证明",
            materials=("death_proof", "hukou"), online=True,
        ),
        Item(
            "投靠类户口迁入", "QR", "person", ("户籍",), (20, 3), "准予迁入证明",
            materials=("id_card", "hukou", "property_cert"), bases=("hkdj", "hkdj_local"),
            situations=(
                S("夫妻投靠", "", ("marriage_cert",), 5),
                S("未成年子女投靠父母", "", ("birth_cert",), 3),
                S("父母投靠子女", "", ("change_proof",), 5),
            ),
        ),
        Item(
            "人才引进落户", "QR", "person", ("户籍", "就业创业"), (20, 3), "准予迁入证明",
            materials=("id_card", "diploma", "labour_contract"), hf=("new",), online=True,
            bases=("hkdj", "hkdj_local"),
            situations=(
                S("全日制大专以上学历毕业生", "", (), 0),
                S("技能人才", "", ("professional_qualification",), 3),
            ),
        ),
        Item(
            "市内户口迁移", "QR", "person", ("户籍",), (20, 0), "居民户口簿",
            materials=("id_card", "hukou", "property_cert"), citywide=True, bases=("hkdj", "hkdj_local"),
        ),
        Item(
            "户口登记项目变更更正", "QR", "person", ("户籍",), (20, 3), "居民户口簿",
            materials=("id_card", "hukou", "change_proof"),
            situations=(
                S("姓名变更", "", (), 10),
                S("出生日期更正", "须提供出生时的原始记录。", ("birth_cert",), 15),
                S("文化程度、婚姻状况等项目变更", "", (), 0),
            ),
        ),
        Item(
            "居住证{}", "QR", "person", ("户籍",), (15, 1), "居住证",
            cases={"new": "申领", "renewal": "签注"}, online=True, citywide=True,
            materials={"new": ("id_card", "lease_contract", "photo"), "renewal": ("residence_permit",)},
            bases=("jzz",),
        ),
        Item(
            "无犯罪记录证明开具", "GG", "person", ("户籍", "就业创业"), (3, 0), "无犯罪记录证明",
            materials=("id_card",), online=True, hf=("new",), citywide=True,
            popular="开无犯罪证明",
        ),
        Item(
            "居民户口簿{}", "QR", "person", ("户籍",), (10, 0), "居民户口簿",
            cases={"renewal": "换领", "other": "补领"}, citywide=True,
            materials={"renewal": ("id_card", "hukou"), "other": ("id_card", "loss_statement")},
        ),
        Item(
            "恢复户口登记", "QR", "person", ("户籍",), (20, 3), "居民户口簿",
            materials=("id_card", "change_proof"), bases=("hkdj", "hkdj_local"),
            situations=(
                S("退出现役恢复户口", "", ("veteran_id",), 3),
                S("出国（境）定居后回国恢复户口", "", ("change_proof",), 10),
                S("刑满释放人员恢复户口", "", ("change_proof",), 3),
            ),
        ),
        Item(
            "户籍证明开具", "GG", "person", ("户籍",), (3, 0), "户籍证明", materials=("id_card",),
            online=True, citywide=True,
        ),
    ),
    "hrss": (
        Item(
            "灵活就业人员参保登记", "QR", "person", ("社保", "就业创业"), (15, 0), "社会保险参保凭证",
            materials=("id_card",), online=True, hf=("new",), form="insurance_form",
            bases=("shbxf", "flexible"),
            situations=(
                S("本市户籍灵活就业人员", "", (), 0),
                S("持本市居住证的外地户籍人员", "", ("residence_permit",), 0),
            ),
            popular="个人交社保、自己交养老保险",
        ),
        Item(
            "企业职工基本养老保险单位参保{}", "QR", "legal", ("社保", "企业开办"), (15, 0), "社会保险登记证明",
            cases=CONTRIBUTION, online=True, form="insurance_form",
            materials={"new": ("business_licence",), "change": ("change_proof",), "cancellation": ("business_licence",)},
        ),
        Item(
            "城乡居民基本养老保险参保登记", "QR", "person", ("社保",), (15, 0), "城乡居民养老保险参保登记表",
            materials=("id_card", "hukou"), online=True, form="insurance_form",
            bases=("shbxf", "cxjmyl"),
        ),
        Item(
            "企业职工基本养老保险关系转移接续", "QR", "person", ("社保",), (45, 10), "参保缴费凭证",
            materials=("id_card",), online=True, citywide=True,
            situations=(
                S("跨省转入", "通过全国社会保险公共服务平台申请。", (), 15),
                S("省内转移", "", (), 5),
            ),
        ),
        Item(
            "职工退休申请及基本养老金申领", "JF", "person", ("社保",), (30, 3), "基本养老金核定表",
            materials=("id_card", "social_card"), hf=("new",), online=True,
            situations=(
                S("正常退休", "达到法定退休年龄的，在达到前一个月提出申请。", (), 5),
                S("弹性提前退休", "", ("commitment",), 5),
                S("因病或非因工致残完全丧失劳动能力退休", "须经劳动能力鉴定。", ("medical_records",), 10),
            ),
            popular="办退休、领养老金",
        ),
        Item(
            "失业保险金申领", "JF", "person", ("社保", "就业创业"), (10, 0), "失业保险待遇核定结果",
            materials=("id_card", "resignation_proof"), online=True, hf=("new",), bases=("shbxf", "sybx"),
        ),
        Item(
            "工伤认定申请", "QR", "both", ("社保",), (60, 10), "认定工伤决定书",
            materials=("id_card", "labour_contract", "medical_records", "work_injury_proof"),
            bases=("shbxf", "gsbx"),
            special=(("调查核实", 15, True, "对事故伤害进行调查核实，必要时委托鉴定。"),),
        ),
        Item(
            "劳动能力鉴定申请", "QR", "person", ("社保",), (60, 20), "劳动能力鉴定结论书",
            materials=("id_card", "medical_records"), visits=2, bases=("shbxf", "gsbx"),
            special=(("专家现场鉴定", 1, True, "申请人按通知时间到鉴定场所接受专家鉴定。"),),
        ),
        Item(
            "就业创业证申领", "GG", "person", ("就业创业",), (5, 0), "就业创业证",
            materials=("id_card",), online=True, bases=("jycj",),
        ),
        Item(
            "创业担保贷款申请", "JF", "person", ("就业创业",), (15, 3), "创业担保贷款审核意见",
            materials=("id_card", "business_licence"), bases=("jycj",),
            special=(("经办银行审贷", 5, False, "经办银行对借款人进行贷前调查并作出审批。"),),
        ),
        Item(
            "社会保障卡{}", "GG", "person", ("社保",), (20, 0), "社会保障卡",
            cases={"new": "申领", "other": "补领换领"}, online=True, hf=("new",),
            materials={"new": ("id_card", "photo"), "other": ("id_card",)},
            situations={
                "other": (
                    S("即时补换（窗口立等可取）", "在E区窗口或银行网点即时制卡。", (), 0),
                    S("邮寄补换", "通过App申请，制卡后免费邮寄。", (), 5),
                ),
            },
        ),
        Item(
            "个人社会保险权益记录打印", "GG", "person", ("社保",), (1, 0), "个人参保证明",
            materials=("id_card",), online=True, hf=("new",),
            popular="打印社保缴费证明",
        ),
        Item(
            "人力资源服务许可{}", "XK", "legal", ("就业创业",), (20, 3), "人力资源服务许可证",
            cases=LICENCE, materials={"new": ("business_licence", "address_proof", "professional_qualification")},
            bases=("rlzy",),
        ),
        Item(
            "劳务派遣经营许可{}", "XK", "legal", ("就业创业",), (20, 3), "劳务派遣经营许可证",
            cases=LICENCE, materials={"new": ("business_licence", "funding_proof", "address_proof")},
            bases=("lwpq",),
        ),
        Item(
            "失业登记", "GG", "person", ("就业创业",), (5, 0), "失业登记证明", materials=("id_card",),
            online=True, bases=("jycj", "shbxf"),
        ),
        Item(
            "就业登记", "GG", "both", ("就业创业",), (5, 0), "就业登记信息", materials=("id_card", "labour_contract"),
            online=True, bases=("jycj", "shbxf"),
        ),
        Item(
            "职业技能提升补贴申领", "JF", "person", ("就业创业",), (20, 3), "补贴发放通知",
            materials=("id_card", "professional_qualification"), online=True, bases=("jycj", "sybx"),
        ),
        Item(
            "一次性创业补贴申领", "JF", "person", ("就业创业",), (20, 3), "补贴发放通知",
            materials=("id_card", "business_licence"), bases=("jycj",),
        ),
        Item(
            "丧葬补助金和抚恤金申领", "JF", "person", ("社保",), (15, 3), "待遇核定结果",
            materials=("death_proof", "id_card", "hukou"), bases=("shbxf",),
            situations=(
                S("参保人员在职期间因病或非因工死亡", "", (), 3),
                S("退休人员死亡", "", ("retirement_proof",), 3),
            ),
        ),
        Item(
            "社会保险缴费基数申报", "QT", "legal", ("社保",), (5, 0), "缴费基数核定结果",
            materials=("business_licence",), online=True,
        ),
        Item(
            "工伤保险待遇核定", "JF", "person", ("社保",), (20, 3), "工伤保险待遇核定表",
            materials=("id_card", "medical_invoices", "medical_records"), bases=("shbxf", "gsbx"),
        ),
    ),
    "medical": (
        Item(
            "城乡居民基本医疗保险参保登记", "QR", "person", ("医保",), (5, 0), "参保登记信息",
            materials=("id_card", "hukou"), online=True, hf=("new",),
            situations=(
                S("本市户籍居民", "", (), 0),
                S("新生儿参保", "出生后可在出生登记时一并参保。", ("birth_cert",), 0),
                S("在校学生", "由学校统一办理。", ("school_enrolment",), 0),
            ),
        ),
        Item(
            "职工基本医疗保险参保登记", "QR", "legal", ("医保", "企业开办"), (5, 0), "参保登记信息",
            materials=("business_licence",), online=True,
        ),
        Item(
            "基本医疗保险关系转移接续", "QR", "person", ("医保",), (15, 5), "参保凭证",
            materials=("id_card",), online=True,
        ),
        Item(
            "跨省异地就医直接结算备案", "QR", "person", ("医保",), (5, 0), "异地就医备案信息",
            materials=("id_card",), online=True, hf=("new",),
            situations=(
                S("异地长期居住人员", "", ("commitment",), 0),
                S("异地工作人员", "", ("labour_contract",), 0),
                S("临时外出就医人员", "", (), 0),
            ),
            popular="异地就医备案",
        ),
        Item(
            "门诊慢特病待遇认定", "QR", "person", ("医保",), (15, 3), "门诊慢特病待遇认定结果",
            materials=("id_card", "medical_records"), bases=("ybjj", "mtb"), nearby=True,
            special=(("专家评审", 5, True, "由定点医疗机构专家按病种标准评定。"),),
        ),
        Item(
            "零星医疗费用报销", "JF", "person", ("医保",), (20, 3), "医疗费用报销结算单",
            materials=("id_card", "medical_invoices", "medical_records"), citywide=True,
            situations=(
                S("异地就医未直接结算", "", (), 10),
                S("急诊抢救", "", (), 5),
            ),
        ),
        Item(
            "生育津贴申领", "JF", "person", ("医保", "婚育"), (15, 0), "生育津贴核定结果",
            materials=("id_card", "birth_cert"), online=True,
        ),
        Item(
            "医疗救助申请", "JF", "person", ("医保", "民政"), (20, 3), "医疗救助审批结果",
            materials=("id_card", "medical_invoices", "family_income"), nearby=True, bases=("ybjj", "shjz"),
        ),
        Item(
            "医药机构申请医保定点", "QT", "legal", ("医保",), (60, 10), "医保定点服务协议",
            materials=("business_licence", "professional_qualification", "equipment_list"),
            special=(("评估和现场核查", 20, True, "组织评估小组对申请机构进行评估和现场核查。"),),
        ),
        Item(
            "医疗保障参保缴费凭证打印", "GG", "person", ("医保",), (1, 0), "参保缴费凭证",
            materials=("id_card",), online=True,
        ),
        Item(
            "长期护理保险待遇申请", "JF", "person", ("医保",), (30, 7), "失能等级评估结论",
            materials=("id_card", "medical_records"), nearby=True,
            special=(("失能等级评估", 10, True, "评估机构上门评估申请人日常生活活动能力。"),),
        ),
    ),
    "fund": (
        Item(
            "住房公积金单位缴存{}", "QR", "legal", ("公积金", "企业开办"), (5, 0), "住房公积金单位登记信息",
            cases=CONTRIBUTION, online=True,
            materials={"new": ("business_licence", "legal_rep_id"), "change": ("change_proof",), "cancellation": ("business_licence",)},
        ),
        Item(
            "住房公积金个人账户转移", "QR", "person", ("公积金",), (5, 0), "转移结果",
            materials=("id_card",), online=True, citywide=True,
        ),
        Item(
            "购买自住住房提取住房公积金", "GG", "person", ("公积金", "不动产"), (3, 0), "提取到账通知",
            materials=("id_card", "purchase_invoice"), form="fund_form", online=True, hf=("new",),
            situations=(
                S("购买新建商品房", "", (), 0),
                S("购买二手房", "", ("property_cert",), 0),
                S("配偶、父母或子女共同提取", "", ("marriage_cert", "hukou"), 0),
            ),
            popular="买房提公积金",
        ),
        Item(
            "租赁住房提取住房公积金", "GG", "person", ("公积金",), (3, 0), "提取到账通知",
            materials=("id_card",), form="fund_form", online=True, hf=("new",),
            situations=(
                S("无房职工租房（按年度限额）", "", (), 0),
                S("租住公共租赁住房", "", ("lease_contract",), 0),
            ),
            popular="租房提公积金",
        ),
        Item(
            "偿还住房贷款提取住房公积金", "GG", "person", ("公积金",), (3, 0), "提取到账通知",
            materials=("id_card", "loan_contract"), form="fund_form", online=True, hf=("new",),
        ),
        Item(
            "离休退休提取住房公积金", "GG", "person", ("公积金", "社保"), (3, 0), "提取到账通知",
            materials=("id_card", "retirement_proof"), form="fund_form", online=True,
        ),
        Item(
            "与单位解除劳动关系提取住房公积金", "GG", "person", ("公积金",), (3, 0), "提取到账通知",
            materials=("id_card", "resignation_proof"), form="fund_form",
            bases=("gjj", "gjj_withdraw_old"),  # not yet updated to the 2023 rules: see the report
        ),
        Item(
            "住房公积金个人住房贷款申请", "GG", "person", ("公积金", "不动产"), (15, 3), "借款合同",
            materials=("id_card", "marriage_cert", "sale_contract"), hf=("new",), bases=("gjj", "gjj_loan"),
            situations=(
                S("购买新建商品房贷款", "", (), 5),
                S("购买二手房贷款", "", ("property_cert",), 5),
                S("组合贷款", "与商业银行贷款组合使用。", ("loan_contract",), 7),
            ),
        ),
        Item(
            "住房公积金贷款提前还款", "GG", "person", ("公积金",), (3, 0), "还款凭证",
            materials=("id_card",), online=True,
        ),
        Item(
            "住房公积金缴存证明打印", "GG", "person", ("公积金",), (1, 0), "缴存证明",
            materials=("id_card",), online=True,
        ),
        Item(
            "住房公积金缴存基数调整", "QT", "legal", ("公积金",), (3, 0), "缴存基数调整结果",
            materials=("business_licence",), online=True,
        ),
        Item(
            "单位降低住房公积金缴存比例或缓缴", "QT", "legal", ("公积金",), (10, 1), "审批结果通知书",
            materials=("business_licence", "resolution", "change_proof"), bases=("gjj", "gjj_withdraw"),
        ),
        Item(
            "出境定居提取住房公积金", "GG", "person", ("公积金",), (3, 0), "提取到账通知",
            materials=("id_card", "change_proof"), form="fund_form",
        ),
    ),
    "tax": (
        Item(
            "新办纳税人套餐式服务", "QT", "legal", ("税务", "企业开办"), (1, 0), "税务信息确认及发票",
            materials=("business_licence",), online=True, hf=("new",),
            summary="新办企业一次性完成税务信息确认、税费种认定、发票领用等事项。",
        ),
        Item(
            "发票领用", "QT", "legal", ("税务",), (5, 0), "发票", materials=("business_licence",),
            online=True, bases=("ssgl", "fpgl"),
        ),
        Item(
            "增值税专用发票（增值税税控系统）最高开票限额审批", "XK", "legal", ("税务",), (20, 0), "准予税务行政许可决定书",
            materials=("business_licence",), online=True, bases=("xzxkf", "fpgl"),
            situations=(
                S("最高开票限额十万元及以下", "", (), 0),
                S("最高开票限额百万元及以上", "须实地查验。", ("change_proof",), 5),
            ),
        ),
        Item(
            "代开增值税发票", "QT", "both", ("税务",), (1, 0), "增值税发票", materials=("id_card",),
            online=True, bases=("ssgl", "fpgl"),
        ),
        Item(
            "个人所得税综合所得汇算清缴", "QT", "person", ("税务",), (1, 0), "申报结果", materials=("id_card",),
            online=True, hf=("new",), bases=("grsds",),
        ),
        Item(
            "契税申报", "ZS", "person", ("税务", "不动产"), (1, 0), "契税完税凭证",
            materials=("id_card", "sale_contract"), hf=("new",), bases=("qs",),
            situations=(
                S("首套住房", "面积140平方米及以下减按1%征收。", ("commitment",), 0),
                S("第二套改善性住房", "", (), 0),
                S("继承、赠与", "", ("inheritance_proof",), 0),
            ),
        ),
        Item(
            "存量房交易税费申报", "ZS", "person", ("税务", "不动产"), (1, 0), "完税凭证",
            materials=("id_card", "sale_contract", "property_cert"), hf=("new",), bases=("qs", "ssgl"),
        ),
        Item(
            "清税申报（税务注销）", "QT", "legal", ("税务", "企业注销"), (20, 0), "清税证明",
            materials=("business_licence",), online=True,
            situations=(
                S("未办理过涉税事宜的即时注销", "", (), 0),
                S("符合容缺条件的即时注销", "", ("commitment",), 0),
                S("一般注销", "", (), 5),
            ),
        ),
        Item(
            "跨区域涉税事项报告", "QT", "legal", ("税务",), (1, 0), "跨区域涉税事项报告表",
            materials=("business_licence",), online=True,
        ),
        Item(
            "增值税一般纳税人登记", "QT", "legal", ("税务",), (1, 0), "税务事项通知书",
            materials=("business_licence",), online=True,
        ),
        Item(
            "纳税缴费信用复评", "QT", "legal", ("税务",), (15, 3), "复评结果",
            materials=("business_licence", "change_proof"), online=True,
        ),
        Item(
            "车辆购置税申报", "ZS", "both", ("税务", "交通出行"), (1, 0), "车辆购置税完税证明",
            materials=("id_card", "vehicle_licence"), online=True,
        ),
        Item(
            "开具税收完税证明", "QT", "both", ("税务",), (1, 0), "税收完税证明", materials=("id_card",),
            online=True,
        ),
        Item(
            "房产税和城镇土地使用税申报", "ZS", "both", ("税务", "不动产"), (1, 0), "申报表",
            materials=("property_cert",), online=True,
        ),
        Item(
            "出口退（免）税备案", "QT", "legal", ("税务",), (5, 0), "出口退（免）税备案回执",
            materials=("business_licence",), online=True,
        ),
    ),
    "civil": (
        Item(
            "内地居民结婚登记", "QR", "person", ("婚育",), (0, 0), "结婚证",
            materials=("id_card", "hukou", "photo", "declaration_no_spouse"), hf=("new",),
            bases=("hydj", "mfd"), visits=1,
            situations=(
                S("双方均为本市户籍", "", (), 0),
                S("一方为外地户籍（全国通办）", "", ("residence_permit",), 0),
            ),
            popular="领结婚证、结婚",
            scope="男女双方均为内地居民，男方年满22周岁、女方年满20周岁，双方自愿结婚。",
        ),
        Item(
            "内地居民离婚登记", "QR", "person", ("婚育",), (0, 0), "离婚证",
            materials=("id_card", "hukou", "marriage_cert", "divorce_agreement"), bases=("hydj", "mfd"),
            visits=2,
            special=(("离婚冷静期", 30, False, "收到申请之日起30日内，任何一方不愿离婚的可撤回申请；期满后30日内双方共同到场领取离婚证。"),),
        ),
        Item(
            "补领婚姻登记证", "QR", "person", ("婚育",), (0, 0), "结婚证或离婚证", online=False,
            materials=("id_card", "hukou", "photo"), bases=("hydj",),
            situations=(S("补领结婚证", "", (), 0), S("补领离婚证", "", (), 0)),
        ),
        Item(
            "最低生活保障审核确认", "JF", "person", ("民政",), (30, 7), "低保审核确认结果",
            materials=("id_card", "hukou", "family_income"), hf=("new",), bases=("shjz", "dibao"),
            special=(("入户调查和公示", 7, True, "街道（乡镇）入户调查，在村（居）务公开栏公示7日。"),),
            situations=(
                S("城市居民最低生活保障", "", (), 10),
                S("农村居民最低生活保障", "", (), 10),
                S("重残、重病人员单人户保障", "", ("disability_assessment",), 10),
            ),
        ),
        Item(
            "特困人员救助供养", "JF", "person", ("民政",), (30, 10), "特困人员救助供养证",
            materials=("id_card", "hukou", "family_income"), bases=("shjz",),
        ),
        Item(
            "临时救助", "JF", "person", ("民政",), (15, 3), "临时救助审批结果",
            materials=("id_card", "family_income", "change_proof"), bases=("shjz",),
            situations=(
                S("急难型临时救助（先行救助）", "情况紧急的先行救助，事后补办手续。", (), 0),
                S("支出型临时救助", "", ("medical_invoices",), 5),
            ),
        ),
        Item(
            "困难残疾人生活补贴和重度残疾人护理补贴申领", "JF", "person", ("民政", "助残服务"), (20, 3), "补贴审核结果",
            materials=("id_card", "hukou"), online=True,
        ),
        Item(
            "高龄津贴申领", "JF", "person", ("民政",), (15, 0), "高龄津贴发放通知", materials=("id_card", "hukou"),
            online=True,
        ),
        Item(
            "社会团体{}", "XK", "legal", ("民政",), (60, 7), "社会团体法人登记证书",
            cases=SOCIAL_ORG, bases=("shttdj",),
            materials={"new": ("articles", "address_proof", "funding_proof", "staff_ids"), "change": ("change_proof", "resolution"), "cancellation": ("liquidation_report",)},
        ),
        Item(
            "民办非企业单位{}", "XK", "legal", ("民政",), (30, 5), "民办非企业单位登记证书",
            cases=SOCIAL_ORG, bases=("mbfqy",),
            materials={"new": ("articles", "address_proof", "funding_proof"), "change": ("change_proof",), "cancellation": ("liquidation_report",)},
        ),
        Item(
            "养老机构备案", "QT", "legal", ("民政",), (5, 0), "养老机构备案回执",
            materials=("business_licence", "address_proof", "safety_rules"), online=True,
        ),
        Item(
            "惠民殡葬补贴申领", "JF", "person", ("民政",), (10, 0), "补贴发放通知", materials=("death_proof", "id_card"),
            online=True,
        ),
        Item(
            "收养登记", "QR", "person", ("婚育", "民政"), (30, 7), "收养登记证",
            materials=("id_card", "hukou", "family_income", "physical_exam"), visits=2, bases=("sydj", "mfd"),
            special=(("收养评估", 20, False, "委托第三方机构对收养能力进行评估。"),),
        ),
        Item(
            "居家养老服务补贴申请", "JF", "person", ("民政",), (15, 0), "补贴审核结果",
            materials=("id_card", "family_income"), online=True,
        ),
        Item(
            "困境儿童基本生活保障", "JF", "person", ("民政",), (30, 5), "保障审核结果",
            materials=("hukou", "birth_cert", "family_income"),
        ),
    ),
    "health": (
        Item(
            "医疗机构执业{}", "XK", "legal", ("卫生健康",), (45, 7), "医疗机构执业许可证",
            cases={"new": "登记", "change": "变更登记", "renewal": "校验", "cancellation": "注销登记"},
            visits=2, tolerance=True,
            materials={"new": ("business_licence", "site_plan", "equipment_list", "professional_qualification"), "change": ("change_proof",), "renewal": ("professional_qualification",)},
            special={"new": (("现场审核", 10, False, "卫生健康部门对场所、设备和人员进行现场审核。"),)},
        ),
        Item(
            "医师执业注册（{}）", "XK", "person", ("卫生健康",), (20, 1), "医师执业证书",
            # Still cites the repealed 执业医师法: the "依据已废止的指南" report finds it.
            cases=PRACTICE, online=True, bases=("zyys_old", "ylyjg"),
            materials={"new": ("medical_qualification", "physical_exam", "labour_contract"), "change": ("medical_qualification", "labour_contract")},
        ),
        Item(
            "护士执业注册（{}）", "XK", "person", ("卫生健康",), (20, 1), "护士执业证书",
            cases=PRACTICE4, online=True, bases=("hszy",),
            materials={"new": ("nurse_exam", "physical_exam", "labour_contract"), "change": ("labour_contract",), "renewal": ("physical_exam",)},
        ),
        Item(
            "公共场所卫生许可{}", "XK", "legal", ("卫生健康", "准营准办"), (20, 0), "公共场所卫生许可证",
            cases={"new": "（新办）", "change": "（变更）", "renewal": "（延续）", "cancellation": "（注销）"},
            hf=("new",), tolerance=True, bases=("ggcs",),
            materials={"new": ("business_licence", "site_plan", "health_certificates", "commitment")},
            popular="宾馆、理发店、游泳馆卫生许可证",
        ),
        Item(
            "放射诊疗许可", "XK", "legal", ("卫生健康",), (20, 5), "放射诊疗许可证",
            materials=("business_licence", "equipment_list", "professional_qualification"), visits=2,
            special=(("技术评审", 15, False, "对放射防护条件进行技术评审。"),),
        ),
        Item(
            "出生医学证明{}", "QR", "person", ("婚育", "卫生健康"), (10, 0), "出生医学证明",
            cases={"new": "首次签发", "other": "补发"}, bases=("mybj",),
            materials={"new": ("id_card",), "other": ("id_card", "hukou", "loss_statement")},
        ),
        Item(
            "生育登记", "GG", "person", ("婚育", "卫生健康"), (1, 0), "生育登记服务单", materials=("id_card",),
            online=True, hf=("new",),
        ),
        Item(
            "母婴保健技术服务执业许可{}", "XK", "legal", ("卫生健康", "婚育"), (20, 5), "母婴保健技术服务执业许可证",
            cases=LICENCE, bases=("mybj",),
            materials={"new": ("professional_qualification", "equipment_list")},
        ),
        Item(
            "中医诊所备案", "QT", "legal", ("卫生健康",), (5, 0), "中医诊所备案证",
            materials=("business_licence", "professional_qualification", "site_plan"), online=True,
        ),
        Item(
            "计划生育家庭特别扶助金申领", "JF", "person", ("卫生健康", "婚育"), (20, 3), "扶助资格确认结果",
            materials=("id_card", "hukou"), nearby=True,
        ),
    ),
    "transport": (
        Item(
            "道路旅客运输经营许可{}", "XK", "legal", ("交通出行",), (20, 3), "道路运输经营许可证",
            cases=LICENCE, bases=("dlys",),
            materials={"new": ("business_licence", "vehicle_inspection", "safety_rules", "driver_licence")},
        ),
        Item(
            "道路货物运输经营许可{}", "XK", "legal", ("交通出行",), (20, 0), "道路运输经营许可证",
            cases=LICENCE3, online=True, bases=("dlys",),
            materials={"new": ("business_licence", "vehicle_licence", "safety_rules")},
        ),
        Item(
            "出租汽车驾驶员从业资格证{}", "XK", "person", ("交通出行",), (10, 0), "从业资格证",
            cases={"new": "核发", "renewal": "换发", "other": "补发"},
            materials=("id_card", "driver_licence"), bases=("wyc",),
        ),
        Item(
            "网络预约出租汽车运输证核发", "XK", "person", ("交通出行",), (10, 0), "网络预约出租汽车运输证",
            materials=("id_card", "vehicle_licence", "vehicle_inspection"), online=True, bases=("wyc",),
        ),
        Item(
            "机动车维修经营备案", "QT", "legal", ("交通出行",), (5, 0), "备案回执",
            materials=("business_licence", "equipment_list"), online=True,
        ),
        Item(
            "超限运输车辆行驶公路许可", "XK", "legal", ("交通出行",), (5, 0), "超限运输车辆通行证",
            materials=("vehicle_licence", "driver_licence"), online=True,
        ),
        Item(
            "涉路施工许可", "XK", "legal", ("交通出行", "工程建设"), (20, 2), "涉路施工许可决定书",
            materials=("design_drawings", "safety_rules"),
        ),
        Item(
            "道路货物运输驾驶员从业资格证{}", "XK", "person", ("交通出行", "就业创业"), (10, 0), "从业资格证",
            cases={"new": "核发", "renewal": "换发", "other": "补发"}, online=True,
            materials=("id_card", "driver_licence"), bases=("dlys",),
        ),
        Item(
            "机动车驾驶员培训经营备案", "QT", "legal", ("交通出行",), (5, 0), "备案回执",
            materials=("business_licence", "vehicle_licence", "safety_rules"),
        ),
    ),
    "planning": (
        Item(
            "建设项目用地预审与选址意见书核发", "XK", "legal", ("工程建设",), (20, 3), "建设项目用地预审与选址意见书",
            materials=("design_drawings", "land_source"), bases=("cxgh", "gcjs"),
        ),
        Item(
            "建设用地规划许可证核发", "XK", "legal", ("工程建设",), (20, 2), "建设用地规划许可证",
            materials=("land_source", "design_drawings"), online=True, bases=("cxgh", "gcjs"),
        ),
        Item(
            "建设工程规划许可证核发", "XK", "legal", ("工程建设",), (20, 3), "建设工程规划许可证",
            materials=("planning_permit_land", "design_drawings"), online=True, bases=("cxgh", "gcjs"),
            special=(("批前公示", 7, False, "总平面图在项目现场和网站公示7日。"),),
        ),
        Item(
            "乡村建设规划许可证核发", "XK", "both", ("工程建设",), (20, 3), "乡村建设规划许可证",
            materials=("id_card", "land_source", "design_drawings"), nearby=True, bases=("cxgh",),
        ),
        Item(
            "建设工程规划条件核实", "QT", "legal", ("工程建设",), (15, 2), "规划条件核实合格证明",
            materials=("planning_permit_works", "cadastral_survey"), bases=("cxgh", "gcjs"),
            special=(("竣工测量", 5, False, "委托测绘单位进行竣工规划测量。"),),
        ),
        Item(
            "临时用地审批", "XK", "legal", ("工程建设",), (20, 3), "临时用地批复",
            materials=("land_source", "design_drawings"),
        ),
    ),
    "housing": (
        Item(
            "建筑工程施工许可证{}", "XK", "legal", ("工程建设",), (7, 1), "建筑工程施工许可证",
            cases={"new": "核发", "change": "变更", "renewal": "延期"}, online=True, hf=("new",),
            bases=("jzf", "sgxk", "gcjs"),
            materials={"new": ("planning_permit_works", "construction_contract", "funding_proof", "design_drawings"), "change": ("change_proof",)},
            situations={
                "new": (
                    S("房屋建筑工程", "", (), 1),
                    S("市政基础设施工程", "", (), 1),
                    S("分段办理（基础工程）", "", ("commitment",), 1),
                ),
            },
        ),
        Item(
            "商品房预售许可", "XK", "legal", ("工程建设", "不动产"), (10, 2), "商品房预售许可证",
            materials=("business_licence", "planning_permit_works", "funding_proof", "construction_contract"),
        ),
        Item(
            "房屋建筑和市政基础设施工程竣工验收备案", "QT", "legal", ("工程建设",), (5, 0), "竣工验收备案证明",
            materials=("completion_report", "planning_permit_works"), online=True, bases=("jzf", "gcjs"),
        ),
        Item(
            "特殊建设工程消防设计审查", "XK", "legal", ("工程建设",), (15, 3), "特殊建设工程消防设计审查意见书",
            materials=("fire_design", "design_drawings"), online=True, bases=("xfsj",),
            special=(("技术审查", 10, False, "委托具备相应能力的技术服务机构开展技术审查。"),),
        ),
        Item(
            "特殊建设工程消防验收", "XK", "legal", ("工程建设",), (15, 3), "特殊建设工程消防验收意见书",
            materials=("fire_design", "completion_report"), visits=2, bases=("xfsj",),
            special=(("现场评定", 5, True, "对建设工程进行现场抽样检查和功能测试。"),),
        ),
        Item(
            "房地产开发企业资质{}", "XK", "legal", ("工程建设",), (20, 3), "房地产开发企业资质证书",
            cases={"new": "核定", "change": "变更", "renewal": "延续"}, online=True,
            materials={"new": ("business_licence", "professional_qualification")},
        ),
        Item(
            "商品房买卖合同网签备案", "QT", "both", ("不动产",), (3, 0), "网签备案合同",
            materials=("id_card", "sale_contract"), online=True, hf=("new",),
        ),
        Item(
            "存量房买卖合同网签备案", "QT", "person", ("不动产",), (3, 0), "网签备案合同",
            materials=("id_card", "property_cert", "sale_contract"), hf=("new",),
        ),
        Item(
            "公共租赁住房申请", "JF", "person", ("不动产", "民政"), (40, 10), "公共租赁住房资格确认结果",
            materials=("id_card", "hukou", "family_income"), nearby=True,
            special=(("资格公示", 10, True, "审核结果在社区和门户网站公示10日。"),),
        ),
        Item(
            "住房租赁合同登记备案", "QT", "person", ("不动产",), (3, 0), "住房租赁登记备案证明",
            materials=("id_card", "lease_contract"), online=True,
        ),
        Item(
            "建筑业企业资质{}", "XK", "legal", ("工程建设",), (20, 3), "建筑业企业资质证书",
            cases={"new": "核定", "change": "变更", "renewal": "延续"}, online=True, bases=("jzzz", "jzf"),
            materials={"new": ("business_licence", "professional_qualification", "equipment_list")},
        ),
        Item(
            "建设工程质量安全监督手续办理", "QT", "legal", ("工程建设",), (5, 0), "工程质量安全监督通知书",
            materials=("construction_contract", "design_drawings"), online=True, bases=("jzf", "gcjs"),
        ),
    ),
    "ecology": (
        Item(
            "建设项目环境影响报告书审批", "XK", "legal", ("生态环境", "工程建设"), (60, 10), "环境影响报告书批复",
            materials=("eia_report", "commitment"), bases=("hpf",),
            special=(
                ("技术评估", 20, False, "委托技术评估机构对报告书进行技术评估。"),
                ("受理公示和拟审批公示", 10, True, "受理后和作出审批决定前分别在网站公示。"),
            ),
        ),
        Item(
            "建设项目环境影响报告表审批", "XK", "legal", ("生态环境", "工程建设"), (30, 5), "环境影响报告表批复",
            materials=("eia_report",), online=True, bases=("hpf",), tolerance=True,
        ),
        Item(
            "建设项目环境影响登记表备案", "QT", "legal", ("生态环境", "工程建设"), (0, 0), "备案回执",
            materials=("business_licence",), online=True, bases=("hpf",),
        ),
        Item(
            "排污许可证{}", "XK", "legal", ("生态环境",), (20, 3), "排污许可证",
            cases=LICENCE, online=True, bases=("pwxk",),
            materials={"new": ("business_licence", "monitoring_plan"), "change": ("change_proof",), "renewal": ("monitoring_plan",)},
        ),
        Item(
            "危险废物经营许可证{}", "XK", "legal", ("生态环境",), (20, 7), "危险废物经营许可证",
            cases=LICENCE, bases=("wxfw",), visits=2,
            materials={"new": ("business_licence", "safety_rules", "professional_qualification", "equipment_list")},
            special={"new": (("专家评审和现场核查", 15, False, "组织专家对经营设施和污染防治措施进行评审和现场核查。"),)},
        ),
        Item(
            "辐射安全许可证{}", "XK", "legal", ("生态环境", "卫生健康"), (20, 3), "辐射安全许可证",
            cases=LICENCE, bases=("fsaq",),
            materials={"new": ("business_licence", "equipment_list", "safety_rules")},
        ),
    ),
    "education": (
        Item(
            "教师资格认定", "QR", "person", ("教育",), (30, 7), "教师资格证书",
            materials=("id_card", "diploma", "mandarin_cert", "physical_exam", "photo"), visits=2,
            bases=("jszg",), hf=("new",),
            situations=(
                S("幼儿园、小学、初级中学教师资格", "", (), 10),
                S("高级中学、中等职业学校教师资格", "", (), 10),
            ),
        ),
        Item(
            "教师资格证书补发换发", "QR", "person", ("教育",), (20, 3), "教师资格证书",
            materials=("id_card", "loss_statement"), bases=("jszg",),
        ),
        Item(
            "义务教育阶段适龄儿童入学登记", "GG", "person", ("教育",), (10, 0), "入学登记回执",
            materials=("hukou", "property_cert", "birth_cert"), online=True, hf=("new",), bases=("ywjy",),
            situations=(
                S("本市户籍适龄儿童", "", (), 0),
                S("随迁子女", "", ("residence_permit", "labour_contract"), 0),
            ),
        ),
        Item(
            "中小学生转学", "GG", "person", ("教育",), (10, 3), "转学联系单",
            materials=("id_card", "school_enrolment"), online=True, bases=("ywjy",),
        ),
        Item(
            "民办学校{}", "XK", "legal", ("教育",), (60, 10), "民办学校办学许可证",
            cases={"new": "设立", "change": "变更", "cancellation": "终止"}, bases=("mbjy",),
            materials={"new": ("articles", "address_proof", "funding_proof", "professional_qualification"), "change": ("change_proof",), "cancellation": ("liquidation_report",)},
            special={"new": (("专家评议", 15, False, "组织专家对办学条件进行评议。"),)},
        ),
        Item(
            "家庭经济困难学生资助申请", "JF", "person", ("教育", "民政"), (15, 3), "资助认定结果",
            materials=("id_card", "family_income"), online=True, bases=("ywjy",),
        ),
        Item(
            "校车使用许可", "XK", "legal", ("教育", "交通出行"), (20, 3), "校车标牌",
            materials=("vehicle_licence", "driver_licence", "safety_rules"), bases=("xcaq",),
        ),
        Item(
            "中小学教师资格定期注册", "QR", "person", ("教育",), (30, 3), "定期注册结果",
            materials=("id_card", "professional_qualification"), online=True, bases=("jszg",),
        ),
    ),
    "culture": (
        Item(
            "娱乐场所经营许可{}", "XK", "legal", ("文化旅游", "准营准办"), (20, 3), "娱乐经营许可证",
            cases=LICENCE3, bases=("ylcs",),
            materials={"new": ("business_licence", "site_plan", "staff_ids")},
            special={"new": (("实地检查", 5, True, "对营业场所进行实地检查。"),)},
        ),
        Item(
            "营业性演出审批", "XK", "legal", ("文化旅游",), (20, 1), "营业性演出准予许可决定书",
            materials=("business_licence", "change_proof"), online=True,
        ),
        Item(
            "旅行社业务经营许可", "XK", "legal", ("文化旅游",), (20, 3), "旅行社业务经营许可证",
            materials=("business_licence", "address_proof", "staff_ids"), bases=("lxs",),
        ),
        Item(
            "互联网上网服务营业场所经营许可", "XK", "legal", ("文化旅游", "准营准办"), (20, 5), "网络文化经营许可证",
            materials=("business_licence", "site_plan", "equipment_list"),
        ),
        Item(
            "出版物零售业务经营许可", "XK", "both", ("文化旅游", "准营准办"), (20, 1), "出版物经营许可证",
            materials=("business_licence", "address_proof"), online=True, bases=("cbgl",),
        ),
        Item(
            "艺术品经营单位备案", "QT", "legal", ("文化旅游",), (5, 0), "备案回执",
            materials=("business_licence",), online=True,
        ),
    ),
    "urban": (
        Item(
            "城市道路临时占用许可", "XK", "both", ("工程建设", "交通出行"), (20, 2), "临时占用城市道路许可决定书",
            materials=("id_card", "site_plan", "safety_rules"), online=True,
        ),
        Item(
            "城市道路挖掘许可", "XK", "legal", ("工程建设",), (20, 2), "城市道路挖掘许可决定书",
            materials=("design_drawings", "safety_rules"),
        ),
        Item(
            "户外广告设施设置许可", "XK", "legal", ("准营准办",), (20, 1), "户外广告设施设置许可决定书",
            materials=("business_licence", "design_drawings"), online=True,
        ),
        Item(
            "城市建筑垃圾处置核准", "XK", "legal", ("工程建设",), (20, 2), "城市建筑垃圾处置核准决定书",
            materials=("construction_contract", "vehicle_licence"), online=True,
        ),
        Item(
            "燃气经营许可证{}", "XK", "legal", ("准营准办",), (20, 5), "燃气经营许可证",
            cases=LICENCE, bases=("csrq",),
            materials={"new": ("business_licence", "safety_rules", "professional_qualification", "equipment_list")},
        ),
        Item(
            "砍伐城市树木审批", "XK", "both", ("工程建设",), (20, 2), "准予砍伐决定书",
            materials=("id_card", "site_plan"), bases=("cslh",),
        ),
        Item(
            "临时占用城市绿地审批", "XK", "legal", ("工程建设",), (20, 2), "准予临时占用绿地决定书",
            materials=("design_drawings", "commitment"), bases=("cslh",),
        ),
        Item(
            "生活垃圾经营性清扫、收集、运输服务许可", "XK", "legal", ("准营准办",), (20, 3), "服务许可证",
            materials=("business_licence", "vehicle_licence", "safety_rules"),
        ),
    ),
    "emergency": (
        Item(
            "危险化学品经营许可证{}", "XK", "legal", ("准营准办",), (30, 5), "危险化学品经营许可证",
            cases=LICENCE, bases=("whp",), visits=2,
            materials={"new": ("business_licence", "safety_rules", "professional_qualification", "site_plan")},
            special={"new": (("现场核查", 10, False, "对经营和储存场所进行现场核查。"),)},
        ),
        Item(
            "烟花爆竹经营（零售）许可证核发", "XK", "person", ("准营准办",), (20, 2), "烟花爆竹经营（零售）许可证",
            materials=("business_licence", "site_plan", "safety_rules"), nearby=True,
        ),
        Item(
            "第三类非药品类易制毒化学品经营备案", "QT", "legal", ("准营准办",), (5, 0), "备案证明",
            materials=("business_licence", "safety_rules"), online=True, bases=("yzd",),
        ),
        Item(
            "生产经营单位生产安全事故应急预案备案", "QT", "legal", ("准营准办",), (5, 0), "备案登记表",
            materials=("safety_rules",), online=True, bases=("aqyj",),
        ),
    ),
    "veterans": (
        Item(
            "退役军人优待证申领", "GG", "person", ("退役军人",), (20, 7), "退役军人优待证",
            materials=("id_card", "veteran_id", "photo"), online=True, hf=("new",),
        ),
        Item(
            "退役士兵自主就业一次性经济补助金发放", "JF", "person", ("退役军人", "就业创业"), (30, 5), "补助金发放通知",
            materials=("id_card", "veteran_id"),
        ),
        Item(
            "伤残抚恤关系转移", "QR", "person", ("退役军人",), (20, 5), "伤残抚恤关系转移证明",
            materials=("id_card", "veteran_id"),
        ),
        Item(
            "退役军人残疾等级评定", "QR", "person", ("退役军人",), (60, 15), "残疾等级评定结论",
            materials=("id_card", "veteran_id", "medical_records"), visits=2,
            special=(("医疗卫生专家小组鉴定", 10, True, "申请人到指定医疗机构接受鉴定。"),),
        ),
    ),
    "disabled": (
        Item(
            "残疾人证{}", "QR", "person", ("助残服务",), (25, 7), "中华人民共和国残疾人证",
            cases={"new": "新办", "renewal": "换领", "change": "迁移", "cancellation": "注销"},
            nearby=True, hf=("new",), visits=2,
            materials={"new": ("id_card", "hukou", "photo", "disability_assessment"), "renewal": ("id_card", "photo"), "change": ("id_card", "hukou"), "cancellation": ("death_proof",)},
            special={"new": (("残疾评定", 5, True, "到指定医疗机构进行残疾评定，行动不便的可申请上门评定。"),)},
        ),
        Item(
            "残疾儿童康复救助申请", "JF", "person", ("助残服务",), (15, 3), "康复救助审核结果",
            materials=("hukou", "birth_cert", "medical_records"), online=True,
        ),
        Item(
            "重度残疾人家庭无障碍改造申请", "JF", "person", ("助残服务",), (30, 5), "改造审核结果",
            materials=("id_card", "property_cert"), nearby=True,
        ),
    ),
    "water": (
        Item(
            "取水许可{}", "XK", "legal", ("工程建设",), (45, 7), "取水许可证",
            cases=LICENCE, bases=("qsxk",),
            materials={"new": ("business_licence", "design_drawings"), "renewal": ("monitoring_plan",)},
            special={"new": (("水资源论证报告技术审查", 15, False, "组织专家对水资源论证报告进行技术审查。"),)},
        ),
        Item(
            "城镇污水排入排水管网许可{}", "XK", "legal", ("工程建设", "生态环境"), (15, 1), "排水许可证",
            cases=LICENCE, online=True, bases=("psxk",),
            materials={"new": ("business_licence", "site_plan", "monitoring_plan")},
        ),
        Item(
            "生产建设项目水土保持方案审批", "XK", "legal", ("工程建设",), (20, 3), "水土保持方案批复",
            materials=("design_drawings",), online=True, bases=("stbc",), tolerance=True,
        ),
        Item(
            "河道管理范围内建设项目工程建设方案审批", "XK", "legal", ("工程建设",), (20, 3), "准予许可决定书",
            materials=("design_drawings", "safety_rules"), bases=("hdgl",),
        ),
    ),
    "agriculture": (
        Item(
            "农药经营许可证{}", "XK", "both", ("准营准办",), (20, 3), "农药经营许可证",
            cases=LICENCE, bases=("nygl",), nearby=True,
            materials={"new": ("business_licence", "site_plan", "professional_qualification")},
        ),
        Item(
            "兽药经营许可证{}", "XK", "both", ("准营准办",), (30, 5), "兽药经营许可证",
            cases=LICENCE, bases=("sygl",),
            materials={"new": ("business_licence", "site_plan", "professional_qualification")},
        ),
        Item(
            "动物防疫条件合格证{}", "XK", "legal", ("准营准办",), (20, 5), "动物防疫条件合格证",
            cases=LICENCE3, bases=("dwfy",), visits=2,
            materials={"new": ("business_licence", "site_plan", "safety_rules")},
            special={"new": (("现场审查", 10, True, "对场所选址、布局和防疫设施进行现场审查。"),)},
        ),
        Item(
            "拖拉机和联合收割机登记", "QR", "person", ("交通出行",), (5, 0), "拖拉机和联合收割机行驶证",
            materials=("id_card", "vehicle_inspection"), nearby=True,
        ),
    ),
    "commerce": (
        Item(
            "单用途商业预付卡发卡企业备案", "QT", "legal", ("准营准办",), (5, 0), "备案回执",
            materials=("business_licence",), online=True, bases=("ykgl",),
        ),
        Item(
            "报废机动车回收拆解企业资质认定{}", "XK", "legal", ("准营准办", "生态环境"), (20, 5), "资质认定书",
            cases={"new": "", "change": "（变更）", "cancellation": "（注销）"}, bases=("bfjdc",),
            materials={"new": ("business_licence", "site_plan", "equipment_list", "safety_rules")},
        ),
    ),
}
# fmt: on

# "One thing" bundles (一件事一次办): title → (life event, audience, window note, guide titles,
# body paragraphs). Guides are named by title; all must exist in the catalogue above.
BUNDLES = (
    (
        "开办企业一件事",
        "新开办一家企业，从领取营业执照到可以开票经营",
        "legal",
        "B区 1-3号企业开办综合窗口",
        (
            "有限责任公司设立登记",
            "新办纳税人套餐式服务",
            "企业职工基本养老保险单位参保登记",
            "职工基本医疗保险参保登记",
            "住房公积金单位缴存登记",
        ),
        (
            "营业执照、印章刻制、税务信息确认和发票领用、社保医保参保、公积金开户，在“一网通办”平台一次填报，数据共享，不再重复提交。",
            "材料齐全的当日办结；新办企业首套印章由政府买单，执照和印章可免费邮寄。",
        ),
    ),
    (
        "新生儿出生一件事",
        "孩子出生后办理出生医学证明、落户、医保参保和社保卡",
        "person",
        "A区 综合受理窗口，或通过“示范通”App在线申请",
        ("出生医学证明首次签发", "出生登记", "城乡居民基本医疗保险参保登记", "社会保障卡申领"),
        (
            "父母在“示范通”App上一次提交，出生医学证明、户口登记、医保参保和社保卡申领并联办理，结果统一邮寄。",
            "住院分娩的，也可由助产医院的服务点代为提交。",
        ),
    ),
    (
        "二手房转移登记及水电气过户一件事",
        "买卖二手房，办理网签、缴税、过户并同步更名水电气",
        "person",
        "C区 1-4号不动产登记综合窗口",
        ("存量房买卖合同网签备案", "存量房交易税费申报", "不动产转移登记"),
        (
            "网签、缴税、登记在C区一窗受理，买卖双方只排一次号、交一套材料。",
            "登记完成后，系统将新的权利人信息推送给供水、供电、燃气企业，同步办理用户更名，无需再跑营业厅。",
        ),
    ),
    (
        "退休一件事",
        "职工到龄退休，办理养老金申领、医保待遇和公积金提取",
        "person",
        "A区 5-6号社保医保综合窗口",
        ("职工退休申请及基本养老金申领", "离休退休提取住房公积金", "个人社会保险权益记录打印"),
        (
            "达到退休年龄前一个月，单位或本人在线提交申请，养老金核定后，公积金提取和医保退休待遇自动衔接。",
        ),
    ),
    (
        "企业注销一件事",
        "企业不再经营，一次办理清税、注销登记和社保、公积金注销",
        "legal",
        "B区 6号市场主体变更注销窗口",
        (
            "清税申报（税务注销）",
            "有限责任公司注销登记",
            "企业职工基本养老保险单位参保注销",
            "住房公积金单位缴存注销",
        ),
        ("通过企业注销“一网通”平台一次申报，各部门同步办理，简易注销公示期满即可完成。",),
    ),
    (
        "开餐馆一件事",
        "开一家餐馆，办理营业执照、食品经营许可和户外招牌",
        "both",
        "B区 5号食品药品许可窗口",
        ("个体工商户注册登记", "食品经营许可证核发", "户外广告设施设置许可"),
        ("一张表单申请，营业执照当场领取，食品经营许可以告知承诺方式当场发证。",),
    ),
    (
        "结婚一件事",
        "登记结婚，并办理生育登记和户口簿婚姻状况变更",
        "person",
        "H区 1号婚姻登记窗口",
        ("内地居民结婚登记", "生育登记", "户口登记项目变更更正"),
        ("领取结婚证后，婚姻状况信息共享给公安户政部门，户口簿婚姻状况变更无需另行申请。",),
    ),
    (
        "身后一件事",
        "亲人去世后办理户口注销、丧葬补贴和相关待遇结算",
        "person",
        "A区 7号民生事务综合窗口",
        ("死亡注销户口", "惠民殡葬补贴申领", "不动产转移登记"),
        ("家属只需提交一次死亡证明，户口注销、殡葬补贴和养老保险待遇停发、丧葬费领取同步办理。",),
    ),
    (
        "公积金贷款购房一件事",
        "用住房公积金贷款买房，办理网签、贷款、抵押和提取",
        "person",
        "F区 3号公积金贷款窗口",
        (
            "商品房买卖合同网签备案",
            "住房公积金个人住房贷款申请",
            "不动产抵押权首次登记",
            "购买自住住房提取住房公积金",
        ),
        (
            "贷款审批与抵押登记在线衔接，抵押登记由银行和公积金中心在线申请，购房人无需再到不动产窗口。",
        ),
    ),
    (
        "失业一件事",
        "失业后办理失业保险金申领、就业登记和社保续保",
        "person",
        "E区 4号就业创业服务窗口",
        ("失业保险金申领", "就业创业证申领", "灵活就业人员参保登记"),
        ("一次申请同时办理失业登记和失业保险金申领，并推送职业介绍和技能培训信息。",),
    ),
    (
        "开办药店一件事",
        "开一家零售药店，办理执照、药品经营许可和医保定点",
        "legal",
        "B区 5号食品药品许可窗口",
        ("个体工商户注册登记", "药品零售企业经营许可证核发", "第二类医疗器械经营备案"),
        ("现场检查一次完成，药品经营许可与医疗器械备案同时受理。",),
    ),
    (
        "工程建设项目开工一件事",
        "社会投资项目从规划许可到施工许可",
        "legal",
        "G区 1-3号工程建设项目窗口",
        (
            "建设用地规划许可证核发",
            "建设工程规划许可证核发",
            "特殊建设工程消防设计审查",
            "建筑工程施工许可证核发",
        ),
        ("实行“一张表单、一套材料、并联审批”，各阶段审批结果在工程建设项目审批管理系统共享。",),
    ),
)
