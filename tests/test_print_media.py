"""Ctrl+P of the public pages in a real browser (headless Chromium): the guide printed to PDF
with print media (selenium's print_page, background graphics off as in a browser's print
dialog) and read back with pdftotext; every public page checked under emulated print media
for text contrast and for the site's chrome left out.

Contrast is measured against what paper shows: a printer drops background colours unless an
element asks for them (print-color-adjust: exact), so a text's background is the nearest
ancestor's background colour only if that ancestor keeps it, white otherwise. White text on a
blue band is white on white on paper, which is how the guide's codes disappeared."""

import base64
import html
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from selenium.webdriver.common.print_page_options import PrintOptions
from wagtail.models import Collection

from cms.models import GalleryIndexPage, GalleryPage
from search import index
from search.backends import get_search_backend
from tests import factories
from tests.browser import make_browser
from tests.bundles import opening_a_company

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT_DIR = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "artifacts" / "screenshots"
)

# Words that only the site's chrome prints: the top bar, the header search, the main
# navigation's label is not text, so its links are checked as hidden elements instead, the
# footer, the guide's table of contents and action buttons.
CHROME_WORDS = [
    "欢迎访问",
    "跳到主要内容",
    "网站导航",
    "主办单位",
    "指南目录",
    "打印指南",
    "下载PDF版",
]
CHROME_SELECTORS = [".topbar", ".main-nav", ".header-search", ".site-footer", ".skip-link"]

# For every visible element with its own text: its colour, the colour paper shows behind it,
# and their contrast ratio (WCAG 2.x relative luminance), the failures only.
LOW_CONTRAST_TEXT = """
const parse = (value) => {
  const m = value.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
};
const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
const WHITE = {r: 255, g: 255, b: 255, a: 1};
const paper = (element) => {
  for (let e = element; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    const colour = parse(style.backgroundColor);
    if (colour && colour.a > 0) {
      return style.printColorAdjust === "exact" ? colour : WHITE;
    }
  }
  return WHITE;
};
const blend = (fg, bg) => ({
  r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
  b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1,
});
const failures = [];
for (const element of document.body.querySelectorAll("*")) {
  const ownText = [...element.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim();
  if (!ownText || !element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
  const box = element.getBoundingClientRect();
  if (box.width <= 1 || box.height <= 1) continue;  // visually hidden: for screen readers
  const bg = paper(element);
  const fg = blend(parse(getComputedStyle(element).color), bg);
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  const ratio = (hi + 0.05) / (lo + 0.05);
  if (ratio < 4.5) failures.push(`${ownText.slice(0, 30)}: ${ratio.toFixed(2)}:1`);
}
return failures;
"""

VISIBLE = "return [...document.querySelectorAll(arguments[0])].some((e) => e.checkVisibility())"

# Every visible badge must carry a border darker than 3:1 on white (WCAG 1.4.11), since its
# colour is gone on paper.
BADGES_WITHOUT_BORDER = """
return [...document.querySelectorAll(".badge")].filter((e) => e.checkVisibility()).filter((e) => {
  const style = getComputedStyle(e);
  const [r, g, b] = style.borderTopColor.match(/\\d+/g).map(Number);
  return parseFloat(style.borderTopWidth) < 0.5 || (r + g + b) / 3 > 150;
}).map((e) => e.textContent.trim());
"""


@pytest.fixture
def browser():
    driver = make_browser(javascript=True)
    yield driver
    driver.quit()


def print_media(browser, on=True):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print" if on else ""})


def printed(browser):
    """The page as the browser prints it to PDF (A4, no background graphics)."""
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    return base64.b64decode(browser.print_page(options))


