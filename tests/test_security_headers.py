"""Every public page carries a Content-Security-Policy that allows no inline script or style,
and its HTML needs none: no inline scripts, no event-handler attributes, no style attributes,
and a <style> block only with the request's nonce."""

import re

import pytest
from wagtail.models import Collection

from cms.models import GalleryIndexPage, GalleryPage, OneThingIndexPage, OneThingItem, OneThingPage
from tests import factories

pytestmark = pytest.mark.django_db


def csp(response):
    header = response["Content-Security-Policy"]
    return {
        parts[0]: parts[1:]
        for parts in (directive.split() for directive in header.split(";"))
        if parts
    }


def inline_code(html, nonce):
    """What in `html` a policy without 'unsafe-inline' would block."""
    problems = []
    for attributes in re.findall(r"<script\b([^>]*)>", html):
        if "src=" not in attributes:
            problems.append(f"<script{attributes}>")
    for attributes in re.findall(r"<style\b([^>]*)>", html):
        if f'nonce="{nonce}"' not in attributes:
            problems.append(f"<style{attributes}>")
    problems += re.findall(r"<[^>]+\sstyle\s*=", html)
    problems += re.findall(r"<[^>]+\son[a-z]+\s*=", html)
    problems += re.findall(r"href\s*=\s*[\"']?\s*javascript:", html)
    return problems


@pytest.fixture
def public_urls():
    guide = factories.guide(title="营业执照办理", high_frequency=True)
    policy = factories.policy(title="关于优化营商环境的若干措施")
    issue = factories.magazine_issue()
    article = factories.magazine_article(issue, factories.magazine_column("改革动态"))
    collection = Collection.get_first_root_node().add_child(name="综合窗口风采")
    photo = factories.image("综合受理窗口工作照")
    photo.collection = collection
    photo.save()
    galleries = factories.add_page(factories.home(), GalleryIndexPage(title="窗口风采"))
    gallery = factories.add_page(galleries, GalleryPage(title="综合受理区", collection=collection))
    bundles = factories.add_page(factories.home(), OneThingIndexPage(title="一件事一次办"))
    bundle = OneThingPage(title="开办企业一件事", life_event="从领执照到刻章")
    bundle.items = [OneThingItem(guide=guide)]
    bundle = factories.add_page(bundles, bundle)
    return [
        issue.get_parent().url,
        issue.url,
        article.url,
        galleries.url,
        gallery.url,
        bundles.url,
        bundle.url,
        guide.url + f"?situation={guide.situations.first().pk}",
        "/",
        guide.get_parent().url,
        guide.get_parent().url + f"?department={guide.department.code}",
        guide.url,
        guide.url + "kiosk/",
        guide.url + "print/",
        policy.url,
        policy.get_parent().url,
        "/kiosk/",
        "/search/?q=营业执照",
        "/search/?q=没有这样的事项",
        "/no-such-page/",
    ]


def test_public_pages_send_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        directives = csp(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in directives["style-src"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url


def test_public_pages_need_no_inline_script_or_style(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        nonces = [s[len("'nonce-") : -1] for s in csp(response)["style-src"] if "nonce" in s]
        html = response.content.decode()
        assert inline_code(html, nonces[0] if nonces else "-") == [], url


def test_the_print_page_style_block_carries_the_policy_nonce(client):
    guide = factories.guide(title="营业执照办理")
    response = client.get(guide.url + "print/")
    (nonce,) = [s[len("'nonce-") : -1] for s in csp(response)["style-src"] if "nonce" in s]
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_the_inline_code_finder_catches_what_a_policy_would_block():
    assert inline_code('<p style="color:red">', "n")
    assert inline_code("<p style='color:red'>", "n")
    assert inline_code("<img src=x onerror=alert(1)>", "n")
    assert inline_code("<script>alert(1)</script>", "n")
    assert inline_code('<a onclick="x()">', "n")
    assert inline_code("<style>p{}</style>", "n")
    assert not inline_code('<style nonce="n">p{}</style><script src="/a.js"></script>', "n")


def test_the_page_api_answers_json_even_to_a_browser(client):
    response = client.get("/api/v2/pages/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response["Content-Type"] == "application/json"


def test_the_admin_is_left_to_wagtail(admin_client):
    assert "Content-Security-Policy" not in admin_client.get("/admin/")
