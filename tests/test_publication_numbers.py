"""One number format per quantity (publications.numbers), the same through the template filters
and on a chart's bars."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.template import Context, Template

from publications import numbers
from publications.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("98.75"), "98.75"), (90, "90.00"), ("102.5", "102.50"), (95.5, "95.50"),
     (Decimal("-0.001"), "0.00"), (None, "—"), ("", "—")],
)  # fmt: skip
def test_scores_have_two_decimals(value, shown):
    assert numbers.score(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(86, "86.0%"), (86.45, "86.5%"), (Decimal("86.44"), "86.4%"), (100.0, "100.0%"),
     (None, "—")],
)  # fmt: skip
def test_rates_have_one_decimal_and_a_percent_sign(value, shown):
    assert numbers.rate(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("0.5"), "0.5"), (Decimal("2.00"), "2"), (12.0, "12"), ("33.5", "33.5"),
     (Decimal("1.25"), "1.25"), (0, "0"), (None, "—")],
)  # fmt: skip
def test_points_deducted_read_as_the_rules_state_them(value, shown):
    assert numbers.points(value) == shown


def test_adjustments_and_changes_carry_their_sign():
    assert [numbers.adjustment(v) for v in ("2.5", "-7.5", 0)] == ["+2.50", "-7.50", "0.00"]
    assert [numbers.change(v) for v in (3, -1, 0, None)] == ["+3", "-1", "0", "—"]
    assert [numbers.change(v, 1) for v in (0.4, -0.05, 0.04)] == ["+0.4", "-0.1", "0.0"]


def test_the_template_filters_write_numbers_as_the_module_does():
    template = Template(
        "{% load publications_tags %}{{ s|as_score }} {{ r|as_rate }} {{ p|as_points }} "
        "{{ a|as_adjustment }} {{ d|as_change:1 }} {{ n|as_rate }}"
    )
    context = {"s": "102.5", "r": 86.0, "p": Decimal("0.50"), "a": "-4.5", "d": 1.25, "n": None}
    assert template.render(Context(context)) == "102.50 86.0% 0.5 -4.50 +1.3 —"


def test_a_score_chart_labels_its_bars_as_the_ranking_table_prints_them():
    root = ElementTree.fromstring(
        str(bar_chart([("A01", 102.5), ("A02", 90.0), ("A03", 98.75)], unit="分", number="score"))
    )
    labels = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert labels == ["A01", "102.50分", "A02", "90.00分", "A03", "98.75分"]
    assert [numbers.score(v) + "分" for v in (102.5, 90.0, 98.75)] == labels[1::2]
