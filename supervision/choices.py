"""Fixed vocabularies of hall supervision (DOMAIN.md §3).

Keys are stable ASCII identifiers stored in the database and used in scoring rules; labels are
what managers read. Importers also accept the Chinese label (and, for ratings, the digit).
"""

from django.db import models


class InspectionKind(models.TextChoices):
    DAILY = "daily", "日常巡查"
    CENTRALISED = "centralised", "集中巡查"
    SURPRISE = "surprise", "暗访抽查"


class FindingCategory(models.TextChoices):
    """What an inspector found wrong. The five service rules (首问负责, 一次告知, 限时办结,
    AB岗, 责任追究) are separate categories: centres count and deduct them one by one."""

    ATTENDANCE = "attendance", "考勤"
    ETIQUETTE = "etiquette", "服务礼仪"
    DISCIPLINE = "discipline", "工作纪律"
    FIRST_ASKED = "first_asked", "首问负责"
    TELL_ONCE = "tell_once", "一次告知"
    TIME_LIMIT = "time_limit", "限时办结"
    AB_POST = "ab_post", "AB岗"
    ACCOUNTABILITY = "accountability", "责任追究"
    ENVIRONMENT = "environment", "办公环境"


class Channel(models.TextChoices):
    HALL = "hall", "大厅"
    ONLINE = "online", "网上"
    APP = "app", "移动端"


class Rating(models.IntegerChoices):
    """The five levels of 好差评 (国办发〔2019〕51号); 不满意 and 非常不满意 are bad reviews."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    FAIRLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


# A bad review (差评) is a rating at or below this.
BAD_REVIEW_MAX_RATING = Rating.DISSATISFIED


class Appeal(models.TextChoices):
    """A window may appeal a bad review; one upheld on appeal (申诉成立) no longer counts."""

    NONE = "none", "未申诉"
    PENDING = "pending", "申诉中"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"


class Light(models.TextChoices):
    """Electronic supervision lights on a case (DOMAIN.md §3)."""

    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class BulletinKind(models.TextChoices):
    """每日督查、每周小结、每月通报 (DOMAIN.md §3)."""

    DAILY = "daily", "每日督查通报"
    WEEKLY = "weekly", "每周督查小结"
    MONTHLY = "monthly", "月度考评排名通报"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class ImportKind(models.TextChoices):
    """The hall's three exports (supervision.importers.IMPORTERS has one importer each)."""

    EVALUATIONS = "evaluations", "好差评"
    CASES = "cases", "办件"
    INSPECTIONS = "inspections", "巡查问题"


class ImportStatus(models.TextChoices):
    """Where an import run (supervision.models.ImportRun) stands."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"  # written and committed, or (a dry run) checked without errors
    REJECTED = "rejected", "未导入（有错误）"  # the file has errors: nothing was written
    FAILED = "failed", "失败"  # the job died or could not run: nothing was written


class ImportSource(models.TextChoices):
    ADMIN = "admin", "后台上传"
    COMMAND = "command", "命令行"
