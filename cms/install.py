"""Editorial groups, the moderation workflow and the job schedules a centre starts with.

All are ordinary Wagtail/django-q2 records that administrators may change later in the
admin; these functions only create what is missing and never undo an edit.
"""

import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

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
# Editors read every cms snippet; the reference data below they may also propose changes to.
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
# Reference data (cms.reference_data) is moderated like pages: an edit is a draft until it is
# published, and the same workflow reviews it. Editors add, change (save drafts, submit) and
# lock while they edit, as on pages; publishing, and unlocking someone else's lock, is the
# reviewers' and managers'. Deleting stays theirs too (a record in use is protected anyway).
REFERENCE_DATA_MODELS = ["department", "servicewindow", "theme", "material"]
REFERENCE_DATA_PERMISSIONS = {
    EDITORS: ["add", "change", "lock"],
    REVIEWERS: ["add", "change", "delete", "publish", "lock", "unlock"],
    MANAGERS: ["add", "change", "delete", "publish", "lock", "unlock"],
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
        WorkflowContentType,
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

    for name, actions in REFERENCE_DATA_PERMISSIONS.items():
        groups[name].permissions.add(
            *Permission.objects.filter(
                content_type__app_label="cms",
                codename__in=[f"{a}_{m}" for a in actions for m in REFERENCE_DATA_MODELS],
            )
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
        WorkflowPage.objects.filter(page=root, workflow__name__in=STOCK_NAMES["workflow"]).update(
            workflow=workflow
        )
    # The same workflow for the reference data, unless an administrator has set another.
    for model in REFERENCE_DATA_MODELS:
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_by_natural_key("cms", model),
            defaults={"workflow": workflow},
        )
    name_wagtails_stock_records_in_chinese()
    name_permissions_in_chinese()


# What Wagtail's own migrations create, named in English, and the admin shows (breadcrumbs,
# the explorer, collection, group and workflow lists): (English, Chinese) per kind. Wagtail's
# stock groups and workflow stay in place, unused (docs/architecture.md).
STOCK_NAMES = {
    "page": ("Root", "根页面"),
    "collection": ("Root", "根集合"),
    "Editors": ("Editors", "Wagtail 默认编辑组"),
    "Moderators": ("Moderators", "Wagtail 默认审核组"),
    "workflow": ("Moderators approval", "Wagtail 默认审核"),
}


def name_wagtails_stock_records_in_chinese():
    """Renames each record only while it still carries Wagtail's name: an administrator's own
    naming is kept."""
    from wagtail.models import Collection, Page, Task, Workflow

    english, chinese = STOCK_NAMES["page"]
    Page.objects.filter(depth=1, title=english).update(title=chinese, draft_title=chinese)
    english, chinese = STOCK_NAMES["collection"]
    Collection.objects.filter(depth=1, name=english).update(name=chinese)
    for kind in ("Editors", "Moderators"):
        english, chinese = STOCK_NAMES[kind]
        if not Group.objects.filter(name=chinese).exists():
            Group.objects.filter(name=english).update(name=chinese)
    english, chinese = STOCK_NAMES["workflow"]
    Workflow.objects.filter(name=english).update(name=chinese)
    Task.objects.filter(name=english).update(name=chinese)


PERMISSION_ACTIONS = {
    "add": "添加",
    "change": "修改",
    "delete": "删除",
    "view": "查看",
    # Wagtail's, for snippets with drafts and locking.
    "publish": "发布",
    "lock": "锁定",
    "unlock": "解锁",
}


def name_permissions_in_chinese():
    """Django stores a permission's name in English when it creates it ("Can add 部门") and the
    group editor shows it as stored. Renamed while it is still that English: the default four
    from their model's Chinese name (可添加部门), the declared ones (Wagtail's "Publish any
    page") by their translation."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.select_related("content_type"):
            model = permission.content_type.model_class()
            if model is None:
                continue
            action, _, model_name = permission.codename.partition("_")
            if (
                action in PERMISSION_ACTIONS
                and model_name == model._meta.model_name
                and permission.name == f"Can {action} {model._meta.verbose_name_raw}"
            ):
                name = f"可{PERMISSION_ACTIONS[action]}{model._meta.verbose_name}"
            else:
                name = translation.gettext(permission.name)
            if name != permission.name:
                permission.name = name[: Permission._meta.get_field("name").max_length]
                permission.save(update_fields=["name"])


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
    # Nightly, when the other sites are quiet too: the guides' external links, a few hundred a
    # night (cms.audit.links), for the guide audit's 外部链接失效 rule.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Schedule.objects.get_or_create(
        name="检查指南外部链接",
        defaults={
            "func": "cms.tasks.check_guide_links",
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(2))),
        },
    )
