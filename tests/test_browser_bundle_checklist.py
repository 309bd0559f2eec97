"""The bundle checklist in headless Chromium with JavaScript switched off: a visitor picks a
situation per item with the keyboard, submits the form, and gets the merged list at an address
that carries the choice."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import make_browser
from tests.bundles import chosen, opening_a_company

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def opening():
    return opening_a_company()


@pytest.fixture
def browser_no_js():
    browser = make_browser(javascript=False)
    yield browser
    browser.quit()


def test_without_javascript_the_choice_round_trips_through_the_server(
    live_server, browser_no_js, opening
):
    browser_no_js.get(live_server.url + opening.bundle.url + "checklist/")
    for name, value in chosen(opening).items():
        browser_no_js.find_element(
            By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]'
        ).send_keys(Keys.SPACE)
    browser_no_js.find_element(By.CSS_SELECTOR, ".checklist-form button[type=submit]").send_keys(
        Keys.ENTER
    )
    WebDriverWait(browser_no_js, 5).until(lambda b: "item-" in b.current_url)

    for name, value in chosen(opening).items():
        assert f"{name}={value}" in browser_no_js.current_url
    rows = browser_no_js.find_elements(By.CSS_SELECTOR, "[data-material-code]")
    assert [row.get_attribute("data-material-code") for row in rows] == [
        "M-ID",
        "M-LEASE",
        "M-PROXY",
        "M-LIC",
        "M-SEAL",
    ]
    assert (
        "3个工作日" in browser_no_js.find_element(By.CSS_SELECTOR, "[data-checklist=promised]").text
    )
