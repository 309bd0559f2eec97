"""A department's guide book (办事指南汇编) and `manage.py export_guides`, read back as real PDFs
with poppler's pdftotext and pdfinfo.

Rendering is the slow part (about a second a guide), so one export of a small catalogue is made
for the whole module: the fixture builds the catalogue, exports it, rolls the database back and
hands the tests the files and what they should contain.
"""

import datetime
import io
import os
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import OrmQ
from wagtail.models import PageViewRestriction

from cms.models import ServiceGuidePage
from publications import editions, tasks
from publications.management.commands import export_guides
from publications.pdf import PdfUnavailable
from tests import factories

# The file-reading tests use no database themselves, but the module's export fixture needs the
# test database set up.
pytestmark = pytest.mark.django_db

LAND = "3799030001"
FORESTRY = "3799031001"
ONLY_DRAFTS = "3799032001"


def book_name(code):
    return f"{code}-办事指南汇编.pdf"


def pdf_pages(path):
    """The text of each page, laid out as printed (pdftotext separates pages with \\f)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def pdf_page(path, number):
    """One page's text, extracted on its own (pdftotext -f N -l N)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def page_count(path):
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M).group(1))


def header(page_text):
    """The top-left running header: the first words of the page's first line."""
    return re.split(r"\s{2,}", page_text.strip().splitlines()[0])[0]


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def make_expired(page):
    ServiceGuidePage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )


@dataclass(frozen=True)
class Export:
    out: Path
    stdout: str
    # department code → [(implementation code, title)] of its public guides, in code order
    public: dict
    hidden: list  # (implementation code, title) of draft, private and expired guides
    edition_date: str  # the land bureau's book: its newest guide's publication date


