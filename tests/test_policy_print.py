"""A policy's print edition (its URL + print/): the document laid out for A4, served like the
guide's print view, for public policies only."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.caching import version
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_print_edition_shows_the_document_and_its_facts(client):
    policy = factories.policy(
        title="关于印发政务服务事项目录的通知",
        document_number="示政办发〔2026〕5号",
        summary="公布市级政务服务事项目录。",
        body="<p>各区县人民政府，市政府各部门：现将目录印发给你们。</p>",
        validity="amended",
        validity_note="已被2026年第9号文件修订",
    )
    response = client.get(policy.url + "print/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    for expected in (
        policy.title,
        "示政办发〔2026〕5号",
        "示范市人民政府",
        "2024年3月1日",
        "公布市级政务服务事项目录。",
        "现将目录印发给你们",
        "效力状态：已修订",
        "已被2026年第9号文件修订",
        policy.get_full_url(),
    ):
        assert expected in text, expected
    # The policy page links it.
    page = BeautifulSoup(client.get(policy.url).content, "html.parser")
    assert page.find("a", href=policy.url + "print/").get_text() == "打印版"


def test_the_print_edition_is_never_kept_in_the_page_cache(client):
    """Its <style> carries the request's CSP nonce, as the guide's print view does."""
    policy = factories.policy()
    for _ in range(2):
        response = client.get(policy.url + "print/")
        assert response.status_code == 200
        assert response.get("X-Cache") != "hit"


def test_hidden_policies_have_no_print_edition(client):
    draft = factories.policy(live=False)
    private = factories.policy()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    expired = factories.policy()
    Page.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    version.bump()
    assert client.get(f"{factories.policy_index().url}{draft.slug}/print/").status_code == 404
    assert client.get(private.url + "print/").status_code == 302
    assert client.get(expired.url + "print/").status_code == 404
