"""Editors write, reviewers publish: Wagtail's moderation workflow as installed."""

import pytest
from django.urls import reverse
from wagtail.models import Workflow, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.install import EDITORS, REVIEWERS, WORKFLOW_NAME
from cms.models import PolicyPage
from tests import factories

pytestmark = pytest.mark.django_db


def policy_form(title, **extra):
    data = {
        "title": title,
        "slug": "",
        "document_number": "示政办发〔2026〕8号",
        "issuer": "示范市人民政府办公室",
        "issued_on": "2026-03-01",
        "effective_on": "",
        "validity": "in_force",
        "validity_note": "",
        "superseded_by": "",
        "summary": "",
        "body": rich_text("<p>正文</p>"),
        "attachments": inline_formset([]),
    }
    data.update(extra)
    return nested_form_data(data)


def add_policy(client, title, action):
    parent = factories.policy_index()
    url = reverse("wagtailadmin_pages:add", args=("cms", "policypage", parent.pk))
    return client.post(url, policy_form(title, **{action: "1"}))


def test_the_installed_workflow_covers_the_whole_tree_with_one_review_step():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert WorkflowPage.objects.get(page__depth=1).workflow == workflow
    tasks = list(workflow.tasks.specific())
    assert len(tasks) == 1
    assert REVIEWERS in [group.name for group in tasks[0].groups.all()]


def test_an_editor_cannot_publish(client):
    client.force_login(factories.user("xiaoli", EDITORS))
    response = add_policy(client, "编辑直接发布的文件", "action-publish")
    assert response.status_code in (200, 302)
    page = PolicyPage.objects.get(title="编辑直接发布的文件")
    assert not page.live


def test_a_reviewer_approval_publishes_what_an_editor_submitted(client):
    client.force_login(factories.user("xiaoli", EDITORS))
    response = add_policy(client, "提交审核的文件", "action-submit")
    assert response.status_code == 302
    page = PolicyPage.objects.get(title="提交审核的文件")
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not page.live

    client.force_login(factories.user("laowang", REVIEWERS))
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert page.live


def test_a_reviewer_rejection_leaves_the_page_unpublished(client):
    client.force_login(factories.user("xiaoli", EDITORS))
    add_policy(client, "被退回的文件", "action-submit")
    page = PolicyPage.objects.get(title="被退回的文件")
    state = WorkflowState.objects.get(object_id=str(page.pk))

    client.force_login(factories.user("laowang", REVIEWERS))
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "reject", state.current_task_state.pk)
    )
    client.post(url, {"comment": "文号有误"})
    page.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not page.live


def test_every_edit_is_a_revision_that_can_be_compared(client):
    policy = factories.policy(title="修订前的标题")
    policy.title = "修订后的标题"
    policy.save_revision().publish()
    first, second = policy.revisions.order_by("created_at")
    client.force_login(factories.user("admin", superuser=True))
    url = reverse("wagtailadmin_pages:revisions_compare", args=(policy.pk, first.pk, second.pk))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "修订前的标题" in html and "修订后的标题" in html


def test_a_locked_page_cannot_be_saved_by_another_editor(client):
    policy = factories.policy(title="锁定的文件")
    owner = factories.user("owner", REVIEWERS)
    policy.locked, policy.locked_by = True, owner
    policy.save()
    client.force_login(factories.user("other", EDITORS))
    url = reverse("wagtailadmin_pages:edit", args=(policy.pk,))
    client.post(url, policy_form("被改掉的标题", **{"action-submit": "1"}))
    policy.refresh_from_db()
    assert policy.title == "锁定的文件"
    assert policy.get_latest_revision().as_object().title == "锁定的文件"
