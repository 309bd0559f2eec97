"""Editorial groups, the moderation workflow and the job schedules a centre starts with.

All are ordinary Wagtail/django-q2 records that administrators may change later in the
admin; these functions only create what is missing and never undo an edit.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITORS = "编辑"
REVIEWERS = "审核员"
MANAGERS = "管理人员"
WORKFLOW_NAME = "编辑提交、审核员审核发布"
REVIEW_TASK_NAME = "审核员审核"

# Page permissions per group (wagtail.models.GroupPagePermission on the tree root).
# Editors cannot publish: every change they make goes through the reviewers.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    MANAGERS: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ],
}
# Snippet, image and document permissions (app_label, codename prefixes) per group.
# Snippets (departments, windows, materials...) have no drafts: a change is live at once on
# every guide, so editors may only read them; reviewers and managers maintain them.
MODEL_PERMISSIONS = {
    EDITORS: {
        "wagtailimages": ["add", "change", "choose"],
        "wagtaildocs": ["add", "change", "choose"],
        "cms": ["view"],
    },
    REVIEWERS: {
        "wagtailimages": ["add", "change", "choose", "delete"],
        "wagtaildocs": ["add", "change", "choose", "delete"],
        "cms": ["add", "change", "view", "delete"],
    },
    MANAGERS: {
        "wagtailimages": ["add", "change", "choose", "delete"],
        "wagtaildocs": ["add", "change", "choose", "delete"],
        "cms": ["add", "change", "view", "delete"],
    },
}
# The other apps grant their own permissions to these groups in their own post_migrate
# (search/install.py, supervision/install.py), with grant_model_permissions below.


def grant_model_permissions(group_name, app_label, actions):
    """Give the group every permission of `app_label` whose codename starts with one of
    `actions` ("add", "view"...): a model-level grant, for apps whose rows have no collection."""
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*_permissions(app_label, actions))


def _permissions(app_label, actions):
    return Permission.objects.filter(
        content_type__app_label=app_label, codename__regex=rf"^({'|'.join(actions)})_"
    )


@transaction.atomic
def ensure_editorial_setup():
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    root = Page.get_first_root_node()
    collection_root = Collection.get_first_root_node()
    if root is None:
        return
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(admin_access)
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        for app_label, actions in MODEL_PERMISSIONS[name].items():
            if app_label not in ("wagtailimages", "wagtaildocs") or collection_root is None:
                grant_model_permissions(name, app_label, actions)
                continue
            for permission in _permissions(app_label, actions):  # on the root collection
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection_root, permission=permission
                )

    # Two steps: the editor submits, a reviewer approves (and thereby publishes).
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task, created = GroupApprovalTask.objects.get_or_create(name=REVIEW_TASK_NAME)
    if created:
        task.groups.set([groups[REVIEWERS], groups[MANAGERS]])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)
    elif not WorkflowPage.objects.filter(page=root, workflow=workflow).exists():
        # Replace Wagtail's stock "Moderators approval" on the root, only if it is still stock.
        WorkflowPage.objects.filter(page=root, workflow__name="Moderators approval").update(
            workflow=workflow
        )


def ensure_schedules():
    """Periodic jobs for django-q2's scheduler (one `qcluster` runs them)."""
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name="发布定时内容",
        defaults={
            "func": "cms.tasks.publish_scheduled_pages",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )
