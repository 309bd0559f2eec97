"""The elder-friendly mode (长辈版, cms/elder_mode.py): a cookie set and cleared by a form that
works without JavaScript, the server's `elder-mode` class, and a page cache that never serves
one mode's page to the other.

The browser tests (Chromium, marked `browser`) measure what a visitor sees in the mode: no
text under 18px on home, catalogue and a guide, and the switch reached and used by keyboard.
"""

import base64
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from cms.elder_mode import COOKIE_MAX_AGE, COOKIE_NAME
from tests import factories
from tests.browser import make_browser

HTML_ELDER = '<html lang="zh-Hans" class="elder-mode">'
HTML_STANDARD = '<html lang="zh-Hans">'


@pytest.fixture
def guide(db):
    return factories.guide(title="食品经营许可")


def elder(client):
    client.cookies[COOKIE_NAME] = "1"
    return client


# ---------------------------------------------------------------------------------------------
# The switch: a POST that sets or clears the cookie and goes back to the page


@pytest.mark.django_db
def test_the_switch_turns_the_mode_on_for_a_year_and_goes_back_to_the_page(client, guide):
    response = client.post("/elder-mode/", {"elder": "1", "next": guide.url + "?situation=1"})
    assert response.status_code == 303
    assert response["Location"] == guide.url + "?situation=1"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "1"
    assert cookie["max-age"] == COOKIE_MAX_AGE == 365 * 24 * 3600
    assert cookie["path"] == "/"
    assert cookie["samesite"] == "Lax"
    page = client.get(guide.url).content.decode()
    assert HTML_ELDER in page
    assert "cms/css/elder" in page


@pytest.mark.django_db
def test_the_switch_turns_the_mode_off_again(client, guide):
    elder(client)
    assert HTML_ELDER in client.get(guide.url).content.decode()
    response = client.post("/elder-mode/", {"elder": "0", "next": guide.url})
    assert response.status_code == 303
    assert response.cookies[COOKIE_NAME]["max-age"] == 0  # deleted
    page = client.get(guide.url).content.decode()
    assert HTML_STANDARD in page
    assert "cms/css/elder" not in page


@pytest.mark.django_db
def test_without_next_the_switch_goes_to_the_home_page(client):
    response = client.post("/elder-mode/", {"elder": "1"})
    assert response.status_code == 303
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_spaces_around_next_are_dropped_before_going_back(client):
    response = client.post("/elder-mode/", {"elder": "1", "next": " /zhinan/ "})
    assert response.status_code == 303
    assert response["Location"] == "/zhinan/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "///evil.example.com/",
        "/\\evil.example.com/",
        "http:/\\evil.example.com",
        "javascript:alert(1)",
        "http://testserver.evil.example.com/",
        "http://testserver@evil.example.com/",
        " //evil.example.com",
    ],
)
def test_the_switch_never_redirects_off_the_site(client, next_url):
    response = client.post("/elder-mode/", {"elder": "1", "next": next_url})
    assert response.status_code == 400
    assert "Location" not in response
    assert COOKIE_NAME not in response.cookies
    assert "请求有误" in response.content.decode()  # the site's own 400 page, in Chinese


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"elder": "2"}, {"elder": "yes"}])
def test_the_switch_refuses_anything_but_1_or_0_with_400(client, data):
    response = client.post("/elder-mode/", {**data, "next": "/"})
    assert response.status_code == 400
    assert COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_switch_answers_get_with_405_and_changes_nothing(client):
    response = client.get("/elder-mode/", {"elder": "1", "next": "/"})
    assert response.status_code == 405
    assert COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_only_the_value_1_turns_the_mode_on(client, guide):
    client.cookies[COOKIE_NAME] = "true"
    assert HTML_STANDARD in client.get(guide.url).content.decode()


@pytest.mark.django_db
def test_every_public_page_carries_the_switch_with_its_own_address(client, guide):
    catalogue = guide.get_parent()
    for url, expected_next in [
        ("/", "/"),
        (catalogue.url + "?dept=1", catalogue.url + "?dept=1"),
        (guide.url, guide.url),
        ("/search/?q=%E8%90%A5%E4%B8%9A", "/search/?q=%E8%90%A5%E4%B8%9A"),
        ("/no-such-page/", "/no-such-page/"),
    ]:
        page = client.get(url).content.decode()
        form = re.search(r'<form class="elder-toggle".*?</form>', page, re.S)
        assert form, url
        assert 'action="/elder-mode/"' in form.group(0)
        assert f'name="next" value="{expected_next}"' in form.group(0), url
        assert 'name="elder" value="1"' in form.group(0)
        assert "长辈版" in form.group(0)
    in_mode = elder(client).get(guide.url).content.decode()
    form = re.search(r'<form class="elder-toggle".*?</form>', in_mode, re.S).group(0)
    assert 'name="elder" value="0"' in form
    assert "标准版" in form


