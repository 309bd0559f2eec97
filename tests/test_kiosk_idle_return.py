"""An unattended hall kiosk goes back to its start screen after the idle time managers set in
the admin (设置 › 自助终端设置), with a countdown in its last seconds; any activity restarts it."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from wagtail.models import Site

from cms.models import KioskSettings
from tests import factories
from tests.browser import make_browser
from tests.screenshots import save_screenshot

START = "/kiosk/"


def idle_seconds_on(client, url):
    html = client.get(url).content.decode()
    found = re.search(r'<body[^>]*data-idle-seconds="(\d+)"[^>]*data-idle-home="/kiosk/"', html)
    return int(found.group(1)) if found else None


def idle_settings():
    return KioskSettings.for_site(Site.objects.get())


def settings_url():
    return reverse("wagtailsettings:edit", args=["cms", "kiosksettings", Site.objects.get().pk])


@pytest.fixture
def manager(client):
    client.force_login(factories.user("zhuren", superuser=True))
    return client


@pytest.mark.django_db
def test_the_idle_time_saved_in_the_admin_reaches_every_kiosk_page_at_once(manager):
    client = Client()  # an anonymous visitor, served from the page cache
    guide = factories.guide()
    pages = [guide.url + "kiosk/", START + "?theme=qiye-kaiban"]
    # The default, and each page now in the page cache.
    assert [idle_seconds_on(client, url) for url in pages] == [120, 120]
    assert client.get(pages[0])["X-Cache"] == "hit"

    response = manager.post(settings_url(), {"idle_return_seconds": "45"})
    assert response.status_code == 302
    assert idle_settings().idle_return_seconds == 45

    assert [idle_seconds_on(client, url) for url in pages] == [45, 45]
    html = client.get(guide.url + "kiosk/").content.decode()
    # Without JavaScript a meta refresh does the same.
    assert '<noscript><meta http-equiv="refresh" content="45;url=/kiosk/"></noscript>' in html
    # The start screen has nowhere to go back to.
    start = client.get(START).content.decode()
    assert "data-idle-seconds" not in start and "http-equiv" not in start


@pytest.mark.django_db
@pytest.mark.parametrize(
    "seconds, message",
    [("10", "不能少于30秒"), ("5000", "不能超过1800秒"), ("abc", "输入整数")],
)
def test_an_idle_time_outside_30_to_1800_seconds_is_refused_with_a_clear_message(
    manager, seconds, message
):
    response = manager.post(settings_url(), {"idle_return_seconds": seconds})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert idle_settings().idle_return_seconds == 120


# --- in a browser ---------------------------------------------------------------------


def browser_test(test):
    marks = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
    for mark in marks:
        test = mark(test)
    return test


@pytest.fixture
def kiosk():
    browser = make_browser(javascript=True)
    browser.set_window_size(1080, 1920)
    yield browser
    browser.quit()


def open_with_short_idle(browser, url, seconds=3):
    """The managers' minimum (30 s) is saved and shown; the test then shortens it on the page
    itself, the attribute the script reads at every restart, and a key press restarts it."""
    settings = idle_settings()
    settings.idle_return_seconds = 30
    settings.save()
    browser.get(url)
    body = browser.find_element(By.TAG_NAME, "body")
    assert body.get_attribute("data-idle-seconds") == "30"
    browser.execute_script(f"document.body.dataset.idleSeconds = '{seconds}'")
    ActionChains(browser).send_keys(Keys.SHIFT).perform()


def longer_idle(browser):
    """Twelve seconds, restarted now: the countdown shows from ten seconds left, two seconds
    from now, and after any activity it is gone for two seconds."""
    browser.execute_script("document.body.dataset.idleSeconds = '12'")
    ActionChains(browser).send_keys(Keys.SHIFT).perform()


def notice(browser):
    return browser.find_element(By.CSS_SELECTOR, "[data-idle-notice]")


@browser_test
def test_an_idle_kiosk_counts_down_and_returns_to_its_start_screen(live_server, kiosk):
    guide = factories.guide()
    open_with_short_idle(kiosk, live_server.url + guide.url + "kiosk/")
    WebDriverWait(kiosk, 5).until(lambda b: notice(b).is_displayed())
    assert re.fullmatch(r"[1-3]秒后返回首页", notice(kiosk).find_element(By.TAG_NAME, "p").text)
    stay = notice(kiosk).find_element(By.TAG_NAME, "button")
    assert stay.text == "继续浏览" and stay.size["height"] >= 64
    save_screenshot(kiosk, "kiosk-idle-countdown")
    WebDriverWait(kiosk, 8).until(lambda b: b.current_url == live_server.url + START)
    assert kiosk.find_element(By.CSS_SELECTOR, ".k-masthead")  # the start screen


@browser_test
def test_activity_and_the_continue_button_keep_the_kiosk_on_its_page(live_server, kiosk):
    guide = factories.guide()
    url = live_server.url + guide.url + "kiosk/"
    open_with_short_idle(kiosk, url)
    # Twice the idle time, with a key pressed every second: the count keeps starting again.
    for _ in range(6):
        ActionChains(kiosk).pause(1).send_keys(Keys.ARROW_DOWN).perform()
        assert kiosk.current_url == url
    # Then an idle time two seconds past the countdown's ten, so that after 继续浏览 the
    # notice stays away for two seconds (with three it is back at the next tick).
    longer_idle(kiosk)
    WebDriverWait(kiosk, 8).until(lambda b: notice(b).is_displayed())
    notice(kiosk).find_element(By.TAG_NAME, "button").click()
    assert not notice(kiosk).is_displayed()
    assert kiosk.current_url == url


@browser_test
def test_closing_the_countdown_gives_focus_back_where_it_was(live_server, kiosk):
    guide = factories.guide()
    open_with_short_idle(kiosk, live_server.url + guide.url + "kiosk/")
    longer_idle(kiosk)
    kiosk.execute_script("document.querySelector('a[href]').focus()")
    was = kiosk.execute_script("return document.activeElement.outerHTML")
    WebDriverWait(kiosk, 8).until(lambda b: notice(b).is_displayed())
    assert kiosk.execute_script("return document.activeElement.textContent") == "继续浏览"
    ActionChains(kiosk).send_keys(Keys.ENTER).perform()
    assert not notice(kiosk).is_displayed()
    assert kiosk.execute_script("return document.activeElement.outerHTML") == was