@pytest.fixture(scope="module")
def export(django_db_setup, django_db_blocker, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    stdout = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        land = factories.department(code=LAND, name="示范市自然资源局")
        # Made out of code order: the book and its contents follow the implementation code.
        titles = {
            3: "建设用地规划许可证核发",
            1: "国有建设用地使用权首次登记",
            2: "土地权属争议调处",
        }
        land_guides = [
            factories.guide(
                department=land,
                title=titles[n],
                sub_item="",
                implementation_code=f"{LAND}-XK-000{n}",
            )
            for n in (3, 1, 2)
        ]
        draft = factories.guide(
            department=land,
            title="尚未发布的测绘资质",
            implementation_code=f"{LAND}-XK-0004",
            live=False,
        )
        private = factories.guide(
            department=land, title="内部办理的地质勘查", implementation_code=f"{LAND}-XK-0005"
        )
        make_private(private)
        expired = factories.guide(
            department=land, title="已停办的土地复垦", implementation_code=f"{LAND}-XK-0006"
        )
        make_expired(expired)
        forestry = factories.department(code=FORESTRY, name="示范市林业局")
        tree = factories.guide(
            department=forestry,
            title="林木采伐许可",
            sub_item="",
            implementation_code=f"{FORESTRY}-XK-0001",
        )
        only_drafts = factories.department(code=ONLY_DRAFTS, name="示范市档案局")
        factories.guide(department=only_drafts, title="档案查阅", live=False)

        newest = max(guide.last_published_at for guide in land_guides)
        call_command("export_guides", str(out), jobs=1, stdout=stdout, stderr=io.StringIO())
        transaction.set_rollback(True)
    ordered = sorted(land_guides, key=lambda guide: guide.implementation_code)
    return Export(
        out=out,
        stdout=stdout.getvalue(),
        public={
            LAND: [(guide.implementation_code, guide.title) for guide in ordered],
            FORESTRY: [(tree.implementation_code, tree.title)],
        },
        hidden=[(page.implementation_code, page.title) for page in (draft, private, expired)],
        edition_date=f"{timezone.localtime(newest):%Y}年{timezone.localtime(newest).month}月"
        f"{timezone.localtime(newest).day}日",
    )


def test_export_writes_a_pdf_per_public_guide_and_a_book_per_department(export):
    written = {path.relative_to(export.out).as_posix() for path in export.out.rglob("*")}
    expected = set()
    for code, guides in export.public.items():
        expected |= {code, f"{code}/{book_name(code)}"}
        expected |= {f"{code}/{implementation_code}.pdf" for implementation_code, _ in guides}
    assert written == expected  # no folder for a department without public guides, no temp files
    umask = os.umask(0o022)
    os.umask(umask)
    for path in export.out.rglob("*.pdf"):  # readable as the umask allows, not private to us
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    for code, guides in export.public.items():
        for implementation_code, title in guides:
            text = "".join(pdf_pages(export.out / code / f"{implementation_code}.pdf"))
            assert title in text and implementation_code in text
    assert "已导出 PDF 6 份（办事指南 4 份、部门汇编 2 册）" in export.stdout


def test_draft_private_and_expired_guides_are_in_neither_the_files_nor_the_book(export):
    names = {path.name for path in export.out.rglob("*.pdf")}
    book = "".join(pdf_pages(export.out / LAND / book_name(LAND)))
    assert export.hidden
    for implementation_code, title in export.hidden:
        assert f"{implementation_code}.pdf" not in names
        assert implementation_code not in book
        assert title not in book


def test_book_contents_list_every_public_guide_with_the_page_it_starts_on(export):
    path = export.out / LAND / book_name(LAND)
    contents = pdf_page(path, 2)
    assert "目" in contents and "录" in contents
    entries = re.findall(r"^\s*(\d{10}-XK-\d{4})\s+(\S+)\s+(\d+)\s*$", contents, re.M)
    assert [(code, title) for code, title, _ in entries] == export.public[LAND]
    starts = [int(number) for _, _, number in entries]
    assert starts[0] == 3 and starts == sorted(set(starts))
    for (code, title, _), start in zip(entries, starts, strict=True):
        first_page = pdf_page(path, start)
        # The guide's title is the running header from its first page on, and not before.
        assert header(first_page) == title
        assert f"实施编码 {code}" in first_page
        assert header(pdf_page(path, start - 1)) != title


def test_the_cover_names_the_department_the_number_of_items_and_the_edition_date(export):
    cover = pdf_pages(export.out / LAND / book_name(LAND))[0]
    for text in ("办事指南汇编", "示范市自然资源局", "收录政务服务事项 3 项", export.edition_date):
        assert text in cover


def test_every_page_after_the_cover_is_numbered_page_n_of_the_total(export):
    for path in (
        export.out / LAND / book_name(LAND),
        export.out / FORESTRY / f"{FORESTRY}-XK-0001.pdf",
    ):
        total = page_count(path)
        pages = pdf_pages(path)
        assert len(pages) == total > 2
        assert "页/共" not in pages[0]  # the cover has no footer
        for number, text in enumerate(pages[1:], start=2):
            assert f"第{number}页/共{total}页" in text


# --- failures that stop the command before any work --------------------------------------


def test_an_unknown_department_is_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError, match="没有部门编码为“NOPE”的部门"):
        call_command("export_guides", str(tmp_path / "out"), department="NOPE", jobs=1)
    assert not (tmp_path / "out").exists()


def test_a_machine_without_the_chinese_font_is_told_what_to_install(tmp_path, monkeypatch):
    factories.guide()

    def no_font():
        raise PdfUnavailable("没有可用的中文字体。请安装 fonts-noto-cjk")

    def render(*args):
        raise AssertionError("nothing may be rendered")

    monkeypatch.setattr(export_guides, "ensure_can_render", no_font)
    monkeypatch.setattr(export_guides, "export_one", render)
    with pytest.raises(CommandError, match="请安装 fonts-noto-cjk"):
        call_command("export_guides", str(tmp_path / "out"), jobs=1)
    assert not (tmp_path / "out").exists()


# --- the book's HTML and the web address ---------------------------------------------------


