"""Cell values as the hall's exports write them → Python values, or `Invalid` with the reason.

A cell arrives as text (CSV) or as what openpyxl read (str, int, float, datetime, None).
Every parser takes a non-blank cell; blanks are handled once, by the caller.
"""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from openpyxl.utils.datetime import from_excel

# Dates outside this span are typing errors, not hall records; it also bounds the numbers
# read as Excel serial dates (32874 = 1990-01-01, 73416 = 2100-12-31).
FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
FIRST_SERIAL, LAST_SERIAL = 32874, 73417

# 2026/3/5 9:30, 2026.3.5, 2026年3月5日 9时30分, 2026-3-5 9:30:15 (ISO forms take a faster path).
LOOSE_MOMENT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?"
)
SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


class Invalid(ValueError):
    """A cell that cannot be read; the message is the reason shown in the report."""


def is_blank(value):
    return value is None or (value.__class__ is str and not value.strip())


@functools.lru_cache(maxsize=4096)  # a column holds few distinct codes and labels
def norm(text):
    """Headers, choice labels and codes compare ignoring width, spaces and case:
    ' 评价编号* ' matches 评价编号, 'ａ０１' matches A01."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).strip("*").upper()


def as_text(value):
    """A cell as text: 1001 and 1001.0 (Excel's numbers for a 工号) both give "1001"."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value).strip()


def text(max_length):
    def parse(value):
        value = as_text(value)
        if len(value) > max_length:
            raise Invalid(f"超过{max_length}个字符（{len(value)}个）")
        return value

    return parse


def code(max_length):
    """A number or code that refers to something (窗口号, 工号, 部门编码): compared normalised."""
    read = text(max_length)
    return lambda value: norm(read(value))


def integer(minimum, maximum):
    def parse(value):
        text = as_text(value)
        try:
            number = float(text)  # "5", 5 and 5.0 (an XLSX number) alike
        except ValueError:
            raise Invalid(f"须为整数，实际为“{text}”") from None
        if not number.is_integer():
            raise Invalid(f"须为整数，实际为“{text}”")
        if not minimum <= number <= maximum:
            raise Invalid(f"须在{minimum}到{maximum}之间，实际为{text}")
        return int(number)

    return parse


def points(value):
    """扣分: a decimal ≥ 0 with at most one decimal place (Finding.deduction)."""
    try:
        number = Decimal(as_text(value))
    except InvalidOperation:
        raise Invalid(f"须为数字，实际为“{as_text(value)}”") from None
    if not number.is_finite() or number < 0 or number > Decimal("9999.9"):
        raise Invalid(f"须为0到9999.9之间的数字，实际为{as_text(value)}")
    if number != number.quantize(Decimal("0.1")):
        raise Invalid(f"最多一位小数，实际为{as_text(value)}")
    return number.quantize(Decimal("0.1"))


def choice(choices, **aliases):
    """A key or label of `choices` (a TextChoices), or one of `aliases` (text → key)."""
    names = {norm(key): key for key in choices.values}
    names |= {norm(label): key for key, label in choices.choices}
    names |= {norm(alias): key for alias, key in aliases.items()}
    allowed = "、".join(label for _, label in choices.choices)

    def parse(value):
        try:
            return names[norm(as_text(value))]
        except KeyError:
            raise Invalid(f"“{as_text(value)}”不是可选值（{allowed}）") from None

    return parse


def rating(choices):
    """评价等级: the digit (1–5) or its label (非常满意 … 非常不满意)."""
    names = {norm(label): key for key, label in choices.choices}
    names |= {str(key): key for key in choices.values}
    lowest, highest = min(choices.values), max(choices.values)
    labels = "、".join(label for _, label in choices.choices)

    def parse(value):
        name = as_text(value)
        if name.endswith(".0"):  # 5.0: an XLSX number
            name = name[:-2]
        try:
            return names[norm(name)]
        except KeyError:
            raise Invalid(
                f"须为{lowest}–{highest}的整数或{labels}之一，实际为“{as_text(value)}”"
            ) from None

    return parse


def _serial(value):
    if not FIRST_SERIAL <= value <= LAST_SERIAL:
        raise Invalid(f"数字{value:g}不是有效的Excel日期（应在1990年到2100年之间）")
    moment = from_excel(value)
    # Excel stores times as fractions of a day: 9:30 comes back as 09:29:59.999; whole seconds.
    return (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)


def _naive_moment(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = as_text(value)
    try:
        # The exports' usual "2026-03-05 09:30:00", "2026-03-05 09:30", "2026-03-05": C speed.
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    match = LOOSE_MOMENT.fullmatch(text)
    if match:
        parts = [int(part) if part else 0 for part in match.groups()]
        try:
            return datetime.datetime(*parts)
        except ValueError:
            raise Invalid(f"“{text}”不是有效的日期时间") from None
    if SERIAL.fullmatch(text):
        return _serial(float(text))
    raise Invalid(f"“{text}”不是可识别的日期时间（如 2026-03-05 09:30）")


def _in_span(moment, value):
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise Invalid(f"“{as_text(value)}”不在1990年到2100年之间")
    return moment


def moment(value):
    """A date and time, aware. Times without a zone are the centre's (settings.TIME_ZONE)."""
    naive = _in_span(_naive_moment(value), value)
    if naive.tzinfo is not None:
        return naive
    # zoneinfo resolves the offset itself (PEP 495): replace() is make_aware without checks.
    return naive.replace(tzinfo=timezone.get_default_timezone())


def day(value):
    """A date; a time of day, if the cell has one, is ignored."""
    naive = _in_span(_naive_moment(value), value)
    if naive.tzinfo is not None:
        return timezone.localdate(naive)
    return naive.date()
