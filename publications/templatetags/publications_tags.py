"""Template filters of the print editions."""

import segno
from django import template
from django.utils.safestring import mark_safe

from publications import charts, numbers

register = template.Library()


@register.filter(is_safe=True)
def css_string(value):
    """`value` as the inside of a double-quoted CSS string (for @page margin-box content).

    Quotes and backslashes are escaped, and "<" too, so that no text can close the <style>.
    """
    escaped = []
    for char in str(value):
        if char in '\\"<>' or ord(char) < 0x20:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    # Safe from HTML autoescaping: "&" must stay "&" in a header, and every character that
    # could end the string or the <style> element is already a CSS escape.
    return mark_safe("".join(escaped))


@register.filter
def qr_data_uri(url):
    """An SVG QR code of `url` as a data: URI, for an <img> in the printed edition.

    Error correction level M survives a crease or a smudge on a paper guide; the quiet zone
    is kept so phone cameras find the code.
    """
    return segno.make(str(url), error="m", micro=False).svg_data_uri(scale=4, border=4)


@register.simple_tag
def bar_chart(data, title="", unit="", number="points"):
    """`{% bar_chart rows title="各部门综合得分" unit="分" number="score" %}`: a horizontal bar
    chart of (label, value) pairs as inline SVG, each bar labelled in the `number` format;
    see publications.charts.bar_chart."""

    return charts.bar_chart(data, title=title, unit=unit, number=number)


# One format per quantity (publications.numbers): {{ row.score|as_score }} → 98.50,
# {{ o.satisfaction|as_rate }} → 86.0%, {{ row.deduction|as_points }} → 0.5,
# {{ row.adjustment|as_adjustment }} → +2.50, {{ d.cases|as_change }} → +3 (a rate's change:
# as_change:1 → +0.4). None → "—".
register.filter("as_score", numbers.score)
register.filter("as_rate", numbers.rate)
register.filter("as_points", numbers.points)
register.filter("as_adjustment", numbers.adjustment)
register.filter("as_change", numbers.change)
