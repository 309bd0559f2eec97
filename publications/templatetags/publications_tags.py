"""Template filters of the print editions."""

import segno
from django import template
from django.utils.safestring import mark_safe

from publications import charts

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
def bar_chart(data, title="", unit=""):
    """`{% bar_chart rows title="各部门综合得分" unit="分" %}`: a horizontal bar chart of
    (label, value) pairs as inline SVG; see publications.charts.bar_chart."""

    return charts.bar_chart(data, title=title, unit=unit)
