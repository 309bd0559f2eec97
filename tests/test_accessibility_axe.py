"""axe-core over every kind of public page, in headless Chromium, at a desktop and a phone
width and in the elder-friendly mode (长辈版): no critical or serious WCAG 2.1 A/AA violation.

axe-core comes from npm (package.json, pinned in package-lock.json; `make test` runs npm ci).
Every tested page/width/mode is also saved as a full-page screenshot in SCREENSHOT_DIR
(default artifacts/screenshots/), the CI artefacts a reviewer looks at; docs/accessibility.md.

The site is built once and every page audited in one pass, by the first test that needs the
results; each (page, width, mode) is then its own test that asserts on its own result, so a
failure names exactly the page, width and mode. Only that first test takes the database: a
test on the live server's database empties it afterwards (about a second each), which for
113 tests would cost more than the audit itself.
"""

import base64
import datetime
import json
import os
from pathlib import Path

import pytest

from cms.choices import Validity
from search import index
from search.backends import get_search_backend
from supervision import notices
from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind
from tests import factories
from tests.browser import make_browser
from tests.hall import fill_october, make_hall

pytestmark = pytest.mark.browser
LIVE_DATABASE = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR") or REPO / "artifacts" / "screenshots")

# WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668-2019 and the audit hold the site to.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"critical", "serious"}
# axe's best-practice rules about page structure, outside the WCAG tags (impact "moderate"):
# the audit found two unnamed role=search forms, content outside landmarks and a print view
# without <main>. Checked separately, every impact counts.
STRUCTURE_RULES = [
    "region",
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-main-is-top-level",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-complementary-is-top-level",
    "page-has-heading-one",
]

WIDTHS = {"desktop": 1366, "phone": 390}
MODES = ["standard", "elder"]
PAGES = [
    "home",
    "catalogue-filtered",
    "guide",
    "guide-kiosk",
    "guide-print",
    "bundle",
    "policy-list",
    "policy-repealed",
    "gallery",
    "ranking-notice",
    "ranking-notice-kiosk",
    "magazine",
    "magazine-issue",
    "search-results",
    "search-no-results",
    "not-found",
]
CASES = [(page, width, mode) for page in PAGES for width in WIDTHS for mode in MODES]


def build_site():
    """A small realistic centre: every public page type, with the links between them
    filled in. Returns the address of each page in PAGES."""
    # Links inside running text, as editors write them: the rule link-in-text-block needs them.
    company = factories.guide(
        title="公司设立登记",
        conditions='<p>名称经<a href="https://zwfw.example.gov.cn/mc">企业名称自主申报系统</a>'
        "申报无重复；有符合章程规定的股东。</p>",
    )
    seal = factories.guide(title="公章刻制备案", popular_names="刻章", high_frequency=False)
    bundle = factories.bundle([company, seal])
    in_force = factories.policy(title="关于推行容缺受理的通知")
    repealed = factories.policy(
        title="关于印发政务服务窗口管理办法的通知",
        validity=Validity.REPEALED,
        validity_note="已被《关于推行容缺受理的通知》废止",
        superseded_by=in_force,
        body='<p>依据<a href="https://www.gov.cn/zhengce/">《优化营商环境条例》</a>，'
        "制定本办法。</p>",
    )
    gallery = factories.gallery()
    issue = factories.magazine_issue()
    factories.magazine_article(issue, factories.magazine_column("改革动态"))
    home = factories.home()
    home.notice = "国庆假期办事大厅开放时间调整，详见通知公告。"
    home.hall_address = "示范市民之家二楼"
    home.hall_hours = "周一至周五 9:00-17:00"
    factories.publish(home)
    fill_october(make_hall())  # the month's ranking, approved for the public (评比公示)
    notices.approve(make_bulletin(BulletinKind.MONTHLY, datetime.date(2026, 10, 1)))
    list(index.rebuild(get_search_backend()))
    return {
        "home": "/",
        "catalogue-filtered": factories.catalogue().url + "?audience=legal&flag=high_frequency",
        "guide": company.url,
        "guide-kiosk": company.url + "kiosk/",
        "guide-print": company.url + "print/",
        "bundle": bundle.url,
        "policy-list": factories.policy_index().url,
        "policy-repealed": repealed.url,
        "gallery": gallery.url,
        "ranking-notice": "/pingbi/2026-10/",
        "ranking-notice-kiosk": "/kiosk/pingbi/2026-10/",
        "magazine": issue.get_parent().url,
        "magazine-issue": issue.url,
        "search-results": "/search/?q=登记",
        "search-no-results": "/search/?q=火星移民签证",
        "not-found": "/no-such-page/",
    }


def set_width(browser, width):
    # A phone is emulated as one (mobile: the viewport meta applies), not a narrow window.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 800},
    )


def full_page_screenshot(browser, path):
    size = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def run_axe(browser, options):
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0])"
        "  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        "    nodes: v.nodes.map(n => ({target: n.target, html: n.html}))}))))"
        "  .catch(e => done({error: String(e)}));",
        options,
    )


