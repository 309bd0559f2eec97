"""The public site on a phone (390×844, an iPhone 12–15's CSS viewport) in headless Chromium:
one search box, results in the first screen, and a long guide that can be navigated."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from search import index
from search.backends import get_search_backend
from tests import factories
from tests.browser import make_browser
from tests.screenshots import save_screenshot as screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = (390, 844)


def as_phone(browser):
    """A 390×844 viewport as a phone has it (mobile: the page's viewport meta applies)."""
    width, height = PHONE
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


@pytest.fixture
def phone():
    browser = make_browser(javascript=True)
    as_phone(browser)
    yield browser
    browser.quit()


@pytest.fixture
def site():
    """A home with the sections a centre has (so the main menu is as long as a real one), a
    few guides and a policy, all in the search index."""
    guides = [factories.guide(title=title) for title in ("营业执照遗失补领", "营业执照变更登记")]
    factories.policy(title="关于营业执照办理的通知", document_number="示政办发〔2025〕3号")
    factories.bundle(guides)
    factories.magazine()
    list(index.rebuild(get_search_backend()))
    return {"guides": guides}


def visible_search_forms(browser):
    forms = browser.find_elements(By.CSS_SELECTOR, "form[role=search], form.search-form")
    return [form for form in forms if form.is_displayed()]


def test_the_search_page_shows_one_labelled_search_form_on_a_phone(live_server, phone, site):
    phone.get(live_server.url + "/search/?q=营业执照")
    forms = visible_search_forms(phone)
    assert len(forms) == 1
    field = forms[0].find_element(By.CSS_SELECTOR, "input[type=search]")
    label = phone.find_element(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']")
    assert label.get_attribute("textContent").strip()


def test_the_first_search_result_starts_in_the_first_screen_of_a_phone(live_server, phone, site):
    phone.get(live_server.url + "/search/?q=营业执照")
    screenshot(phone, "phone-layout-search-results")
    first = phone.find_element(By.CSS_SELECTOR, ".search-result")
    top = phone.execute_script("return arguments[0].getBoundingClientRect().top", first)
    # The issue measured ~1,250 px; a visitor should see a result without scrolling.
    assert top < 700, top


def test_home_and_catalogue_show_their_purpose_in_the_first_screen(live_server, phone, site):
    phone.get(live_server.url + "/")
    screenshot(phone, "phone-layout-home")
    search = phone.find_element(By.CSS_SELECTOR, ".hero-search input")
    assert search.is_displayed()
    assert phone.execute_script("return arguments[0].getBoundingClientRect().bottom", search) < 844

    phone.get(live_server.url + factories.catalogue().url)
    screenshot(phone, "phone-layout-catalogue")
    first_guide = phone.find_element(By.CSS_SELECTOR, ".guide-item")
    top = phone.execute_script("return arguments[0].getBoundingClientRect().top", first_guide)
    assert top < 844, top


def scroll_top_of(browser, element):
    return browser.execute_script("return arguments[0].getBoundingClientRect().top", element)


def test_a_guides_contents_links_jump_to_their_sections(live_server, phone, site):
    guide = site["guides"][0]
    phone.get(live_server.url + guide.url)
    screenshot(phone, "phone-layout-guide")
    toc = phone.find_element(By.CSS_SELECTOR, "#guide-toc")
    # The contents are reachable at the top: a link in the first screen leads there.
    jump = phone.find_element(By.CSS_SELECTOR, ".guide-head a[href='#guide-toc']")
    assert jump.is_displayed() and scroll_top_of(phone, jump) < 844
    jump.click()
    WebDriverWait(phone, 5).until(lambda b: abs(scroll_top_of(b, toc)) < 120)
    for section_id in ("sec-fee", "sec-contact"):
        phone.execute_script("arguments[0].scrollIntoView({behavior: 'instant'})", toc)
        phone.find_element(By.CSS_SELECTOR, f"#guide-toc a[href='#{section_id}']").click()
        section = phone.find_element(By.ID, section_id)
        WebDriverWait(phone, 5).until(lambda b, s=section: abs(scroll_top_of(b, s)) < 120)
        assert section.get_attribute("open") == "true"
        # Each section leads back to the contents, so a long guide never has to be scrolled.
        back = section.find_element(By.CSS_SELECTOR, "a[href='#guide-toc']")
        assert back.is_displayed() and back.text == "返回目录"
    screenshot(phone, "phone-layout-guide-section")
    back.click()
    WebDriverWait(phone, 5).until(lambda b: abs(scroll_top_of(b, toc)) < 120)


def test_a_guide_section_collapses_and_expands_on_a_phone(live_server, phone, site):
    guide = site["guides"][0]
    phone.get(live_server.url + guide.url)
    section = phone.find_element(By.ID, "sec-process")
    summary = section.find_element(By.CSS_SELECTOR, "summary")
    step = section.find_element(By.CSS_SELECTOR, ".step__name")
    # Collapsed on a phone so the page is its outline; open on a desktop and in print.
    assert section.get_attribute("open") is None
    assert not step.is_displayed()
    phone.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary
    )
    summary.click()
    assert section.get_attribute("open") == "true"
    assert step.is_displayed()
    summary.click()
    assert not step.is_displayed()


def test_a_guide_is_much_shorter_on_a_phone_until_sections_are_opened(live_server, phone, site):
    phone.get(live_server.url + site["guides"][0].url)
    outline = phone.execute_script("return document.documentElement.scrollHeight")
    screenshot(phone, "phone-layout-guide-outline")
    phone.execute_script(
        "document.querySelectorAll('details.guide-section').forEach(d => d.open = true)"
    )
    everything = phone.execute_script("return document.documentElement.scrollHeight")
    assert outline < everything * 0.6, (outline, everything)


def test_every_guide_section_is_open_on_a_desktop_and_when_printing(live_server, phone, site):
    phone.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    phone.get(live_server.url + site["guides"][0].url)
    sections = phone.find_elements(By.CSS_SELECTOR, "details.guide-section")
    assert len(sections) >= 10
    assert all(s.get_attribute("open") == "true" for s in sections)
    as_phone(phone)
    phone.get(live_server.url + site["guides"][0].url)
    phone.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    sections = phone.find_elements(By.CSS_SELECTOR, "details.guide-section")
    assert all(s.get_attribute("open") == "true" for s in sections)


def test_without_javascript_every_guide_section_is_open_on_a_phone(live_server, site):
    browser = make_browser(javascript=False)
    try:
        as_phone(browser)
        browser.get(live_server.url + site["guides"][0].url)
        sections = browser.find_elements(By.CSS_SELECTOR, "details.guide-section")
        assert len(sections) >= 10
        assert all(s.get_attribute("open") == "true" for s in sections)
    finally:
        browser.quit()
