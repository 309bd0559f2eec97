"""The editors' home: the admin dashboard lists each editor's and reviewer's pending work
(my drafts, awaiting my review, guides due for review, repealed legal bases, searches that
found nothing this week), in Chinese."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from cms.caching import version
from cms.choices import Validity
from cms.install import EDITORS, REVIEWERS
from cms.models import GuideLegalBasis, GuideReview, ServiceGuidePage
from cms.models.reviews import next_review
from search.models import SearchDay
from tests import factories

pytestmark = pytest.mark.django_db


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def draft_of(guide, user, title):
    guide.title = title
    return guide.save_revision(user=user)


def published_long_ago(guide, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    ServiceGuidePage.objects.filter(pk=guide.pk).update(last_published_at=moment)
    guide.refresh_from_db()
    return guide


def test_my_drafts_lists_my_unpublished_changes_not_a_colleagues(client):
    editor, colleague = factories.user("xiaoli", EDITORS), factories.user("xiaozhang", EDITORS)
    draft_of(factories.guide(title="护照签发"), editor, "护照签发（修订稿）")
    draft_of(factories.guide(title="犬只登记"), colleague, "犬只登记（修订稿）")
    html = home(client, editor)
    assert "我的草稿（1）" in html
    assert "护照签发（修订稿）" in html and "犬只登记（修订稿）" not in html


def test_my_drafts_lists_my_unpublished_reference_data_too(client):
    editor = factories.user("xiaoli", EDITORS)
    material = factories.material(name="营业执照")
    material.name = "营业执照（副本）"
    material.save_revision(user=editor)
    html = home(client, editor)
    assert "我的草稿（1）" in html and "营业执照（副本）" in html
    assert f"/admin/snippets/cms/material/edit/{material.pk}/" in html


def test_a_draft_sent_for_review_waits_on_the_reviewers_home_not_among_my_drafts(client):
    editor, reviewer = factories.user("xiaoli", EDITORS), factories.user("laowang", REVIEWERS)
    guide = factories.guide(title="居住证核发")
    revision = draft_of(guide, editor, "居住证核发（待审）")
    guide.get_workflow().start(guide, editor)
    assert revision.content_object.pk == guide.pk
    editors_home = home(client, editor)
    assert "我的草稿" not in editors_home  # the only draft is in review
    assert "居住证核发（待审）" in editors_home  # Wagtail's panel of my pages in review
    reviewers_home = home(client, reviewer)
    assert "等待你的审查" in reviewers_home and "居住证核发（待审）" in reviewers_home


def test_a_guide_past_its_review_date_is_listed_until_confirmed_unchanged(client):
    editor = factories.user("xiaoli", EDITORS)
    due = published_long_ago(factories.guide(title="出生医学证明签发"), days=400)
    published_long_ago(factories.guide(title="婚姻登记"), days=100)
    html = home(client, editor)
    assert "逾期未复核的指南（1）" in html and "出生医学证明签发" in html
    assert "婚姻登记" not in html

    content_version = version.current()
    response = client.post(reverse("confirm_guide_review", args=[due.pk]))
    assert response.status_code == 302
    assert version.current() == content_version  # nothing public changed: caches kept
    review = GuideReview.objects.get(guide=due)
    assert review.confirmed_by == editor
    assert abs(review.confirmed_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert next_review(due) == timezone.localdate() + datetime.timedelta(days=365)
    assert PageLogEntry.objects.filter(page=due, action="cms.review_confirmed", user=editor)
    assert "逾期未复核的指南" not in home(client, editor)


def test_confirming_a_review_needs_the_right_to_edit_the_guide_and_a_post(client):
    guide = published_long_ago(factories.guide(), days=400)
    url = reverse("confirm_guide_review", args=[guide.pk])
    client.force_login(factories.user("visitor"))  # no admin access
    assert client.post(url).status_code in (302, 403)
    client.force_login(factories.user("xiaoli", EDITORS))
    assert client.get(url).status_code == 405
    assert client.post(reverse("confirm_guide_review", args=[999999])).status_code == 404
    assert not GuideReview.objects.exists()


def test_a_guide_citing_a_repealed_policy_is_listed(client):
    repealed = factories.policy(title="已废止的旧办法", validity=Validity.REPEALED)
    guide = factories.guide(title="食品经营许可")
    GuideLegalBasis.objects.create(guide=guide, policy=repealed, title="旧办法", kind="creation")
    html = home(client, factories.user("xiaoli", EDITORS))
    assert "依据已废止的指南（1）" in html and "食品经营许可" in html


def test_the_weeks_searches_that_found_nothing_reach_reviewers_with_their_answers(client):
    today = timezone.localdate()
    SearchDay.objects.create(query_string="慢病卡", date=today, searches=3, zero_results=3)
    SearchDay.objects.create(
        query_string="上个月的词", date=today - datetime.timedelta(days=20), zero_results=5
    )
    html = home(client, factories.user("laowang", REVIEWERS))
    assert "本周无结果的搜索（1）" in html and "慢病卡" in html and "上个月的词" not in html
    assert "添加同义词" in html and "设为推荐结果" in html
    # Editors do not read the search statistics.
    assert "本周无结果的搜索" not in home(client, factories.user("xiaoli", EDITORS))


def test_a_user_without_page_rights_sees_no_editors_panels(client):
    draft_of(factories.guide(), factories.user("xiaoli", EDITORS), "别人的草稿")
    published_long_ago(factories.guide(title="出生医学证明签发"), days=400)
    user = factories.user("reader")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    html = home(client, user)
    assert "逾期未复核的指南" not in html and "我的草稿" not in html
    assert Page.objects.filter(has_unpublished_changes=True).exists()


def test_the_guides_the_audit_scores_lowest_are_listed_once_audited(client):
    from cms.audit.scoring import catalogue_audits

    weak = factories.guide(title="承诺时限超过法定时限的指南")
    ServiceGuidePage.objects.filter(pk=weak.pk).update(promised_days=40, legal_days=20)
    factories.guide(title="完整的指南")
    editor = factories.user("xiaoli", EDITORS)
    # Nothing audited the content as it is: the home page links the report, audits nothing.
    html = home(client, editor)
    assert "要素完整度尚未重新检查" in html and "承诺时限超过法定时限的指南" not in html
    scores = {a.guide.title: a.score for a in catalogue_audits()}
    assert scores["承诺时限超过法定时限的指南"] < scores["完整的指南"]
    html = home(client, editor)
    assert "要素完整度最低的指南（" in html
    assert html.index("承诺时限超过法定时限的指南") < html.index("完整的指南")
