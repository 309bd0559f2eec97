"""Chinese first: the admin speaks zh-hans, times are Beijing time."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_admin_speaks_simplified_chinese_even_to_an_english_browser(client):
    client.force_login(factories.user("admin", superuser=True))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "控制面板" in html and "键盘快捷键" in html


def test_times_are_beijing_time():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    moment = datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)
    assert timezone.localtime(moment).hour == 8


def test_public_pages_declare_chinese(client):
    guide = factories.guide()
    assert 'lang="zh-Hans"' in client.get(guide.url).content.decode()


def test_an_admin_user_may_choose_english_in_their_profile(client):
    from wagtail.users.models import UserProfile

    user = factories.user("admin", superuser=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    assert "Dashboard" in client.get("/admin/").content.decode()
