"""The situation picker in a real browser (headless Chromium): with JavaScript the choice
applies without a reload; without JavaScript the form round-trips through the server."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.browser import make_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_js():
    browser = make_browser(javascript=True)
    yield browser
    browser.quit()


@pytest.fixture
def browser_no_js():
    browser = make_browser(javascript=False)
    yield browser
    browser.quit()


def material_row_visible(browser, name):
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-material-code]")
    return any(name in row.text and row.is_displayed() for row in rows)


def pick(browser, situation):
    option = browser.find_element(
        By.CSS_SELECTOR, f'button[name="situation"][value="{situation.pk}"]'
    )
    browser.execute_script("arguments[0].click()", option)


def test_with_javascript_a_picked_situation_applies_without_a_reload(live_server, browser_js):
    guide = factories.guide()
    first, second = guide.situations.all()
    browser_js.get(live_server.url + guide.url)
    assert material_row_visible(browser_js, "企业设立登记申请书")
    browser_js.execute_script("window.__sameDocument = true")

    pick(browser_js, first)
    WebDriverWait(browser_js, 5).until(lambda b: not material_row_visible(b, "企业设立登记申请书"))
    assert material_row_visible(browser_js, "居民身份证")
    assert f"situation={first.pk}" in browser_js.current_url
    assert browser_js.execute_script("return window.__sameDocument === true")

    pick(browser_js, second)
    WebDriverWait(browser_js, 5).until(lambda b: material_row_visible(b, "企业设立登记申请书"))
    assert "工本费10元/本（代理）" in browser_js.find_element(By.TAG_NAME, "body").text


def test_without_javascript_the_picker_submits_to_the_server(live_server, browser_no_js):
    guide = factories.guide()
    first, _ = guide.situations.all()
    browser_no_js.get(live_server.url + guide.url)
    # Keyboard, as a kiosk or screen-reader user would: no script runs on the page.
    browser_no_js.find_element(
        By.CSS_SELECTOR, f'button[name="situation"][value="{first.pk}"]'
    ).send_keys(Keys.ENTER)
    WebDriverWait(browser_no_js, 5).until(lambda b: f"situation={first.pk}" in b.current_url)
    assert material_row_visible(browser_no_js, "居民身份证")
    assert not material_row_visible(browser_no_js, "企业设立登记申请书")