# ---------------------------------------------------------------------------------------------
# The page cache keeps the two modes apart


def two_visits(client, url):
    """The page twice, the second from the cache."""
    client.get(url)
    second = client.get(url)
    assert second["X-Cache"] == "hit", url
    return second


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["home", "catalogue", "guide", "search", "missing"])
def test_a_page_cached_for_one_mode_is_never_served_to_the_other(client, guide, path):
    url = {
        "home": "/",
        "catalogue": guide.get_parent().url,
        "guide": guide.url,
        "search": "/search/?q=食品",
        "missing": "/no-such-page/",
    }[path]
    # A page (search and 404 are not stored; they must still render each mode).
    standard = client.get(url)
    if path in ("home", "catalogue", "guide"):
        standard = two_visits(client, url)
    assert HTML_STANDARD in standard.content.decode()
    in_mode = elder(client).get(url)
    assert HTML_ELDER in in_mode.content.decode(), "standard page served in the elder mode"
    if path in ("home", "catalogue", "guide"):
        in_mode = two_visits(client, url)
        assert HTML_ELDER in in_mode.content.decode()
        assert in_mode["ETag"] != standard["ETag"]
    del client.cookies[COOKIE_NAME]
    again = client.get(url)
    assert HTML_STANDARD in again.content.decode(), "elder page served in the standard mode"


@pytest.mark.django_db
def test_a_standard_visitors_validator_does_not_get_a_304_for_the_elder_page(client, guide):
    """The browser keeps the standard page and its ETag; after the switch it revalidates and
    must get the elder page, not 'not modified'."""
    standard = two_visits(client, guide.url)
    response = elder(client).get(guide.url, HTTP_IF_NONE_MATCH=standard["ETag"])
    assert response.status_code == 200
    assert HTML_ELDER in response.content.decode()


@pytest.mark.django_db
def test_cached_pages_tell_front_caches_they_vary_by_cookie(client, guide):
    for response in (two_visits(client, guide.url), two_visits(elder(client), guide.url)):
        assert "cookie" in response["Vary"].lower()


@pytest.mark.django_db
def test_the_elder_mode_cookie_does_not_keep_pages_out_of_the_cache(client, guide):
    assert two_visits(elder(client), guide.url)["X-Cache"] == "hit"


# ---------------------------------------------------------------------------------------------
# In a browser: the type as a visitor sees it, and the switch by keyboard

SCREENSHOT_DIR = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "artifacts" / "screenshots"
)

# Every visible text node's element and its computed size. Invisible text is left out: not
# rendered (display/visibility/hidden, checkVisibility), zero-size, or visually hidden for
# screen readers (.visually-hidden: a 1px clipped box).
SMALL_TEXT_JS = """
const minimum = arguments[0];
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.trim();
  if (!text) continue;
  const el = node.parentElement;
  if (!el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName)) continue;
  if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  const box = range.getBoundingClientRect();
  if (box.width < 2 || box.height < 2) continue;
  if (el.closest(".visually-hidden")) continue;
  const size = parseFloat(getComputedStyle(el).fontSize);
  if (size < minimum) {
    found.push(`${size}px <${el.tagName.toLowerCase()} class="${el.className}">${text.slice(0, 40)}`);
  }
}
return found;
"""

# The same for generated text (::before/::after content such as table cells' column names).
SMALL_GENERATED_TEXT_JS = """
const minimum = arguments[0];
const found = [];
for (const el of document.body.querySelectorAll("*")) {
  if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
  for (const pseudo of ["::before", "::after"]) {
    const style = getComputedStyle(el, pseudo);
    const content = style.content;
    // Only real text: not none/normal, not empty quotes, not counters/attr (checked visually).
    const match = /^"(.*)"$/.exec(content);
    if (!match || !match[1].trim() || style.display === "none") continue;
    if (parseFloat(style.fontSize) < minimum) {
      found.push(`${style.fontSize} ${el.tagName.toLowerCase()}.${el.className}${pseudo} ${match[1]}`);
    }
  }
}
return found;
"""


