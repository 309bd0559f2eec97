"""Abuse is bounded: one client cannot flood search, suggestions, the API or the PDF renderer,
nor guess passwords; a refused request gets 429, Retry-After and a message in Chinese."""

import base64
import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Hold the clock inside one rate window: django-ratelimit counts in fixed windows, and a
    test that straddled a window's end would see its count start again half-way."""
    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def flood(client, url, times, **extra):
    return [client.get(url, **extra).status_code for _ in range(times)]


@pytest.mark.django_db
def test_two_hundred_rapid_searches_from_one_address_get_429s(client):
    statuses = flood(client, "/search/?q=营业执照", 200)
    assert statuses[0] == 200
    assert statuses.count(429) >= 100
    refused = client.get("/search/?q=营业执照")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "访问过于频繁" in refused.content.decode()


@pytest.mark.django_db
def test_the_json_api_is_refused_in_json(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "5/m"}
    flood(client, "/api/search/?q=社保", 5)
    refused = client.get("/api/search/?q=社保")
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    assert "访问过于频繁" in refused.json()["error"] and refused.json()["retry_after"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, group",
    [
        ("/api/search/suggest/?q=yy", "suggest"),
        ("/api/v2/pages/", "api"),
        ("/search/?q=x", "search"),
        ("/search/go/?q=x&page=1", "search"),
    ],
)
def test_each_limited_endpoint_refuses_past_its_rate(client, settings, url, group):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: "3/m"}
    assert 429 not in flood(client, url, 3)
    assert client.get(url).status_code == 429


