"""到现场次数 is printed once before its value in every channel of a guide: the web page and
the kiosk view printed "到现场次数：到现场次数：1次" (the value repeated the label)."""

import re
import subprocess

import pytest
from bs4 import BeautifulSoup

from tests import factories

pytestmark = pytest.mark.django_db

LABEL = "到现场次数"


def spaced_text(html):
    return BeautifulSoup(html, "html.parser").get_text(" ")


def pdf_text(data):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def label_then_value(text):
    """What follows each 到现场次数 label, up to and including the first 次 after it."""
    return re.findall(rf"{LABEL}[：:\s]*([^次]*次)", text)


@pytest.fixture
def guide():
    return factories.guide(visits_required=2)


def test_the_model_gives_the_value_without_its_label(guide):
    assert guide.visits_required_label == "2次"


@pytest.mark.parametrize("suffix", ["", "kiosk/", "print/"])
def test_every_html_channel_prints_the_label_once_before_the_value(client, guide, suffix):
    text = spaced_text(client.get(guide.url + suffix).content.decode())
    found = label_then_value(text)
    assert found and set(found) == {"2次"}, found


def test_the_pdf_prints_the_label_once_before_the_value(client, guide):
    response = client.get(guide.url + "pdf/")
    text = pdf_text(b"".join(response.streaming_content))
    found = label_then_value(text)
    assert found and set(found) == {"2次"}, found
