"""An editor previews a one-thing bundle two ways (Wagtail's preview modes): the bundle page
(web, the default) and the checklist a visitor gets before choosing. A preview renders the
draft, and never reads or fills the public page cache nor the PDF cache."""

from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import OneThingItem, OneThingPage
from tests import factories
from tests.test_same_source_channels import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle_with_draft():
    """A live bundle of two guides, and a draft that renames it and drops the second."""
    first = factories.guide(title="执照申领")
    second = factories.guide(title="公章刻制备案")
    bundle = factories.bundle([first, second], title="开办企业一件事")
    draft = OneThingPage.objects.get(pk=bundle.pk)
    draft.title = "开办企业一件事（草稿）"
    draft.items = [OneThingItem(sort_order=0, guide=first)]
    draft.save_revision()
    return bundle, first, second


def preview(page, mode, original_request=None):
    revision = type(page).objects.get(pk=page.pk).get_latest_revision()
    response = revision.as_object().make_preview_request(original_request, mode)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_the_bundle_offers_the_web_and_checklist_previews():
    assert OneThingPage.preview_modes == [("web", "网页"), ("checklist", "个人材料清单")]
    assert OneThingPage().default_preview_mode == "web"


def test_each_mode_renders_the_draft(bundle_with_draft):
    bundle, _, second = bundle_with_draft
    web = preview(bundle, "web")
    assert "开办企业一件事（草稿）" in web and "公章刻制备案" not in web
    checklist = preview(bundle, "checklist")
    assert "开办企业一件事（草稿）：我的材料清单" in checklist
    assert "公章刻制备案" not in checklist and "逐项选择办理情形" in checklist


def test_previews_never_reach_the_page_cache_or_the_pdf_cache(client, bundle_with_draft, settings):
    bundle, _, _ = bundle_with_draft
    # Visitors have filled the public cache for the live bundle and its checklist, at the
    # site's own address (http://localhost/, where Wagtail sends its made-up preview request).
    host = {"HTTP_HOST": bundle.get_site().hostname}
    for url in (bundle.url, bundle.url + "checklist/"):
        client.get(url, **host)
        assert client.get(url, **host)["X-Cache"] == "hit"

    # Wagtail asks for a preview at the page's public address; without the editor's cookie the
    # made-up request looks anonymous, and must still get the draft, not the cached live page.
    assert "开办企业一件事（草稿）" in preview(bundle, "web")
    assert "开办企业一件事（草稿）" in preview(bundle, "checklist")

    live = client.get(bundle.url + "checklist/", **host)
    assert live["X-Cache"] == "hit" and "（草稿）" not in live.content.decode()
    assert "（草稿）" not in client.get(bundle.url, **host).content.decode()
    # The checklist's preview offers no PDF, and nothing was rendered into the PDF cache.
    assert "checklist/pdf/" not in preview(bundle, "checklist")
    pdf_dir = Path(settings.PDF_CACHE_DIR)
    assert not pdf_dir.exists() or not list(pdf_dir.iterdir())


def bundle_form_data(bundle, guides, title):
    return nested_form_data(
        {
            "title": title,
            "slug": bundle.slug,
            "life_event": bundle.life_event,
            "audience": bundle.audience,
            "body": rich_text(""),
            "window_note": "",
            "items": inline_formset([{"guide": guide.pk} for guide in guides]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
        }
    )


def test_the_editor_previews_the_unsaved_form_in_the_checklist_mode(client, bundle_with_draft):
    bundle, first, second = bundle_with_draft
    client.force_login(factories.user("admin", superuser=True))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(bundle.pk,))
    data = bundle_form_data(bundle, [second], "开办企业一件事（未保存）")
    posted = client.post(url, data)
    assert posted.json()["is_valid"], posted.json()

    for mode in ("web", "checklist"):
        response = client.get(url, {"mode": mode})
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        assert "开办企业一件事（未保存）" in text, mode
        assert "公章刻制备案" in text and "执照申领" not in text, mode
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
