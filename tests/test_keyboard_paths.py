"""Keyboard only, in headless Chromium: Tab, Enter and Space, never a click. A situation is
chosen without losing one's place (with and without JavaScript), and a visitor gets from the
home page to a guide's PDF; the focused element shows a focus ring at every step."""

import urllib.request

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.browser import make_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 120

# A ring on the focused element, or on the form around a field that draws its ring there
# (the header and home search boxes: .header-search:focus-within).
FOCUS_VISIBLE = """
const el = document.activeElement;
if (!el || el === document.body) return false;
const own = getComputedStyle(el);
if (own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0) return true;
const form = el.closest('form');
return !!form && form.matches(':focus-within') && getComputedStyle(form).boxShadow !== 'none'
  && el.closest('.header-search, .hero-search') === form;
"""


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


def press(browser, key):
    ActionChains(browser).send_keys(key).perform()


def tab_to(browser, wanted):
    """Press Tab until `wanted(active element)` holds; each element passed on the way must
    show that it has focus."""
    for _ in range(MAX_TABS):
        press(browser, Keys.TAB)
        active = browser.switch_to.active_element
        description = active.get_attribute("outerHTML")[:160]
        assert browser.execute_script(FOCUS_VISIBLE), f"no visible focus on {description}"
        if wanted(active):
            return active
    raise AssertionError(f"not reached with {MAX_TABS} presses of Tab")


def material_row_visible(browser, name):
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-material-code]")
    return any(name in row.text and row.is_displayed() for row in rows)


def focus_is_in_picker_or_materials(browser):
    return browser.execute_script(
        "return !!document.activeElement.closest('[data-situation-picker], [data-materials]')"
    )


def is_option(situation):
    return lambda el: (
        el.get_attribute("name") == "situation" and el.get_attribute("value") == str(situation.pk)
    )


def test_a_situation_is_chosen_with_tab_and_enter_and_focus_stays_in_the_picker(
    live_server, browser_js
):
    guide = factories.guide()
    first, second = guide.situations.all()
    browser_js.get(live_server.url + guide.url)
    assert material_row_visible(browser_js, "企业设立登记申请书")

    tab_to(browser_js, is_option(first))
    press(browser_js, Keys.ENTER)
    WebDriverWait(browser_js, 5).until(lambda b: not material_row_visible(b, "企业设立登记申请书"))
    assert material_row_visible(browser_js, "居民身份证")
    assert focus_is_in_picker_or_materials(browser_js)
    assert browser_js.switch_to.active_element.get_attribute("aria-pressed") == "true"

    # The next situation is one Tab away, and Space picks it as Enter does.
    tab_to(browser_js, is_option(second))
    press(browser_js, Keys.SPACE)
    WebDriverWait(browser_js, 5).until(lambda b: material_row_visible(b, "企业设立登记申请书"))
    assert focus_is_in_picker_or_materials(browser_js)
    assert f"situation={second.pk}" in browser_js.current_url


def test_without_javascript_the_round_trip_returns_focus_to_the_picker(live_server, browser_no_js):
    guide = factories.guide()
    first, _ = guide.situations.all()
    browser_no_js.get(live_server.url + guide.url)

    tab_to(browser_no_js, is_option(first))
    press(browser_no_js, Keys.ENTER)
    WebDriverWait(browser_no_js, 5).until(lambda b: f"situation={first.pk}" in b.current_url)
    assert material_row_visible(browser_no_js, "居民身份证")
    assert not material_row_visible(browser_no_js, "企业设立登记申请书")
    # Focus is back on the chosen situation, not at the top of the page.
    active = browser_no_js.switch_to.active_element
    assert is_option(first)(active)
    assert active.get_attribute("aria-pressed") == "true"
    top = browser_no_js.execute_script("return arguments[0].getBoundingClientRect().top", active)
    assert 0 <= top < browser_no_js.execute_script("return window.innerHeight")
    # And the next Tab goes on from there: to the following situation.
    press(browser_no_js, Keys.TAB)
    assert browser_no_js.switch_to.active_element.get_attribute("name") == "situation"


def test_from_the_home_page_to_a_guides_pdf_with_tab_and_enter(live_server, browser_js):
    guide = factories.guide(title="营业执照遗失补领")
    catalogue = factories.catalogue()
    browser_js.get(live_server.url + "/")

    tab_to(
        browser_js,
        lambda el: (
            el.tag_name == "a" and el.get_attribute("href") == live_server.url + catalogue.url
        ),
    )
    press(browser_js, Keys.ENTER)
    WebDriverWait(browser_js, 5).until(lambda b: b.current_url == live_server.url + catalogue.url)

    tab_to(browser_js, lambda el: el.tag_name == "a" and el.text.startswith(guide.title))
    press(browser_js, Keys.ENTER)
    WebDriverWait(browser_js, 5).until(lambda b: b.current_url == live_server.url + guide.url)

    pdf_url = live_server.url + guide.url + "pdf/"
    link = tab_to(browser_js, lambda el: el.tag_name == "a" and el.text == "下载PDF版")
    assert link.get_attribute("href") == pdf_url
    with urllib.request.urlopen(pdf_url, timeout=120) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"
