"""Editors preview a draft in every channel it will reach (Wagtail's preview modes): a guide as
its web page, kiosk screen, print edition, PDF and API JSON; a policy as its web page and print
edition; a magazine issue as its web page and PDF edition. The preview shows the draft; no
public channel, cache, feed or search shows it until it is published, and no PDF is written to
the PDF cache."""

import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse

from cms.install import EDITORS
from cms.models import MagazineIssuePage, PolicyPage, ServiceGuidePage
from tests import factories

pytestmark = pytest.mark.django_db


# --- what an editor's browser does -------------------------------------------------------


def edit_form_data(client, page):
    """The page's edit form as the browser would post it: every field's current value."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        # Inline panels keep a blank form to copy under __prefix__; a browser never posts it.
        if not name or "__prefix__" in name:
            continue
        if field.name == "select":
            options = field.find_all("option")
            chosen = [o.get("value", o.text) for o in options if o.has_attr("selected")]
            if not chosen and not field.has_attr("multiple") and options:
                chosen = [options[0].get("value", options[0].text)]
            data[name] = chosen
        elif field.name == "textarea":
            data[name] = field.text.removeprefix("\n")  # HTML drops a textarea's first newline
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file", "image"):
            data[name] = field.get("value", "")
    return data


def save_draft(client, page, data):
    """The editor's 保存草稿: a new revision, the live page untouched."""
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302, response.content[:500]
    page.refresh_from_db()
    assert page.has_unpublished_changes


def admin_preview(client, page, data, mode):
    """What the preview panel does: post the form, then load the preview for `mode`."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    posted = client.post(url, data)
    assert posted.json() == {"is_valid": True, "is_available": True}
    return client.get(url, {"mode": mode, "in_preview_panel": "true"})


def squeeze(text):
    return re.sub(r"\s+", "", text)


def pdf_text(data):
    return squeeze("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def text_of(response):
    """The text a reader gets from an answer, whatever the channel's format."""
    if response["Content-Type"] == "application/pdf":
        data = response.content if not response.streaming else b"".join(response.streaming_content)
        return pdf_text(data)
    return squeeze(response.content.decode())


# --- the pages and their channels --------------------------------------------------------

GUIDE_TITLE = "预览草稿食品经营许可"
GUIDE_ANSWER = "草稿解答请携带新版申请表"
POLICY_TITLE = "预览草稿关于优化营商环境的通知"
POLICY_SUMMARY = "草稿摘要本通知自发布之日起施行"
ISSUE_TITLE = "预览草稿改革专刊"
ISSUE_NOTE = "草稿卷首语改革再出发"


def guide_case():
    page = factories.guide(title="企业设立登记公开版")

    def draft(data):
        data["title"] = GUIDE_TITLE
        data["faqs-0-answer"] = GUIDE_ANSWER
        return [GUIDE_TITLE, GUIDE_ANSWER]

    def public_urls():
        return [
            page.url,
            page.url + "kiosk/",
            page.url + "print/",
            page.url + "pdf/",
            f"/api/v2/pages/{page.pk}/",
            "/api/v2/pages/?type=cms.ServiceGuidePage&fields=*",
        ]

    return page, draft, public_urls


def policy_case():
    page = factories.policy(title="关于深化改革的通知公开版", summary="公开的摘要")

    def draft(data):
        data["title"] = POLICY_TITLE
        data["summary"] = POLICY_SUMMARY
        return [POLICY_TITLE, POLICY_SUMMARY]

    def public_urls():
        index = page.get_parent().url
        return [
            page.url,
            page.url + "print/",
            index,
            index + "rss/",
            index + "atom/",
            f"/api/v2/pages/{page.pk}/",
            "/api/v2/pages/?type=cms.PolicyPage&fields=*",
        ]

    return page, draft, public_urls


def issue_case():
    page = factories.magazine_issue()
    factories.magazine_article(page, factories.magazine_column("改革动态", 1))

    def draft(data):
        data["title"] = ISSUE_TITLE
        data["editors_note"] = ISSUE_NOTE
        return [ISSUE_TITLE, ISSUE_NOTE]

    def public_urls():
        magazine = page.get_parent().url
        return [
            page.url,
            page.url + "pdf/",
            magazine,
            magazine + "rss/",
            magazine + "atom/",
            f"/api/v2/pages/{page.pk}/",
            "/api/v2/pages/?type=cms.MagazineIssuePage&fields=*",
        ]

    return page, draft, public_urls


