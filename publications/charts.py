"""Charts for printed editions: small inline SVG drawn here, no plotting library.

WeasyPrint draws inline SVG itself, text included, so a chart's Chinese labels come out of the
same embedded font as the body and stay searchable and copyable in the PDF. Only what
WeasyPrint's SVG renderer supports is used: rect, line, text with text-anchor, no CSS, no
dominant-baseline (baselines are computed here instead).
"""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from publications import numbers
from publications.pdf import FONT_FAMILY

MAX_BARS = 30
WIDTH = 640  # user units (CSS px): about the 174 mm text width of an A4 page at 18 mm margins
FONT_SIZE = 12  # 9 pt at 96 px per inch, the size of a table cell
ROW = 18
BAR = 12
PAD = 6
TITLE_ROW = 26
VALUE_ROOM = 64  # room beside a bar's end for "100.00分"
GOOD = "#0b3a82"
BAD = "#c8161d"
AXIS = "#6b7280"
TEXT = "#111827"


def _text_width(text):
    """Rough width in user units: a CJK character is one em, ASCII about half of one."""
    return sum(FONT_SIZE if ord(char) > 0x2E7F else FONT_SIZE * 0.55 for char in text)


def _fit(text, width):
    """`text`, cut with "…" so that it fits in `width`."""
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def format_value(value, unit="", number="points"):
    """A bar's label, written as the tables write that quantity (publications.numbers):
    95.5 → "95.5分" (points), with number="score" "95.50分"; None → "—" (no figure)."""
    if value is None:
        return numbers.MISSING
    return f"{numbers.FORMATS[number](value)}{unit}"


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal | int | float) and math.isfinite(value):
        return float(value)
    raise ValueError(f"柱状图的数值必须是有限的数字或 None，收到：{value!r}")


def bar_chart(data, *, title="", unit="", number="points", max_bars=MAX_BARS):
    """A horizontal bar chart of `data`, (label, value) pairs in the order to draw them, as
    safe inline SVG. Each bar is labelled with its value in the format `number` names
    ("score", "rate", "points", "count": publications.numbers), as the table beside it prints
    the same figure.

    Bars start at zero: negative values (a deduction, a fall in score) go left of the axis
    in red. A value of None draws no bar and "—". Empty data draws the title and "暂无数据",
    so a bulletin for a quiet week still prints. Beyond `max_bars` bars a chart is no longer
    readable on A4: the first `max_bars` are drawn and a note says how many were left out.
    """
    rows = [(str(label), _number(value)) for label, value in data]
    shown, left_out = rows[:max_bars], len(rows) - max_bars
    values = [value for _, value in shown if value is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    if low == high:  # all zero, or nothing to draw: any scale will do
        high = 1.0

    label_width = min(max((_text_width(label) for label, _ in shown), default=0), WIDTH * 0.36)
    plot_left = label_width + PAD * 2 + (VALUE_ROOM if low < 0 else 0)
    plot_width = WIDTH - plot_left - VALUE_ROOM

    def x(value):
        return plot_left + (value - low) / (high - low) * plot_width

    top = TITLE_ROW if title else PAD
    height = top + max(len(shown), 1) * ROW + PAD + (ROW if left_out > 0 else 0)
    baseline = FONT_SIZE * 0.35  # from a row's middle to the baseline of CJK text
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="{TEXT}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(
            f'<text x="{WIDTH / 2:.1f}" y="{FONT_SIZE + 4}" text-anchor="middle" '
            f'font-size="{FONT_SIZE + 1}" font-weight="bold">{escape(title)}</text>'
        )
    if not shown:
        parts.append(
            f'<text x="{WIDTH / 2:.1f}" y="{top + ROW / 2 + baseline:.1f}" text-anchor="middle" '
            f'fill="{AXIS}">暂无数据</text>'
        )
    zero = x(0.0)
    for index, (label, value) in enumerate(shown):
        middle = top + index * ROW + ROW / 2
        text_y = middle + baseline
        parts.append(
            f'<text x="{label_width + PAD:.1f}" y="{text_y:.1f}" text-anchor="end">'
            f"{escape(_fit(label, label_width))}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{zero + 4:.1f}" y="{text_y:.1f}" fill="{AXIS}">{format_value(None)}</text>'
            )
            continue
        end = x(value)
        if value:
            parts.append(
                f'<rect x="{min(zero, end):.1f}" y="{middle - BAR / 2:.1f}" '
                f'width="{abs(end - zero):.1f}" height="{BAR}" fill="{BAD if value < 0 else GOOD}"/>'
            )
        anchor, at = ("end", end - 4) if value < 0 else ("start", end + 4)
        parts.append(
            f'<text x="{at:.1f}" y="{text_y:.1f}" text-anchor="{anchor}">'
            f"{escape(format_value(value, unit, number))}</text>"
        )
    bottom = top + max(len(shown), 1) * ROW
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top - 2}" x2="{zero:.1f}" y2="{bottom + 2}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    if left_out > 0:
        parts.append(
            f'<text x="{WIDTH / 2:.1f}" y="{bottom + ROW / 2 + baseline + PAD:.1f}" '
            f'text-anchor="middle" fill="{AXIS}">另有{left_out}项未列出</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
