"""Each app sets itself up after `migrate`: its own schedules and its own grants to the
editorial groups cms creates, and running the setup again changes nothing."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from django_q.models import Schedule

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_every_app_schedules_its_own_jobs():
    jobs = dict(Schedule.objects.values_list("name", "func"))
    assert jobs["发布定时内容"] == "cms.tasks.publish_scheduled_pages"
    assert jobs["核对检索索引"] == "search.tasks.reconcile_index"
    assert jobs["每日督查通报"] == "supervision.tasks.produce_bulletins"
    assert jobs["重发失败的督查简报"] == "supervision.tasks.retry_failed_deliveries"


def test_search_and_supervision_grant_their_own_permissions():
    reviewers, managers, editors = codenames("审核员"), codenames("管理人员"), codenames("编辑")
    for group in (reviewers, managers):
        assert {"portal_search.change_synonym", "wagtailsearchpromotions.add_query"} <= group
    assert {"supervision.view_bulletin", "supervision.add_evaluation"} <= managers
    assert "django_q.change_schedule" in managers
    assert not any(code.startswith(("supervision.", "django_q.")) for code in reviewers)
    assert not any(
        code.startswith(("supervision.", "django_q.", "portal_search.")) for code in editors
    )


def test_running_every_apps_setup_again_changes_nothing():
    before = (Schedule.objects.count(), {g.name: codenames(g.name) for g in Group.objects.all()})
    for label in ("cms", "portal_search", "supervision"):
        post_migrate.send(sender=apps.get_app_config(label), app_config=apps.get_app_config(label))
    after = (Schedule.objects.count(), {g.name: codenames(g.name) for g in Group.objects.all()})
    assert after == before