# Elements that stick out of the page's width (a horizontal scroll on a phone). Overflow
# inside a scrolling box (a wide table in .table-wrap, the nav's row) is left out: it scrolls.
OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
const found = [];
for (const el of document.body.querySelectorAll("*")) {
  if (!el.checkVisibility()) continue;
  const box = el.getBoundingClientRect();
  if (box.right <= width + 1 || box.width === 0) continue;
  let scroller = el.parentElement, scrolls = false;
  for (; scroller && scroller !== document.body; scroller = scroller.parentElement) {
    const overflow = getComputedStyle(scroller).overflowX;
    if (overflow === "auto" || overflow === "scroll" || overflow === "hidden" || overflow === "clip") { scrolls = true; break; }
  }
  if (scrolls || el.closest(".visually-hidden, .skip-link")) continue;
  found.push(`${Math.round(box.right)}px > ${width}px <${el.tagName.toLowerCase()} class="${el.className}">`);
}
return found;
"""


@pytest.fixture
def browser():
    driver = make_browser(javascript=True)
    yield driver
    driver.quit()


def set_width(driver, width):
    driver.set_window_size(width, 2000)


def turn_mode_on_by_cookie(driver, live_server):
    driver.get(live_server.url + "/robots-missing/")  # any page of the site, to set its cookie
    driver.add_cookie({"name": COOKIE_NAME, "value": "1", "path": "/"})


def screenshot(driver, name, width, mode):
    """The whole page, not only the window (DevTools' captureBeyondViewport)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    # The window's width: captured whole, the page lays out without a vertical scrollbar.
    width_px = driver.execute_script("return window.innerWidth")
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": width_px, "height": size["height"], "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip}
    )
    (SCREENSHOT_DIR / f"{name}-{width}-{mode}.png").write_bytes(base64.b64decode(shot["data"]))


def site_pages(index):
    """Home, the catalogue with filters, a guide page, search results and the 404 page, as
    the factories make them; `index` runs the queued search index updates."""
    guide = factories.guide(title="食品经营许可")
    factories.guide(title="药品零售企业许可", high_frequency=True)
    factories.bundle([guide], title="开办餐馆一件事")
    index("search.")
    catalogue = guide.get_parent()
    return {
        "home": "/",
        "catalogue": catalogue.url + f"?department={guide.department.code}&flag=zero_visit",
        "guide": guide.url,
        "search": "/search/?q=许可",
        "404": "/no-such-page/",
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_no_text_under_18px_on_home_catalogue_guide_search_and_404_in_the_elder_mode(
    live_server, browser, width, run_queued_tasks
):
    pages = site_pages(run_queued_tasks)
    set_width(browser, width)
    turn_mode_on_by_cookie(browser, live_server)
    problems = {}
    for name, path in pages.items():
        browser.get(live_server.url + path)
        html_class = browser.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert "elder-mode" in html_class, (name, browser.current_url, browser.get_cookies())
        if name == "search":  # with results, so their badges and meta lines are measured
            assert browser.find_elements(By.CSS_SELECTOR, ".search-result"), "no search results"
        small = browser.execute_script(SMALL_TEXT_JS, 18)
        small += browser.execute_script(SMALL_GENERATED_TEXT_JS, 18)
        # Larger type must not push the page wider than the phone.
        small += browser.execute_script(OVERFLOW_JS)
        if small:
            problems[name] = small
        screenshot(browser, f"elder-{name}", width, "elder")
    assert not problems, "text under 18px or wider than the page in the elder mode:\n" + "\n".join(
        f"{name} ({width}px): {line}" for name, lines in problems.items() for line in lines
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_standard_pages_do_have_small_text_so_the_measure_can_fail(
    live_server, browser, run_queued_tasks
):
    """The measure above finds small text where there is some: the standard guide page."""
    pages = site_pages(run_queued_tasks)
    browser.get(live_server.url + pages["guide"])
    assert browser.execute_script(SMALL_TEXT_JS, 18)
    # The switch as a standard visitor first sees it, for the eye.
    for width in (1366, 390):
        set_width(browser, width)
        browser.get(live_server.url + pages["home"])
        screenshot(browser, "elder-home", width, "standard")


def tab_to_switch(driver, presses=4):
    """Tab from the top of the freshly loaded page until the switch has focus; how many
    presses it took."""
    driver.refresh()  # a new document: focus navigation starts at its top
    reached = []
    for press in range(1, presses + 1):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        if "elder-toggle__btn" in (focused.get_attribute("class") or ""):
            return press
        reached.append(focused.text or focused.get_attribute("outerHTML")[:60])
    raise AssertionError(f"the 长辈版 switch was not reached in {presses} presses: {reached}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_switch_is_reached_by_keyboard_and_enter_turns_the_mode_on(live_server, javascript):
    driver = make_browser(javascript=javascript)
    try:
        guide = factories.guide(title="食品经营许可")
        url = live_server.url + guide.url
        driver.get(url)
        assert "elder-mode" not in driver.find_element(By.TAG_NAME, "html").get_attribute("class")
        # After the skip link: the second stop.
        assert tab_to_switch(driver) == 2
        switch = driver.switch_to.active_element
        assert "长辈版" in switch.text
        switch.send_keys(Keys.ENTER)
        WebDriverWait(driver, 15).until(
            lambda d: "elder-mode" in d.find_element(By.TAG_NAME, "html").get_attribute("class")
        )
        assert driver.current_url == url  # the same page, reloaded
        assert driver.get_cookie(COOKIE_NAME)["value"] == "1"
        # And back: the same switch, now labelled 标准版.
        assert tab_to_switch(driver) == 2
        switch = driver.switch_to.active_element
        assert "标准版" in switch.text
        switch.send_keys(Keys.ENTER)
        WebDriverWait(driver, 15).until(
            lambda d: "elder-mode" not in d.find_element(By.TAG_NAME, "html").get_attribute("class")
        )
        assert driver.get_cookie(COOKIE_NAME) is None
        assert driver.current_url == url
    finally:
        driver.quit()


# ---------------------------------------------------------------------------------------------
# The focus ring, measured in pixels: WCAG 2.2's focus appearance compares the same pixels
# focused and unfocused; the ring must change them by 3:1 or more on every side.

# (what gets focus, what draws the ring) on a guide page: light top bar, header, navigation,
# dark guide head (red and outlined buttons), white sections, the dark footer.
FOCUS_TARGETS = [
    (".elder-toggle__btn", None),
    (".brand", None),
    ("#header-q", ".header-search"),
    (".main-nav__list a", None),
    (".breadcrumb a", None),
    (".guide-actions .btn--red", None),
    (".guide-actions .btn--ghost", None),
    (".guide-toc__list a", None),
    ("button.situation-option", None),
    (".site-footer__links a", None),
]


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def png(driver):
    from io import BytesIO

    from PIL import Image

    return Image.open(BytesIO(driver.get_screenshot_as_png())).convert("RGB")


def ring_change(before, after, box, scale):
    """For each side of `box`, the largest contrast between the unfocused and the focused
    pixel across a band from 8px outside the edge to 6px inside it (rings drawn outside or
    inset); the smallest of the four."""
    left, top, right, bottom = (round(v * scale) for v in box)
    mid_x, mid_y = (left + right) // 2, (top + bottom) // 2
    bands = {
        "left": [(x, mid_y) for x in range(left - 8, left + 6)],
        "right": [(x, mid_y) for x in range(right - 6, right + 8)],
        "top": [(mid_x, y) for y in range(top - 8, top + 6)],
        "bottom": [(mid_x, y) for y in range(bottom - 6, bottom + 8)],
    }
    width, height = before.size
    sides = {}
    for side, points in bands.items():
        inside = [(x, y) for x, y in points if 0 <= x < width and 0 <= y < height]
        sides[side] = max(contrast(before.getpixel(p), after.getpixel(p)) for p in inside)
    return sides


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_the_focus_ring_changes_its_pixels_by_3_to_1_on_every_background(
    live_server, browser, mode
):
    guide = factories.guide(title="食品经营许可")
    if mode == "elder":
        turn_mode_on_by_cookie(browser, live_server)
    browser.get(live_server.url + guide.url)
    # The end state, not a frame of the buttons' transition.
    browser.execute_script(
        "const s = document.createElement('style');"
        "s.textContent = '*, *::before, *::after { transition: none !important; }';"
        "document.head.append(s);"
    )
    scale = browser.execute_script("return window.devicePixelRatio")
    weak = []
    for target, ring in FOCUS_TARGETS:
        element = browser.find_element(By.CSS_SELECTOR, target)
        ring_element = element if ring is None else browser.find_element(By.CSS_SELECTOR, ring)
        browser.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'}); document.activeElement.blur();",
            element,
        )
        before = png(browser)
        browser.execute_script("arguments[0].focus()", element)
        assert browser.execute_script("return arguments[0].matches(':focus-visible')", element)
        after = png(browser)
        box = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
            ring_element,
        )
        sides = ring_change(before, after, box, scale)
        if min(sides.values()) < 3:
            weak.append(f"{target}: " + ", ".join(f"{k} {v:.2f}:1" for k, v in sides.items()))
    assert not weak, "focus ring under 3:1:\n" + "\n".join(weak)