@pytest.mark.django_db
def test_clients_are_counted_apart_and_exempt_addresses_never_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    settings.RATE_LIMIT_EXEMPT = {"10.0.0.9"}
    flood(client, "/search/?q=a", 2, REMOTE_ADDR="10.0.0.1")
    assert client.get("/search/?q=a", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/search/?q=a", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert 429 not in flood(client, "/search/?q=a", 5, REMOTE_ADDR="10.0.0.9")


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_counts_and_spoofed_hops_do_not(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for spoof in ("1.1.1.1", "2.2.2.2"):  # the visitor types a new first hop each time
        client.get("/search/?q=a", HTTP_X_FORWARDED_FOR=f"{spoof}, 203.0.113.5", **proxy)
    refused = client.get("/search/?q=a", HTTP_X_FORWARDED_FOR="3.3.3.3, 203.0.113.5", **proxy)
    assert refused.status_code == 429
    other = client.get("/search/?q=a", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 200
    garbage = client.get("/search/?q=a", HTTP_X_FORWARDED_FOR="not-an-address", **proxy)
    assert garbage.status_code in (200, 429)


@pytest.mark.django_db
def test_a_client_reaching_the_app_directly_cannot_pose_as_a_proxy(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    settings.TRUSTED_PROXIES = 1
    settings.RATE_LIMIT_EXEMPT = ["10.9.9.9"]
    direct = {"REMOTE_ADDR": "198.51.100.20"}  # a public address: not a proxy
    statuses = [
        client.get("/search/?q=a", HTTP_X_FORWARDED_FOR=claimed, **direct).status_code
        for claimed in ("10.9.9.9", "192.0.2.1", "192.0.2.2", "192.0.2.3")
    ]
    assert statuses.count(429) == 2  # counted as itself, whatever it claims


@pytest.mark.django_db
def test_exempt_networks_are_parsed_with_spaces_and_mapped_addresses(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    settings.RATE_LIMIT_EXEMPT = ["10.1.2.0/24", " 203.0.113.7", "10.1.*"]  # the last mistyped
    for address in ("10.1.2.55", "203.0.113.7", "::ffff:10.1.2.9"):
        assert 429 not in flood(client, "/search/?q=a", 3, REMOTE_ADDR=address), address
    assert 429 in flood(client, "/search/?q=a", 3, REMOTE_ADDR="10.1.3.1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/admin/login/", "/_util/login/", "/documents/authenticate_with_password/1/"],
)
def test_every_password_form_is_rate_limited_per_address(client, settings, path):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/m"}
    for n in range(3):
        response = client.post(path, {"username": f"guess{n}", "password": "x"})
        assert response.status_code != 429
    refused = client.post(path, {"username": "guess9", "password": "x"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_the_page_api_does_not_check_passwords(client):
    user = factories.user("reviewer", "审核员")
    user.set_password("right-password-2026")
    user.save()
    for password in ("wrong", "right-password-2026"):
        token = base64.b64encode(f"reviewer:{password}".encode()).decode()
        response = client.get("/api/v2/pages/", HTTP_AUTHORIZATION=f"Basic {token}")
        assert response.status_code == 200  # the same answer: nothing to learn from it


@pytest.mark.django_db
def test_pdf_renders_on_a_cache_miss_are_limited_but_cached_pdfs_are_not(client, settings):
    guide = factories.guide(title="营业执照办理")
    situations = list(guide.situations.all())
    assert client.get(guide.url + "pdf/").status_code == 200  # rendered: the one miss
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pdf-render": "1/m"}
    assert 429 not in flood(client, guide.url + "pdf/", 5)  # every one a hit
    if situations:
        url = f"{guide.url}pdf/?situation={situations[0].pk}"
        assert client.get(url).status_code == 200  # a miss, the first this minute
        from publications import cache as pdf_cache

        for stale in pdf_cache.cache_dir().glob("*.pdf"):
            stale.unlink()
    refused = client.get(guide.url + "pdf/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_login_with_a_clear_message(client):
    user = factories.user("editor", "编辑")
    user.set_password("right-password-2026")
    user.save()
    login = reverse("wagtailadmin_login")
    for _ in range(4):
        wrong = client.post(login, {"username": "editor", "password": "wrong"})
        assert wrong.status_code == 200  # the form again, with its error
    fifth = client.post(login, {"username": "editor", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(login, {"username": "editor", "password": "right-password-2026"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # Another address is not locked out by someone else's guesses.
    elsewhere = client.post(
        login,
        {"username": "editor", "password": "right-password-2026"},
        REMOTE_ADDR="192.0.2.44",
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_a_right_password_resets_the_failure_count(client):
    user = factories.user("editor", "编辑")
    user.set_password("right-password-2026")
    user.save()
    login = reverse("wagtailadmin_login")
    for _ in range(4):
        client.post(login, {"username": "editor", "password": "wrong"})
    assert (
        client.post(login, {"username": "editor", "password": "right-password-2026"}).status_code
        == 302
    )
    client.logout()
    for _ in range(4):
        assert client.post(login, {"username": "editor", "password": "wrong"}).status_code == 200


@pytest.mark.django_db
def test_forwarded_hops_with_ports_and_a_unix_socket_peer_count_each_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    settings.TRUSTED_PROXIES = 1
    for hop in ("203.0.113.5:4711", "[2001:db8::1]:443", "198.51.100.9"):
        for peer in ("127.0.0.1", ""):  # nginx on loopback, or on a Unix socket
            statuses = flood(client, "/search/?q=a", 1, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=hop)
            assert statuses == [200 if peer == "127.0.0.1" else 429], (hop, peer)


def test_a_mistyped_network_stops_the_start_with_a_message(settings):
    from cms.ratelimits import limits_check

    settings.RATE_LIMIT_EXEMPT = ["10.1.2.0/24;10.1.3.0/24", "10.1.4.1"]
    settings.TRUSTED_PROXY_NETWORKS = ["127.0.0.1", "nginx"]
    errors = limits_check(None)
    assert [error.id for error in errors] == ["cms.E001", "cms.E001"]
    assert "10.1.2.0/24;10.1.3.0/24" in errors[0].msg and "nginx" in errors[1].msg