CASES = {"guide": guide_case, "policy": policy_case, "issue": issue_case}
MODES = [
    ("guide", "", "text/html"),
    ("guide", "kiosk", "text/html"),
    ("guide", "print", "text/html"),
    ("guide", "pdf", "application/pdf"),
    ("guide", "api", "application/json"),
    ("policy", "", "text/html"),
    ("policy", "print", "text/html"),
    ("issue", "", "text/html"),
    ("issue", "pdf", "application/pdf"),
]


def pdf_cache_files():
    root = Path(settings.PDF_CACHE_DIR)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def pages_cache_holds(text):
    """Whether any entry of the pages cache (public answers, PDF digests) holds `text`."""
    cache = caches["pages"]
    assert isinstance(cache, LocMemCache)  # config/settings/test.py: one process, in memory
    needle = text.encode()
    return any(needle in blob for blob in cache._cache.values())


def search_shows(client, text):
    """Whether the search page or the search API shows `text` in what it finds, asked for
    its first characters (so the query echoed back is not the text itself)."""
    query = text[:4]
    api = client.get("/api/search/", {"q": query})
    page = client.get("/search/", {"q": query})
    assert api.status_code == page.status_code == 200
    data = api.json()
    found = json.dumps([data["hits"], data["best_bets"], data["suggestions"]], ensure_ascii=False)
    shown = [found, BeautifulSoup(page.content, "html.parser").get_text()]
    return any(text in squeeze(BeautifulSoup(part, "html.parser").get_text()) for part in shown)


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "mode", "content_type"), MODES)
def test_a_draft_previews_in_each_mode_and_reaches_no_public_channel(
    client, changes, kind, mode, content_type
):
    with changes():
        page, draft, public_urls = CASES[kind]()
    visitor = Client()
    live_title = page.title
    visitor.get(page.url)  # the live page is in the pages cache before the editor starts

    client.force_login(factories.user("xiaoli", EDITORS))
    data = edit_form_data(client, page)
    draft_texts = draft(data)
    with changes():  # what the search worker would index after the draft is saved
        save_draft(client, page, data)
        response = admin_preview(client, page, data, mode)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    shown = text_of(response)
    for text in draft_texts:
        assert text in shown, (mode, text)
    if content_type == "application/pdf":
        assert response["Content-Disposition"].startswith("inline")
    # The admin's preview panel may frame it (the public site may not be framed at all).
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # Nothing of the preview was kept: no PDF file, no cached answer or digest.
    assert pdf_cache_files() == []
    assert not any(pages_cache_holds(text) for text in draft_texts)

    # Every public channel still shows the live page, and only the live page.
    for url in public_urls():
        answer = visitor.get(url)
        assert answer.status_code == 200, url
        public = text_of(answer)
        assert not any(text in public for text in draft_texts), url
    assert live_title in text_of(visitor.get(page.url))
    assert not any(search_shows(visitor, text) for text in draft_texts)
    if kind != "issue":  # the search indexes a magazine's articles, not its issues
        assert search_shows(visitor, live_title)  # the index holds the page, as published
    # The public PDFs rendered just now were rendered from the live page.
    for path in pdf_cache_files():
        assert not any(text in pdf_text(path.read_bytes()) for text in draft_texts)
    assert not any(pages_cache_holds(text) for text in draft_texts)


def test_each_page_type_offers_its_channels_as_preview_modes(client):
    guide, policy, issue = factories.guide(), factories.policy(), factories.magazine_issue()
    assert [mode for mode, _ in guide.preview_modes] == ["", "kiosk", "print", "pdf", "api"]
    assert [mode for mode, _ in policy.preview_modes] == ["", "print"]
    assert [mode for mode, _ in issue.preview_modes] == ["", "pdf"]
    for page in (guide, policy, issue):
        assert page.default_preview_mode == ""  # the web page, as before

    client.force_login(factories.user("xiaoli", EDITORS))
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=(guide.pk,))).content.decode()
    for mode, label in guide.preview_modes:
        assert f'<option value="{mode}"' in edit_page and label in edit_page


