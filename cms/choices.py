"""Fixed vocabularies of the service-guide standard (国办函〔2016〕108号, GB/T 39554.1-2020).

Keys are stable ASCII identifiers used by the API and the catalogue import; labels are what
citizens and editors read. The import also accepts the Chinese label for each key.
"""

from django.db import models


class ItemType(models.TextChoices):
    PERMIT = "permit", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    REWARD = "reward", "行政奖励"
    INSPECTION = "inspection", "行政检查"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"
    CONVENIENCE = "convenience", "便民服务"


class ExerciseLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇（街道）级"


class HandlingCase(models.TextChoices):
    NEW = "new", "新办"
    CHANGE = "change", "变更"
    RENEWAL = "renewal", "延续"
    CANCELLATION = "cancellation", "注销"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    PERSON = "person", "个人"
    LEGAL = "legal", "法人"
    BOTH = "both", "个人和法人"


# 服务对象 as the national platform (全国一体化在线政务服务平台) and the provincial systems
# that export to it write it in an item's 实施清单: seven values, each with the platform's
# code (1–6, 9). Portals split them into 个人办事 and 法人办事: a natural person is the first,
# every organisation (company, public institution, association, authority...) the second.
PLATFORM_AUDIENCES = {
    "自然人": Audience.PERSON,
    "企业法人": Audience.LEGAL,
    "事业单位法人": Audience.LEGAL,
    "事业法人": Audience.LEGAL,  # the platform's own short form
    "社会组织法人": Audience.LEGAL,
    "非法人企业": Audience.LEGAL,
    "行政机关": Audience.LEGAL,
    "其他组织": Audience.LEGAL,
}
PLATFORM_AUDIENCE_CODES = {
    "1": "自然人",
    "2": "企业法人",
    "3": "事业法人",
    "4": "社会组织法人",
    "5": "非法人企业",
    "6": "行政机关",
    "9": "其他组织",
}


def combined_audience(audiences) -> Audience:
    """The one choice for an item that serves each of `audiences` (person, legal or both)."""
    audiences = set(audiences)
    if audiences == {Audience.PERSON}:
        return Audience.PERSON
    if audiences == {Audience.LEGAL}:
        return Audience.LEGAL
    return Audience.BOTH


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ORIGINAL_AND_COPY = "original_and_copy", "原件和复印件"
    ELECTRONIC = "electronic", "电子材料"


class LegalBasisKind(models.TextChoices):
    CREATION = "creation", "设定依据"
    IMPLEMENTATION = "implementation", "实施依据"
    SUPERVISION = "supervision", "监管依据"


class Requirement(models.TextChoices):
    REQUIRED = "required", "必要"
    CONDITIONAL = "conditional", "情形需要"
    TOLERATED = "tolerated", "容缺后补"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    AMENDED = "amended", "已修订"
    REPEALED = "repealed", "已废止"


class Honour(models.TextChoices):
    SERVICE_STAR = "service_star", "服务之星"
    MODEL_POST = "model_post", "示范岗"
    RED_FLAG = "red_flag", "流动红旗"
    OTHER = "other", "其他荣誉"


# The service flags, in the order portals show them. Field name → label.
GUIDE_FLAGS = {
    "run_at_most_once": "最多跑一次",
    "zero_visit": "零上门",
    "instant": "即办件",
    "citywide": "全城通办",
    "nearby": "就近办",
    "tolerance_acceptance": "容缺受理",
    "high_frequency": "高频事项",
}
