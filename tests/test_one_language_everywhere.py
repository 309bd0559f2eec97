"""One language tag, zh-Hans, on every public page and in every PDF the site makes; and the
PDFs, though tagged zh-Hans, still set Chinese in the Simplified-Chinese font (WeasyPrint's
fallback under a tag fontconfig does not know picked Noto Sans CJK JP)."""

import datetime
import io
import subprocess

import pypdf
import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from publications import pdf
from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind
from tests import factories
from tests.bundles import opening_a_company
from tests.hall import make_hall

pytestmark = pytest.mark.django_db

LANG = "zh-Hans"


def html_lang(html):
    return BeautifulSoup(html, "html.parser").html.get("lang")


@pytest.fixture
def site():
    guide = factories.guide()
    bundle = opening_a_company().bundle
    issue = factories.magazine_issue()
    policy = factories.policy()
    return {"guide": guide, "bundle": bundle, "issue": issue, "policy": policy}


def public_urls(site):
    guide, bundle, issue, policy = site["guide"], site["bundle"], site["issue"], site["policy"]
    return [
        factories.home().url,
        factories.catalogue().url,
        guide.url,
        guide.url + "kiosk/",
        guide.url + "print/",
        "/kiosk/",
        policy.url,
        policy.url + "print/",
        bundle.url,
        bundle.url + "checklist/",
        issue.url,
        "/search/?q=营业执照",
        "/search/?q=没有这个事项",
    ]


def test_every_public_page_says_zh_hans(client, site):
    langs = {}
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        langs[url] = html_lang(response.content.decode())
    assert langs == dict.fromkeys(langs, LANG)


def test_the_error_pages_say_zh_hans(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response.content.decode()) == LANG
    request = RequestFactory().get("/")
    for name in ("400.html", "429.html", "500.html"):
        assert html_lang(render_to_string(name, request=request)) == LANG, name


def pdf_language_and_fonts(data):
    """The catalog's /Lang and the names of the embedded fonts (pdffonts)."""
    lang = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"].get("/Lang")
    listing = subprocess.run(
        ["pdffonts", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    fonts = {row.split()[0].split("+")[-1] for row in listing.splitlines()[2:] if row.strip()}
    return lang, fonts


def streamed(response):
    assert response.status_code == 200, response.content[:300] if not response.streaming else ""
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return data


def assert_zh_hans_set_in_simplified_chinese(data):
    lang, fonts = pdf_language_and_fonts(data)
    assert lang == LANG
    cjk = {font for font in fonts if "CJK" in font}
    assert cjk and all("-CJK-SC" in font for font in cjk), fonts


def test_the_guide_pdf_is_zh_hans_in_the_sc_font(client, site):
    assert_zh_hans_set_in_simplified_chinese(streamed(client.get(site["guide"].url + "pdf/")))


def test_the_bundle_checklist_pdf_is_zh_hans_in_the_sc_font(client, site):
    data = streamed(client.get(site["bundle"].url + "checklist/pdf/"))
    assert_zh_hans_set_in_simplified_chinese(data)


def test_the_magazine_issue_pdf_is_zh_hans_in_the_sc_font(client, site):
    assert_zh_hans_set_in_simplified_chinese(streamed(client.get(site["issue"].url + "pdf/")))


def test_a_supervision_bulletin_pdf_is_zh_hans_in_the_sc_font():
    make_hall()
    bulletin = make_bulletin(BulletinKind.DAILY, datetime.date(2026, 10, 9))
    with bulletin.pdf.open("rb") as file:
        assert_zh_hans_set_in_simplified_chinese(file.read())


def test_text_in_a_generic_family_still_falls_back_to_the_sc_font():
    """<pre> and <code> are monospace in WeasyPrint's own stylesheet (an editor's rich text, a
    bulletin's note): under the zh-Hans tag alone their Chinese came from Noto Sans CJK JP."""
    html = Template(
        '{% extends "publications/print_base.html" %}'
        "{% block body %}<p>申请材料</p><pre>营业执照 副本</pre><code>直 骨 说明</code>{% endblock %}"
    ).render(Context({"for_pdf": True, "centre_name": "政务服务中心"}))
    assert_zh_hans_set_in_simplified_chinese(
        pdf.html_to_pdf(html, base_url="http://testserver/").data
    )
