"""Every admin page an editor, a reviewer or an administrator uses reads in Chinese: the text a
person sees (and a screen reader says) holds no English word but those ALLOWED and the
content's own (slugs, file names, user names)."""

import json
import re
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail.admin
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Site, Workflow
from wagtail.users.models import UserProfile

from cms.install import EDITORS, REVIEWERS, WORKFLOW_NAME
from search.models import HotQueryBlockedWord
from tests import factories

ALLOWED = {
    # The product's name, as the editor guide and the "what's new" notice name it.
    "Wagtail",
    # Abbreviations Chinese government software writes as they are.
    "PDF",
    "API",
    "JSON",  # the API channel's preview mode, 接口 JSON
    "URL",
    "ID",
    "UTC",
    # File formats and sizes, as the upload forms and the reports' downloads name them
    # (WAGTAILIMAGES_EXTENSIONS; 下载CSV, 下载XLSX; 文件大小上限：20.0 MB).
    "JPG",
    "JPEG",
    "PNG",
    "WEBP",
    "CSV",
    "XLSX",
    "TSV",
    "KB",
    "MB",
    # The GBK encoding, beside UTF-8, in the hall data import's help.
    "GBK",
    # Cron, the scheduler's name, as django-q2's own Chinese writes it (Cron 表达式).
    "Cron",
    # AB岗, the A/B post (backup duty) of Chinese administrative practice.
    "AB",
}
# A word, not part of a code or a name in code: 62052400MZ-XK-0001 (an implementation code),
# cms.tasks.publish_scheduled_pages (a job) and .csv hold none; "the admin." ends with one.
WORD = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z][A-Za-z'’]+(?![A-Za-z0-9_/-]|\.[A-Za-z0-9_])")
# Attributes whose values are shown (placeholder, tooltip) or read aloud (aria-label, alt).
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
# Elements whose content nobody reads as text, and code, which is typed as written
# (python manage.py make_bulletin daily; the from/to columns of a redirects file).
UNSEEN = {"script", "style", "template", "svg", "noscript", "code"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Options named in their own terms: the account form's time zones (Asia/Shanghai) and the
# languages a user may choose, each in its own language (English), so its readers find it.
OWN_NAMES = zoneinfo.available_timezones() | {name for _, name in settings.LANGUAGES}


class VisibleText(HTMLParser):
    """The text nodes outside UNSEEN elements and the SHOWN_ATTRIBUTES' values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.open = []  # (tag, hidden) of the elements the parser is inside

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, "hidden" in dict(attrs)))
        if self.unseen():
            return
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and value.strip():
                self.texts.append(value.strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML lets some end tags be left out).
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        text = data.strip()
        if not text or self.unseen():
            return
        inside = {tag for tag, _ in self.open}
        if "option" in inside and text in OWN_NAMES:
            return
        # A hidden counter the admin's script fills in before showing it (Wagtail's side
        # panel toggles render Python's None there).
        if text == "None" and any(hidden for _, hidden in self.open):
            return
        self.texts.append(text)

    def unseen(self):
        return any(tag in UNSEEN for tag, _ in self.open)


def english(html, content_words):
    """Each visible text holding an English word outside ALLOWED and content_words, with
    those words."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    found = []
    for text in parser.texts:
        words = [w for w in WORD.findall(text) if w not in ALLOWED | content_words]
        if words:
            found.append((text, words))
    return found


def test_the_reader_sees_text_and_shown_attributes_but_not_scripts_or_icons():
    html = """<p title="Tip">Hello <b>世界</b></p><script>var English = 1;</script>
    <svg><title>Icon</title></svg><input placeholder="Search all pages…">
    <template><p>Later</p></template><select><option>Asia/Shanghai</option></select>
    <span>62052400MZ-XK-0001</span><div hidden><span>None</span></div>
    <p>运行 <code>python manage.py make_bulletin daily</code>，见 cms.tasks.run 与 a.csv</p>"""
    found = english(html, set())
    assert [words for _, words in found] == [["Tip"], ["Hello"], ["Search", "all", "pages"]]


@pytest.fixture
def content(db):
    guide = factories.guide(title="企业设立登记")
    # A draft after the published version and a review in progress: the edit view shows
    # the status panels, the history two revisions, the workflow history one workflow.
    guide.summary = "申请设立有限责任公司，领取营业执照，并办理刻章备案。"
    author = factories.user("xiaozhang", EDITORS)
    guide.save_revision(user=author)
    Workflow.objects.get(name=WORKFLOW_NAME).start(guide, author)
    document = get_document_model().objects.create(
        title="申请表", file=ContentFile(b"%PDF-1.4\n", name="shenqingbiao.pdf")
    )
    return {
        "guide": guide,
        "catalogue": guide.get_parent(),
        "material": factories.material(name="营业执照副本"),
        "image": factories.image(title="办事大厅"),
        "document": document,
    }


def content_words(content):
    """The English-looking words the content itself holds: pinyin slugs, file names and
    user names (all entered by people, shown as entered)."""
    values = [content["guide"].slug, content["catalogue"].slug]
    values += [content["image"].file.name, content["document"].file.name]
    for account in get_user_model().objects.all():
        values += [account.username, account.email]
    values += [site.hostname for site in Site.objects.all()]
    values += [blocked.word for blocked in HotQueryBlockedWord.objects.all()]  # qq, vx
    return {word for value in values for word in WORD.findall(value)}


def admin_pages(content, role):
    guide, catalogue = content["guide"], content["catalogue"]
    pages = [
        "/admin/",
        f"/admin/pages/{catalogue.pk}/",
        f"/admin/pages/{guide.pk}/edit/",
        # The page type chooser (the home page takes several types), and the catalogue's,
        # which takes guides only and so leads straight to a new guide's form.
        f"/admin/pages/{catalogue.get_parent().pk}/add_subpage/",
        f"/admin/pages/{catalogue.pk}/add_subpage/",
        f"/admin/pages/{guide.pk}/history/",
        f"/admin/pages/{guide.pk}/workflow_history/",
        "/admin/pages/search/?q=企业",
        "/admin/snippets/",
        "/admin/snippets/cms/material/",
        # Materials are moderated like pages: editors draft them, reviewers publish them.
        f"/admin/snippets/cms/material/edit/{content['material'].pk}/",
        "/admin/documents/",
        f"/admin/documents/edit/{content['document'].pk}/",
        "/admin/images/",
        f"/admin/images/{content['image'].pk}/",
        "/admin/account/",
    ]
    if role == "superuser":
        # The new group's form lists every permission by name. (A group with page permissions
        # is left out: Wagtail 8 labels their page chooser "Page" for screen readers, from the
        # field's name, which no catalogue translates.)
        pages.append("/admin/groups/new/")
    if role != "editor":  # the search reports are reviewers' work
        pages += [
            "/admin/search-reports/zero-results/",
            "/admin/search-reports/low-clicks/",
        ]
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, make_user",
    [
        ("editor", lambda: factories.user("bianji", EDITORS)),
        ("reviewer", lambda: factories.user("shenhe", REVIEWERS)),
        ("superuser", lambda: factories.user("guanli", superuser=True)),
    ],
)
def test_every_admin_page_an_editor_uses_speaks_chinese(client, content, role, make_user):
    client.force_login(make_user())
    words = content_words(content)
    assert_chinese(client, admin_pages(content, role), words)


def assert_chinese(client, urls, words):
    """Each page answers 200 and its visible text holds no English but `words` and ALLOWED."""
    found = {}
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            found[url] = [(f"HTTP {response.status_code}", [])]
        elif texts := english(response.content.decode(), words):
            found[url] = texts
    assert not found, "\n".join(
        f"{url}\n" + "\n".join(f"    {text!r}: {words}" for text, words in texts)
        for url, texts in found.items()
    )


# Pages of the administrators' menu where Wagtail 8 itself prints English no catalogue can
# translate: the site list's column labels are its field names ("Port", "Site name", "Root
# page"); the aging pages report prints None for a page last published by no one (a
# scheduled publish, an import).
UNTRANSLATABLE = {"/admin/sites/", "/admin/reports/aging-pages/"}


def menu_urls(sidebar_html):
    """Every admin address the sidebar menu leads to (its items are JSON for the script)."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', sidebar_html, re.S)

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                yield from strings(item)

    return {s for s in strings(json.loads(props.group(1))) if re.fullmatch(r"/admin/[\w/-]*", s)}


@pytest.mark.django_db
def test_every_page_of_the_administrators_menu_speaks_chinese(client, content):
    client.force_login(factories.user("guanli", superuser=True))
    urls = menu_urls(client.get("/admin/").content.decode())
    assert len(urls) > 30 and "/admin/supervision/schedules/" in urls
    words = content_words(content)
    assert_chinese(client, sorted(urls - UNTRANSLATABLE - {"/admin/logout/"}), words)


@pytest.mark.django_db
def test_a_user_who_chose_english_still_reads_english(client):
    account = factories.user("guanli", superuser=True)
    profile = UserProfile.get_for_user(account)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(account)
    html = client.get("/admin/").content.decode()
    assert "Search all pages…" in html and "搜索全部页面" not in html
    script = client.get("/admin/jsi18n/").content.decode()
    assert "正在自动保存" not in script


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WAGTAIL_ADMIN_TEMPLATES = Path(wagtail.admin.__file__).parent / "templates"
# The project's copies of Wagtail admin templates (templates/wagtailadmin/): the copy wins
# (DIRS come before the apps' templates), so a Wagtail upgrade that changes the original must
# be carried over. Each copy replaces these lines of Wagtail's, which show English whatever the
# user's language, and adds only translation and comments.
OVERRIDDEN = {
    "wagtailadmin/shared/headers/_actions.html": ['aria-label="Actions"'],
    "wagtailadmin/pages/listing/_page_title_column_header.html": [],
    "wagtailadmin/tables/boolean_cell.html": ["title=value|stringformat:'s'"] * 3,
}
I18N = ("translate", "yesno", "{#", "{% load i18n %}")


def test_every_copied_wagtail_template_is_listed():
    copies = TEMPLATES.glob("wagtailadmin/**/*.html")
    assert {str(path.relative_to(TEMPLATES)) for path in copies} == set(OVERRIDDEN)


@pytest.mark.parametrize("name", sorted(OVERRIDDEN))
def test_the_copied_wagtail_templates_differ_from_wagtails_only_by_translation(name):
    ours = (TEMPLATES / name).read_text(encoding="utf-8").splitlines()
    wagtails = (WAGTAIL_ADMIN_TEMPLATES / name).read_text(encoding="utf-8").splitlines()
    added = [line for line in ours if line not in wagtails]
    removed = [line for line in wagtails if line not in ours]
    assert all(any(mark in line for mark in I18N) for line in added), added
    replaced = OVERRIDDEN[name]
    assert len(removed) == len(replaced), removed
    assert all(english in line for english, line in zip(replaced, removed, strict=True)), removed
