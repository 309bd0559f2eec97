"""The magazine's PDF edition: one PDF per issue, read back with poppler's tools.

One issue is built and rendered once for the whole module (rendering takes about a second);
its data is rolled back at once, and the tests read the PDF it left on disk.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from publications import editions
from publications.pdf import RenderedPdf
from tests import factories

# Also for the tests that only read the module's PDF: pytest-django runs database tests before
# transactional ones, whose flush would remove the home page the module fixture builds under.
pytestmark = pytest.mark.django_db

MAGAZINE = "政务服务"
SPONSOR = "示范市政务服务管理办公室"
# (column, article title) in the order the contents must list them: by the columns' sort
# order, which is not the order the articles were written in.
PUBLIC_ARTICLES = [
    ("改革动态", "一件事改革提速"),
    ("改革动态", "帮办代办服务上线"),
    ("窗口之星", "星级窗口评选揭晓"),
]
DRAFT_TITLE = "尚未发布的稿件"
LONG_PARAGRAPH = (
    "<p>" + "今年以来，市政务服务中心持续深化“一窗受理”改革，推动服务提质增效。" * 40 + "</p>"
)


def summary_of(title):
    """Printed only under the article's title, so it marks the page the article starts on."""
    return f"{title}的摘要"


def poppler(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_text(pdf, number):
    return poppler("pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-")


def build_issue():
    issue = factories.magazine_issue(
        parent=factories.magazine(title=MAGAZINE, sponsor=SPONSOR),
        # An odd shape for a cover: it must still fit the cover page.
        cover=factories.image("本期封面", size=(300, 900)),
    )
    news = factories.magazine_column("改革动态", sort_order=1)
    stars = factories.magazine_column("窗口之星", sort_order=2)
    factories.magazine_article(
        issue, stars, title="星级窗口评选揭晓", summary=summary_of("星级窗口评选揭晓")
    )
    factories.magazine_article(
        issue,
        news,
        title="一件事改革提速",
        summary=summary_of("一件事改革提速"),
        author="李晓堃",
        body=[
            ("paragraph", "<h2>一、改革背景</h2>" + LONG_PARAGRAPH),
            ("image", {"image": factories.image("全景", (4000, 200)), "caption": "大厅全景"}),
            ("quote", {"text": "现在来大厅办事，一次就办好了。", "source": "办事群众"}),
            ("image", {"image": factories.image("长图", (200, 6000)), "caption": "办事流程长图"}),
            ("paragraph", LONG_PARAGRAPH),
        ],
    )
    factories.magazine_article(
        issue, news, title="帮办代办服务上线", summary=summary_of("帮办代办服务上线")
    )
    factories.magazine_article(issue, news, title=DRAFT_TITLE, live=False)
    return issue


@dataclass
class Edition:
    pdf: Path
    pages: int
    text: str


@pytest.fixture(scope="module")
def edition(django_db_setup, django_db_blocker, tmp_path_factory):
    """The issue's PDF as a visitor downloads it from the pdf/ channel."""
    with django_db_blocker.unblock(), transaction.atomic():
        issue = build_issue()
        response = Client().get(issue.url + "pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        data = b"".join(response.streaming_content)
        response.close()
        transaction.set_rollback(True)
    pdf = tmp_path_factory.mktemp("magazine") / "issue.pdf"
    pdf.write_bytes(data)
    pages = int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M)[1])
    return Edition(pdf=pdf, pages=pages, text=poppler("pdftotext", "-layout", str(pdf), "-"))


def test_the_cover_shows_the_magazine_its_sponsor_the_issue_and_its_date(edition):
    cover = page_text(edition.pdf, 1)
    for expected in [MAGAZINE, SPONSOR, "2026年第3期（总第27期）", "2026年9月1日"]:
        assert expected in cover


def test_the_contents_list_the_columns_in_order_with_the_page_each_article_starts_on(edition):
    contents = page_text(edition.pdf, 3)
    assert "目" in contents and "卷首语" in page_text(edition.pdf, 2)
    positions = [contents.index(name) for name in ["改革动态", "窗口之星"]]
    positions += [contents.index(title) for _, title in PUBLIC_ARTICLES]
    assert positions[0] < positions[2] < positions[3] < positions[1] < positions[4]
    for _, title in PUBLIC_ARTICLES:
        printed = int(re.search(rf"^\s*{title}.*?(\d+)\s*$", contents, re.M)[1])
        assert summary_of(title) in page_text(edition.pdf, printed)
        assert summary_of(title) not in page_text(edition.pdf, printed - 1)


def test_a_draft_article_is_not_in_the_pdf(edition):
    assert DRAFT_TITLE not in edition.text
    assert all(title in edition.text for _, title in PUBLIC_ARTICLES)


def test_the_chinese_font_is_embedded(edition):
    rows = poppler("pdffonts", str(edition.pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert "CJK" in name and emb == "yes"
    assert "李晓堃" in edition.text  # a name outside GB2312 is drawn, not an empty box


def test_very_wide_and_very_tall_photos_are_printed_whole(edition):
    # pdfimages lists each drawn image with its pixel size: the renditions (at most
    # 1200×1600) of the cover, the panorama and the long infographic.
    listed = poppler("pdfimages", "-list", str(edition.pdf)).splitlines()[2:]
    sizes = {(int(row.split()[3]), int(row.split()[4])) for row in listed}
    assert sizes == {(300, 900), (1200, 60), (53, 1600)}
    assert "大厅全景" in edition.text and "办事流程长图" in edition.text
    assert edition.pages >= 7  # cover, note, contents, a long article over pages, two more


def fake_render(calls):
    def render(issue):
        calls.append(issue.pk)
        return RenderedPdf(data=b"%PDF-1.7\n%%EOF\n", pages=1, missing_glyphs="", fonts=())

    return render


def test_a_second_request_with_the_etag_gets_304_without_rendering_again(client, monkeypatch):
    issue = factories.magazine_issue()
    factories.magazine_article(issue, factories.magazine_column("改革动态"))
    calls = []
    monkeypatch.setattr(editions, "magazine_issue_pdf", fake_render(calls))
    first = client.get(issue.url + "pdf/")
    assert first.status_code == 200 and first["Cache-Control"] == "no-cache"
    second = client.get(issue.url + "pdf/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304 and second["ETag"] == first["ETag"]
    assert calls == [issue.pk]


def test_republishing_an_article_or_the_issue_changes_the_etag(client, monkeypatch):
    issue = factories.magazine_issue()
    article = factories.magazine_article(issue, factories.magazine_column("改革动态"))
    monkeypatch.setattr(editions, "magazine_issue_pdf", fake_render([]))

    def etag():
        return client.get(issue.url + "pdf/")["ETag"]

    before = etag()
    article.title = "标题改了"
    factories.publish(article)
    after_article = etag()
    factories.publish(issue)
    after_issue = etag()
    assert len({before, after_article, after_issue}) == 3
    stale = client.get(issue.url + "pdf/", HTTP_IF_NONE_MATCH=before)
    assert stale.status_code == 200


def test_the_issue_page_links_to_its_pdf_edition_and_a_draft_issue_has_none(client):
    issue = factories.magazine_issue()
    html = client.get(issue.url).content.decode()
    assert f'href="{issue.url}pdf/"' in html and "下载PDF版" in html
    draft = factories.magazine_issue(
        parent=issue.get_parent(), live=False, title="2026年第4期", issue_number=4
    )
    assert client.get(draft.url + "pdf/").status_code == 404
