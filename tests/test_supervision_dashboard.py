"""The supervision dashboard: this month's figures for managers, nobody else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.hall import fill_october, make_hall


@pytest.fixture
def october(db, monkeypatch):
    fill_october(make_hall())
    moment = timezone.make_aware(datetime.datetime(2026, 10, 22, 9))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_manager_sees_this_months_figures_so_far(client, october):
    client.force_login(factories.user("manager", "管理人员"))
    page = client.get(reverse("supervision_dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2026年10月，统计至 10月21日" in html
    assert "B01 乙窗口" in html  # the leader so far, also drawn in the chart
    assert "<svg" in html


def test_an_editor_cannot_open_the_dashboard(client, october):
    client.force_login(factories.user("editor", "编辑"))
    response = client.get(reverse("supervision_dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_the_dashboard_writes_scores_and_rates_as_the_bulletins_do(client, october):
    client.force_login(factories.user("manager", "管理人员"))
    html = client.get(reverse("supervision_dashboard")).content.decode()
    # 11 of 12 valid evaluations satisfied; scores 101.5 and 86.5 on the chart's bars.
    assert "<b>91.7%</b>满意率" in html
    assert "101.50分" in html and "86.50分" in html
    assert "101.5分" not in html and "91.67" not in html