def book_queries(department):
    with CaptureQueriesContext(connection) as queries:
        context = editions.department_book_context(
            department, editions.department_guides(department), for_pdf=True
        )
        render_to_string("publications/department_guide_book.html", context)
    return len(queries)


def test_the_books_queries_do_not_grow_with_its_number_of_guides():
    small, large = factories.department(), factories.department()
    for _ in range(2):
        factories.guide(department=small)
    for _ in range(6):
        factories.guide(department=large)
    book_queries(small)  # fills once-per-process caches (Wagtail's site root paths)
    assert book_queries(large) == book_queries(small) < 30


def test_the_book_is_rendered_by_the_worker_and_then_served_at_the_departments_address(
    client, tmp_path
):
    department = factories.department(code=FORESTRY, name="示范市林业局")
    guide = factories.guide(department=department, title="林木采伐许可", sub_item="")
    url = f"/publications/departments/{FORESTRY}/guide-book.pdf"

    # Not rendered yet: the visitor is asked to come back, and the render is queued once.
    queued = OrmQ.objects.count()
    waiting = client.get(url)
    assert waiting.status_code == 503
    assert waiting["Retry-After"] == "60"
    page = waiting.content.decode()
    assert "《示范市林业局办事指南汇编》正在生成" in page
    assert f"?department={FORESTRY}" in page  # a way back to the department's guides
    client.get(url)
    assert OrmQ.objects.count() == queued + 1

    tasks.render_department_book(department.pk)  # what the worker runs
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    path = tmp_path / "book.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    assert guide.title in pdf_page(path, 2) and guide.title in pdf_page(path, 3)

    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_book_is_404_for_an_unknown_department_and_one_without_public_guides(client):
    drafts_only = factories.department(code=ONLY_DRAFTS)
    factories.guide(department=drafts_only, live=False)
    assert client.get("/publications/departments/NOPE/guide-book.pdf").status_code == 404
    assert client.get(f"/publications/departments/{ONLY_DRAFTS}/guide-book.pdf").status_code == 404


def test_the_catalogue_offers_the_book_once_a_department_is_chosen(client):
    guide = factories.guide()
    catalogue = guide.get_parent()
    link = f"/publications/departments/{guide.department.code}/guide-book.pdf"

    chosen = client.get(catalogue.url, {"department": guide.department.code}).content.decode()
    assert f'href="{link}"' in chosen and "下载本部门办事指南汇编（PDF）" in chosen
    assert "下载本部门办事指南汇编" not in client.get(catalogue.url).content.decode()


# --- the parallel export -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_workers_read_the_committed_catalogue_through_their_own_connections(tmp_path):
    # A forked worker could read an in-memory SQLite database through the parent's inherited
    # connection: that is not what runs in production, so this test needs the file test database
    # of config/settings/test.py (with PostgreSQL every connection is a new one anyway).
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db()
    department = factories.department(code=FORESTRY, name="示范市林业局")
    guide = factories.guide(department=department, title="林木采伐许可", sub_item="")
    stdout = io.StringIO()

    call_command(
        "export_guides",
        str(tmp_path),
        department=FORESTRY,
        jobs=2,
        stdout=stdout,
        stderr=io.StringIO(),
    )

    assert "（2 个进程）" in stdout.getvalue()
    assert connection.connection is None  # closed before forking; each worker opened its own
    folder = tmp_path / FORESTRY
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [f"{guide.implementation_code}.pdf", book_name(FORESTRY)]
    )
    assert guide.title in pdf_page(folder / f"{guide.implementation_code}.pdf", 1)
    assert guide.title in pdf_page(folder / book_name(FORESTRY), 3)


@pytest.mark.parametrize(
    "path", ["/publications/departments/%00/guide-book.pdf", "/ban-shi-zhi-nan/%00/pdf/"]
)
def test_a_nul_byte_in_the_path_is_a_bad_request_not_a_database_error(client, path):
    assert client.get(path).status_code == 400
