"""How every printed edition and the admin write a number: one format per quantity, so that a
table, the sentence about it and the chart's bar say the same figure the same way.

| quantity | format | examples |
| --- | --- | --- |
| score (得分) | two decimals | 98.75, 90.00, 102.50 |
| rate (满意率, 按时率, 评价率, 整改率) | one decimal and % | 86.0%, 100.0% |
| points deducted, and every value of the rules | as the rules state them: no trailing zeros | 1, 0.5, 33.5 |
| score adjustment (满意率加减分) | a score with its sign | +2.50, -7.50, 0.00 |
| count | a whole number | 12 |
| change against the period before | signed, counts whole, rates in percentage points, one decimal | +3, -1, 0, +0.4 |

A missing figure (no evaluation, no case completed, nothing to compare with) prints "—".
Rounding is half up, as supervision.scoring rounds. Templates use the filters of the same
names in publications_tags (`{{ row.score|as_score }}`); charts name the format of their
values (`{% bar_chart rows number="score" unit="分" %}`).
"""

from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"


def _missing(value):
    # "" too: a figure an older bulletin's stored content does not have.
    return value is None or value == ""


def _decimal(value):
    # str() first: a float's exact binary value (86.45 is 86.4499…) would round the wrong way.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rounded(value, places):
    """`value` as a Decimal rounded half up to `places` decimals."""
    return _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _fixed(value, places):
    text = f"{rounded(value, places):f}"
    return text[1:] if text.startswith("-") and not rounded(value, places) else text  # no "-0.00"


def score(value):
    return MISSING if _missing(value) else _fixed(value, 2)


def rate(value):
    return MISSING if _missing(value) else f"{_fixed(value, 1)}%"


def points(value):
    if _missing(value):
        return MISSING
    text = _fixed(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def adjustment(value):
    if _missing(value):
        return MISSING
    text = _fixed(value, 2)
    return text if text.startswith("-") or not rounded(value, 2) else f"+{text}"


def count(value):
    return MISSING if _missing(value) else str(int(value))


def change(value, places=0):
    """A change with its sign: +3, -1, 0 (counts), +0.4 (rates, in percentage points)."""
    if _missing(value):
        return MISSING
    text = _fixed(value, places)
    return f"+{text}" if rounded(value, places) > 0 else text


FORMATS = {"score": score, "rate": rate, "points": points, "count": count}
