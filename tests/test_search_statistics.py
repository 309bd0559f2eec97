"""The daily search statistics behind the editors' reports (search/stats.py): what a search
and a click add, on which day, for how long, and what is never recorded."""

import datetime

import pytest
from django.utils import timezone

from search import index, stats, tasks
from search.backends import get_search_backend
from search.models import SearchDay
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def on_day(monkeypatch, day, hour=9):
    """Every clock of the site at `hour` o'clock, Asia/Shanghai, on `day`."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def catalogue():
    guide = factories.guide(title="结婚登记", popular_names="领证")
    list(index.rebuild(get_search_backend()))
    return guide


def search_as(client, visitor, q, url="/search/", **params):
    return client.get(url, {"q": q, **params}, REMOTE_ADDR=f"10.0.0.{visitor}")


def day_of(query, day):
    row = SearchDay.objects.get(query_string=query, date=day)
    return row.searches, row.zero_results, row.impressions, row.clicks


def test_searches_are_counted_per_query_and_day_in_the_centres_time_zone(
    client, catalogue, monkeypatch
):
    on_day(monkeypatch, D(2026, 11, 2), hour=7)  # 23:00 UTC the day before
    search_as(client, 1, "结婚")
    search_as(client, 2, "潜水艇")
    on_day(monkeypatch, D(2026, 11, 3))
    search_as(client, 1, "结婚")
    search_as(client, 2, "结婚")
    assert day_of("结婚", D(2026, 11, 2)) == (1, 0, 1, 0)
    assert day_of("潜水艇", D(2026, 11, 2)) == (1, 1, 0, 0)
    assert day_of("结婚", D(2026, 11, 3)) == (2, 0, 2, 0)


def test_a_visitor_repeating_a_query_counts_once_a_day_and_later_pages_and_filters_not_at_all(
    client, catalogue, monkeypatch
):
    on_day(monkeypatch, D(2026, 11, 3))
    for _ in range(4):
        search_as(client, 1, "结婚")
    search_as(client, 2, "结婚", page="2")
    search_as(client, 2, "结婚", audience="person")
    assert day_of("结婚", D(2026, 11, 3)) == (1, 0, 1, 0)


def test_api_searches_count_but_show_no_results_on_the_page_whose_clicks_are_seen(
    client, catalogue, monkeypatch
):
    on_day(monkeypatch, D(2026, 11, 3))
    search_as(client, 1, "结婚", url="/api/search/")
    search_as(client, 2, "结婚", url="/api/search/")  # a cached answer, still counted
    search_as(client, 3, "潜水艇", url="/api/search/")
    assert day_of("结婚", D(2026, 11, 3)) == (2, 0, 0, 0)
    assert day_of("潜水艇", D(2026, 11, 3)) == (1, 1, 0, 0)


def test_a_query_with_a_phone_or_id_card_number_is_recorded_nowhere(client, catalogue):
    from wagtail.contrib.search_promotions.models import Query

    from search.models import HotQuery

    for query in (
        "结婚 13912345678",
        "110101199003071234 结婚",
        "11010119900307123X",
        "+86 139-1234-5678",
        "139.1234.5678 社保",
        "(0086)13912345678",
        "110101900307123",  # an old 15-digit card
    ):
        search_as(client, 1, query)
    assert not SearchDay.objects.exists()
    assert not Query.objects.exists() and not HotQuery.objects.exists()
    # Item codes are not phone numbers: a 12-digit basic code is recorded.
    search_as(client, 1, "000116007000")
    assert SearchDay.objects.filter(query_string="000116007000").exists()


def test_the_window_of_the_last_30_days_includes_today_and_the_29_before(monkeypatch):
    on_day(monkeypatch, D(2026, 11, 30))
    for day in (D(2026, 10, 31), D(2026, 11, 1), D(2026, 11, 30)):
        SearchDay.objects.create(query_string="潜水艇", date=day, searches=1, zero_results=1)
    rows = SearchDay.objects.filter(date__gte=stats.first_day(30))
    assert sorted(rows.values_list("date", flat=True)) == [D(2026, 11, 1), D(2026, 11, 30)]
    assert list(stats.zero_result_queries(rows).values_list("total_zero_results", flat=True)) == [2]


def test_the_nightly_job_keeps_the_last_180_days(monkeypatch):
    on_day(monkeypatch, D(2026, 11, 30))
    for day in (D(2026, 6, 3), D(2026, 6, 4), D(2026, 11, 30)):  # 181, 180 and 1 days
        SearchDay.objects.create(query_string="结婚", date=day, searches=1)
    assert tasks.prune_search_statistics() == 1
    assert sorted(SearchDay.objects.values_list("date", flat=True)) == [
        D(2026, 6, 4),
        D(2026, 11, 30),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_carries_the_unanswered_totals_over_on_their_last_day():
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("portal_search", "0010_names_and_materials_tables")]
    after = [("portal_search", "0011_search_days")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("portal_search", "UnansweredQuery")
    entry = old.objects.create(query_string="潜水艇", searches=12)
    # 20:00 UTC on 2 November is 04:00 on 3 November in the centre.
    late = timezone.make_aware(datetime.datetime(2026, 11, 2, 20), datetime.UTC)
    old.objects.filter(pk=entry.pk).update(last_searched_at=late)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # The rest of the schema back as every later test expects it: the migrations after
    # `after` (of this app and of those it holds back) are applied again.
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    carried = apps.get_model("portal_search", "SearchDay").objects.get(query_string="潜水艇")
    assert (carried.date, carried.searches, carried.zero_results) == (D(2026, 11, 3), 12, 12)