def audit_everything(live_server, browser):
    """{(page, width, mode): {"wcag": violations, "structure": violations}}, screenshots saved."""
    urls = build_site()
    axe_source = AXE.read_text()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for page, width, mode in CASES:  # an earlier run's picture never passes for this run's
        (SCREENSHOT_DIR / f"{page}-{WIDTHS[width]}-{mode}.png").unlink(missing_ok=True)
    results = {}
    browser.get(live_server.url + "/healthz")  # a cookie needs a page of the site open
    for mode in MODES:
        browser.delete_all_cookies()
        if mode == "elder":
            # The contract of issue 24: the cookie elder_mode=1 switches the mode on.
            browser.add_cookie({"name": "elder_mode", "value": "1", "path": "/"})
        for width_name, width in WIDTHS.items():
            set_width(browser, width)
            for page, url in urls.items():
                browser.get(live_server.url + url)
                browser.execute_script(axe_source)
                wcag = run_axe(browser, {"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                structure = run_axe(
                    browser, {"runOnly": {"type": "rule", "values": STRUCTURE_RULES}}
                )
                for outcome in (wcag, structure):
                    if isinstance(outcome, dict):
                        pytest.fail(f"axe-core failed on {url}: {outcome['error']}")
                full_page_screenshot(browser, SCREENSHOT_DIR / f"{page}-{width}-{mode}.png")
                results[(page, width_name, mode)] = {
                    "url": url,
                    "elder_class": browser.execute_script(
                        "return document.documentElement.classList.contains('elder-mode')"
                    ),
                    "wcag": wcag,
                    "structure": structure,
                }
    return results


@pytest.fixture(scope="module")
def browser():
    browser = make_browser()
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def audits():
    """The one audit's results. Kept for the session, not the module: pytest-django runs the
    marked test below with the suite's other database tests and this module's other tests
    later, after the module's fixtures have been torn down."""
    return {}


@pytest.fixture
def audit(request, audits):
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing ({AXE.relative_to(REPO)}): run `npm ci` at the repository "
            "root (make test does it; package.json pins the version)."
        )
    if not audits:
        # The live server, its database and the browser, taken here rather than named by every
        # test: see the module's docstring. pytest-django reads the marker when it sets up the
        # database.
        request.node.add_marker(LIVE_DATABASE)
        request.getfixturevalue("transactional_db")
        live_server = request.getfixturevalue("live_server")
        audits.update(audit_everything(live_server, request.getfixturevalue("browser")))
    return audits


def describe(violations, page, width, mode, url):
    lines = [f"{page} ({url}) at {WIDTHS[width]} px, {mode} mode:"]
    for violation in violations:
        lines.append(f"  {violation['id']} [{violation['impact']}] {violation['help']}")
        for node in violation["nodes"][:3]:
            lines.append(
                f"    {json.dumps(node['target'], ensure_ascii=False)}: {node['html'][:160]}"
            )
        if len(violation["nodes"]) > 3:
            lines.append(f"    … and {len(violation['nodes']) - 3} more")
    return "\n".join(lines)


@pytest.mark.parametrize(("page", "width", "mode"), CASES, ids=["-".join(c) for c in CASES])
def test_page_has_no_critical_or_serious_wcag_violation(audit, page, width, mode):
    result = audit[(page, width, mode)]
    failing = [v for v in result["wcag"] if v["impact"] in FAILING_IMPACTS]
    assert not failing, describe(failing, page, width, mode, result["url"])


@pytest.mark.parametrize(("page", "width", "mode"), CASES, ids=["-".join(c) for c in CASES])
def test_page_content_sits_in_named_unique_landmarks(audit, page, width, mode):
    result = audit[(page, width, mode)]
    assert not result["structure"], describe(result["structure"], page, width, mode, result["url"])


# The hall screen and the printed page are the same in both modes (they have no switch).
ONE_MODE_PAGES = {"guide-kiosk", "guide-print", "ranking-notice-kiosk"}


@pytest.mark.parametrize(("page", "width", "mode"), CASES, ids=["-".join(c) for c in CASES])
def test_the_elder_cases_audit_the_elder_friendly_pages(audit, page, width, mode):
    # A renamed cookie or class would otherwise leave the elder cases auditing standard pages.
    expected = mode == "elder" and page not in ONE_MODE_PAGES
    assert audit[(page, width, mode)]["elder_class"] is expected


# Marked, so that pytest-django orders it first and keeps a copy of the migrated database to
# restore after the audit empties it (serialized_rollback): it usually runs the audit.
@LIVE_DATABASE
def test_every_audited_page_and_width_and_mode_has_a_screenshot(audit):
    assert len(audit) == len(CASES)
    for page, width, mode in CASES:
        shot = SCREENSHOT_DIR / f"{page}-{WIDTHS[width]}-{mode}.png"
        assert shot.stat().st_size > 1000, shot