def test_the_guide_offers_the_kiosk_screen_width_among_its_preview_sizes():
    guide = factories.guide()
    sizes = {size["name"]: size["device_width"] for size in guide.preview_sizes}
    assert sizes == {"mobile": 375, "tablet": 768, "desktop": 1280, "kiosk": 1080}
    assert guide.default_preview_size == "mobile"


def test_a_preview_request_without_the_editors_cookie_neither_reads_nor_fills_the_page_cache():
    """Wagtail's preview request is built for the page's public address; without a session
    cookie (make_preview_request called with no request) the page cache must still stay out."""
    guide = factories.guide(title="企业设立登记公开版")
    visitor = Client(HTTP_HOST="localhost")  # the host Wagtail's preview request carries
    assert visitor.get(guide.url).status_code == 200
    assert visitor.get(guide.url)["X-Cache"] == "hit"

    guide.title = GUIDE_TITLE
    guide.save_revision()
    draft = ServiceGuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
    for mode in ("", "kiosk", "print", "api"):
        response = draft.make_preview_request(preview_mode=mode)
        assert response.status_code == 200, mode
        assert "X-Cache" not in response
        assert GUIDE_TITLE in response.content.decode(), mode
    assert GUIDE_TITLE not in visitor.get(guide.url).content.decode()
    assert not pages_cache_holds(GUIDE_TITLE)


def test_every_page_type_can_be_previewed_in_the_admins_frame_and_no_public_page_can(client):
    """The public policy forbids framing; Wagtail renders a preview on a request for the
    page's public address, so without the preview's own rule the panel stayed blank."""
    client.force_login(factories.user("xiaoli", EDITORS))
    bundle = factories.bundle([factories.guide(), factories.guide()])
    pages_and_modes = [
        (factories.home(), ""),
        (factories.policy_index(), ""),
        (factories.magazine(), ""),
        (bundle, ""),
        (bundle, "checklist"),  # a mode the bundle renders itself
    ]
    for page, mode in pages_and_modes:
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
        data = edit_form_data(client, page)
        assert client.post(url, data).json()["is_valid"]
        response = client.get(url, {"mode": mode, "in_preview_panel": "true"})
        assert response.status_code == 200
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        public = Client().get(page.url)
        assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
        assert public["X-Frame-Options"] == "DENY"


def test_an_unknown_preview_mode_is_not_found():
    policy = factories.policy()
    draft = PolicyPage.objects.get(pk=policy.pk).get_latest_revision_as_object()
    assert draft.make_preview_request(preview_mode="pdf").status_code == 404


def test_a_new_guide_previews_in_every_mode_before_it_is_first_saved(client):
    """The add form's preview: the page has no id yet, and no live version at all."""
    existing = factories.guide()
    client.force_login(factories.user("xiaoli", EDITORS))
    data = edit_form_data(client, existing)
    data.update(title=GUIDE_TITLE, slug="", implementation_code="37060000MB-XK-9999")
    for key in [key for key in data if key.endswith("-id")]:
        data[key] = ""  # the rows are the new page's own
    parent = existing.get_parent()
    url = reverse("wagtailadmin_pages:preview_on_add", args=("cms", "serviceguidepage", parent.pk))
    assert client.post(url, data).json()["is_valid"]
    for mode, _ in existing.preview_modes:
        response = client.get(url, {"mode": mode})
        assert response.status_code == 200, mode
        assert GUIDE_TITLE in text_of(response), mode
    assert not ServiceGuidePage.objects.filter(title=GUIDE_TITLE).exists()
    assert pdf_cache_files() == []


def test_the_issue_pdf_preview_prints_the_draft_issue_with_its_public_articles(client):
    issue = factories.magazine_issue()
    column = factories.magazine_column("改革动态", 1)
    factories.magazine_article(issue, column, title="公开的文章")
    factories.magazine_article(issue, column, title="未发布的文章", live=False)
    client.force_login(factories.user("xiaoli", EDITORS))
    data = edit_form_data(client, issue)
    data["editors_note"] = ISSUE_NOTE
    text = text_of(admin_preview(client, issue, data, "pdf"))
    assert ISSUE_NOTE in text and "公开的文章" in text
    assert "未发布的文章" not in text
    assert MagazineIssuePage.objects.get(pk=issue.pk).editors_note != ISSUE_NOTE
