"""Cell values as files write them → Python values, or `Invalid` with the reason.

A cell arrives as text (CSV), as what openpyxl read (str, int, float, datetime, None) or as
what JSON gives (str, int, float, bool, list). Every parser takes a non-blank cell; blanks are
handled once, by the caller (`is_blank`). A parser whose reason an importer words its own way
takes the wording as `message`/`messages`, in the manner of Django's `error_messages`: the
format fields are listed with each default.
"""

import datetime
import functools
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from openpyxl.utils.datetime import from_excel

# Dates outside this span are typing errors, not records; it also bounds the numbers read as
# Excel serial dates (32874 = 1990-01-01, 73416 = 2100-12-31).
FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
FIRST_SERIAL, LAST_SERIAL = 32874, 73417

# 2026/3/5 9:30, 2026.3.5, 2026年3月5日 9时30分, 2026-3-5 9:30:15 (ISO forms take a faster path).
LOOSE_MOMENT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?"
)
SERIAL = re.compile(r"\d{5}(?:\.\d+)?")

# Several values in one cell: 企业开办、不动产 or A01,A02. JSON may also give an array.
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


class Invalid(ValueError):
    """A cell that cannot be read; the message is the reason shown in the report."""


def is_blank(value):
    return (
        value is None
        or (value.__class__ is str and not value.strip())
        or (value.__class__ is list and not value)
    )


@functools.lru_cache(maxsize=4096)  # a column holds few distinct codes and labels
def norm(text):
    """Headers, choice labels and codes compare ignoring width, spaces, case and a required
    marker '*': ' 评价编号* ' matches 评价编号, 'ａ０１' matches A01, '承诺时限(工作日)' matches
    承诺时限（工作日）."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).strip("*").upper()


def shown(value):
    """A cell as a report quotes it."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, bool | list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value).strip()


def as_text(value):
    """A cell as text: 1001 and 1001.0 (Excel's numbers for a 工号) both give "1001"; line
    ends are "\\n". A JSON true, array or object is no text."""
    if value.__class__ is str:
        value = value.strip()
        return value.replace("\r\n", "\n") if "\r" in value else value
    if value is None:
        return ""
    if isinstance(value, bool | list | dict):
        raise Invalid("须为文本")
    return shown(value)


def text(max_length=None, message="超过{max_length}个字符（{length}个）"):
    def parse(value):
        value = as_text(value)
        if max_length is not None and len(value) > max_length:
            raise Invalid(message.format(max_length=max_length, length=len(value)))
        return value

    return parse


def code(max_length):
    """A number or code that refers to something (窗口号, 工号, 部门编码): compared normalised."""
    read = text(max_length)
    return lambda value: norm(read(value))


INTEGER_MESSAGES = {
    "invalid": "须为整数，实际为“{value}”",
    "min": "须在{minimum}到{maximum}之间，实际为{value}",
    "max": "须在{minimum}到{maximum}之间，实际为{value}",
}


# A whole number written out: digits with an optional sign, and a zero fraction a spreadsheet
# adds when it turns a number into text ("5.0"). Not Python's float() forms ("1e2", "1_000"),
# which no one types into a cell for a number of days or copies.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.0*)?", re.ASCII)


def integer(minimum, maximum, messages=None):
    """A whole number: an XLSX/JSON number without a fraction (5 or 5.0), or digits in text
    (full-width digits too, "5.0" as well)."""
    say = INTEGER_MESSAGES | (messages or {})

    def parse(value):
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value  # a JSON or XLSX whole number, however large: compared, not converted
        elif isinstance(value, float):
            number = int(value) if value.is_integer() else None  # not NaN or infinity
        elif value.__class__ is str:
            digits = unicodedata.normalize("NFKC", value).strip()
            if WHOLE_NUMBER.fullmatch(digits):
                number = int(digits.partition(".")[0])
        if number is None:
            kind = "invalid"
        elif number < minimum:
            kind = "min"
        elif number > maximum:
            kind = "max"
        else:
            return number
        raise Invalid(say[kind].format(value=shown(value), minimum=minimum, maximum=maximum))

    return parse


def points(value):
    """A score (扣分): a decimal ≥ 0 with at most one decimal place."""
    try:
        number = Decimal(as_text(value))
    except InvalidOperation:
        raise Invalid(f"须为数字，实际为“{shown(value)}”") from None
    if not number.is_finite() or number < 0 or number > Decimal("9999.9"):
        raise Invalid(f"须为0到9999.9之间的数字，实际为{shown(value)}")
    if number != number.quantize(Decimal("0.1")):
        raise Invalid(f"最多一位小数，实际为{shown(value)}")
    return number.quantize(Decimal("0.1"))


TRUE_WORDS = {norm(word) for word in ("是", "true", "yes", "y", "1", "√", "✓")}
FALSE_WORDS = {norm(word) for word in ("否", "false", "no", "n", "0", "×", "✗")}


def boolean(value):
    """是/否, true/false, yes/no, y/n, 1/0, √/×; a JSON true or false."""
    if isinstance(value, bool):
        return value
    word = norm(as_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Invalid(f"须为“是”或“否”，实际为“{shown(value)}”")


def choice(choices, aliases=None, message="“{value}”不是可选值（{allowed}）"):
    """A key or label of `choices` ((key, label) pairs, e.g. a TextChoices' .choices), or one
    of `aliases` (text → key)."""
    choices = [(str(key), str(label)) for key, label in choices]
    names = {norm(key): key for key, _ in choices}
    names |= {norm(label): key for key, label in choices}
    names |= {norm(alias): key for alias, key in (aliases or {}).items()}
    allowed = "、".join(label for _, label in choices)

    def parse(value):
        try:
            return names[norm(as_text(value))]
        except KeyError:
            raise Invalid(message.format(value=shown(value), allowed=allowed)) from None

    return parse


def rating(choices):
    """A rating (评价等级): the digit (1–5) or its label (非常满意 … 非常不满意)."""
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
                f"须为{lowest}–{highest}的整数或{labels}之一，实际为“{shown(value)}”"
            ) from None

    return parse


_web_address = URLValidator(schemes=["http", "https"])


def web_address(value):
    """An http:// or https:// address."""
    address = as_text(value)
    try:
        _web_address(address)
    except ValidationError:
        raise Invalid(f"须为以 http:// 或 https:// 开头的有效网址，实际为“{address}”") from None
    return address


def listing(value):
    """Several texts: a JSON array, or text separated by 、 , ， ; ； or line breaks;
    duplicates dropped, order kept."""
    parts = value if isinstance(value, list) else LIST_SEPARATORS.split(as_text(value))
    return list(dict.fromkeys(text for part in parts if (text := as_text(part))))


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
        raise Invalid(f"“{shown(value)}”不在1990年到2100年之间")
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
