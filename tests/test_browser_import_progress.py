"""An import run's page in headless Chromium: the bar follows the progress the worker records
and, once the run is over, the page turns into the report; without JavaScript the page
reloads itself (a <noscript> meta refresh) to the same end. Screenshots: tests/screenshots.py."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from supervision import import_runs
from supervision.choices import ImportStatus
from supervision.models import ImportRun
from tests import factories
from tests.browser import make_browser
from tests.screenshots import save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MB = 1024 * 1024
REPORT = {
    "summary": "好差评.csv 导入完成：共182000行，新增好差评181950条，更新已有好差评50条。",
    "ok": True,
    "encoding": "GBK",
    "errors": [],
    "first_day": "2026-11-01",
    "last_day": "2026-11-30",
}


def progress(run, done, total=20 * MB):
    # A recorder of its own each time: one recorder writes at most once a second.
    import_runs.ProgressRecorder(run.pk)(done, total, "B")


def finish(run):
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.DONE, finished_at=timezone.now(), report=REPORT
    )


def signed_in(browser, live_server):
    client = Client()
    client.force_login(factories.user("manager", "管理人员"))
    browser.get(live_server.url + reverse("wagtailadmin_login"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie, "path": "/"})
    return browser


@pytest.fixture
def running():
    return ImportRun.objects.create(
        kind="evaluations",
        file_name="好差评.csv",
        size=20 * MB,
        status=ImportStatus.RUNNING,
        started_at=timezone.now(),
    )


def test_with_javascript_the_bar_follows_the_job_and_the_report_replaces_it(live_server, running):
    browser = make_browser(javascript=True)
    try:
        signed_in(browser, live_server)
        progress(running, 5 * MB)
        browser.get(live_server.url + reverse("supervision_import_run", args=[running.pk]))
        bar = browser.find_element(By.CSS_SELECTOR, ".import-progress progress")
        assert bar.get_attribute("value") == "25"
        save_screenshot(browser, "import-run-progress")

        progress(running, 15 * MB)
        text = browser.find_element(By.CSS_SELECTOR, "[data-import-progress-text]")
        WebDriverWait(browser, 15).until(lambda b: bar.get_attribute("value") == "75")
        assert text.text == "已读取 15.0 MB / 20.0 MB（75%）"

        finish(running)
        WebDriverWait(browser, 15).until(lambda b: "导入完成" in b.page_source)
        assert browser.find_elements(By.CSS_SELECTOR, "progress") == []
        assert "数据日期：2026-11-01 至 2026-11-30" in browser.page_source
        save_screenshot(browser, "import-run-report")
    finally:
        browser.quit()


def test_without_javascript_the_page_reloads_itself_until_the_report(live_server, running):
    browser = make_browser(javascript=False)
    try:
        signed_in(browser, live_server)
        progress(running, 5 * MB)
        browser.get(live_server.url + reverse("supervision_import_run", args=[running.pk]))
        assert "已读取 5.0 MB / 20.0 MB（25%）" in browser.page_source

        finish(running)
        WebDriverWait(browser, 15).until(lambda b: "导入完成" in b.page_source)
    finally:
        browser.quit()