def pdf_text(data):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def inked(data, needle, tmp_path):
    """Whether the printed word containing `needle` is drawn in ink: the darkest pixel of its
    box on the rasterised page. pdftotext alone would also find white text on white paper."""
    pdf = tmp_path / "inked.pdf"
    pdf.write_bytes(data)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    for number, page in enumerate(boxes.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            if needle not in html.unescape(word):
                continue
            stem = tmp_path / f"page{number}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "144",
                    "-png",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-singlefile",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            scale = 144 / 72
            box = [round(float(v) * scale) for v in (x0, y0, x1, y1)]
            darkest = Image.open(f"{stem}.png").convert("L").crop(box).getextrema()[0]
            return darkest < 100
    raise AssertionError(f"{needle} is not in the printed text")


def save_first_page(data, name, tmp_path):
    """Page 1 of the printout as a PNG among the CI artefacts, for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(SCREENSHOT_DIR / name),
        ],
        check=True,
    )


def gallery():
    index = factories.add_page(factories.home(), GalleryIndexPage(title="窗口风采"))
    photos = Collection.get_first_root_node().add_child(name="服务之星")
    photo = factories.image("综合受理窗口工作照")
    photo.collection = photos
    photo.save()
    return factories.add_page(index, GalleryPage(title="服务之星风采", collection=photos))


def test_a_printed_guide_shows_its_codes_summary_and_flags_and_no_site_chrome(
    live_server, browser, tmp_path
):
    guide = factories.guide()
    browser.get(live_server.url + guide.url)
    data = printed(browser)
    save_first_page(data, "print-guide-a4-default", tmp_path)
    text = pdf_text(data)
    flat = "".join(text.split())

    assert guide.implementation_code in flat
    assert guide.basic_code in flat
    assert guide.summary in flat
    assert guide.flag_labels and all(label in flat for label in guide.flag_labels)
    assert "高频" in flat  # the head's own badge, beside the title
    assert [word for word in CHROME_WORDS if word in flat] == []
    # In ink, not only in the text layer: on screen colours the codes were white on white.
    for needle in (guide.implementation_code, guide.basic_code, "最多跑一次"):
        assert inked(data, needle, tmp_path), needle


def test_a_printed_guide_has_no_low_contrast_text_and_outlined_badges(live_server, browser):
    guide = factories.guide()
    browser.get(live_server.url + guide.url)
    print_media(browser)
    assert browser.execute_script(LOW_CONTRAST_TEXT) == []
    assert browser.execute_script(BADGES_WITHOUT_BORDER) == []
    assert [s for s in CHROME_SELECTORS if browser.execute_script(VISIBLE, s)] == []


def test_the_check_finds_the_white_codes_of_the_screen_head(live_server, browser):
    """The contrast check itself: on screen media the guide's head prints white on (dropped)
    blue, and the check says so."""
    guide = factories.guide()
    browser.get(live_server.url + guide.url)
    print_media(browser, on=False)
    failures = browser.execute_script(LOW_CONTRAST_TEXT)
    assert any(guide.implementation_code in failure for failure in failures), failures


def test_every_kind_of_public_page_prints_readably(live_server, browser, tmp_path, settings):
    # The search pages are rate limited per address; earlier tests' searches from this address
    # must not turn them into the 429 page.
    settings.RATE_LIMIT_EXEMPT = ["127.0.0.1/32"]
    guide = factories.guide()
    bundle = opening_a_company().bundle
    policy = factories.policy()
    issue = factories.magazine_issue()
    pages = {
        "home": factories.home().url,
        "catalogue": factories.catalogue().url + "?audience=legal",
        "bundle": bundle.url,
        "policy-list": factories.policy_index().url,
        "policy": policy.url,
        "gallery": gallery().url,
        "magazine": issue.get_parent().url,
        "magazine-issue": issue.url,
        "search": "/search/?q=企业设立登记",
        "search-empty": "/search/?q=没有这个事项",
        "guide": guide.url,
        "404": "/no-such-page/",
    }
    # The search pages read the index as this test's pages made it.
    list(index.rebuild(get_search_backend()))
    problems = {}
    for name, url in pages.items():
        browser.get(live_server.url + url)
        page_class = browser.find_element("tag name", "body").get_attribute("class")
        assert ("page-error" in page_class) == (name == "404"), (name, browser.title)
        print_media(browser)
        found = browser.execute_script(LOW_CONTRAST_TEXT) + browser.execute_script(
            BADGES_WITHOUT_BORDER
        )
        found += [s for s in CHROME_SELECTORS if browser.execute_script(VISIBLE, s)]
        if found:
            problems[name] = found
        print_media(browser, on=False)
        save_first_page(printed(browser), f"print-{name}-a4-default", tmp_path)
    assert problems == {}
