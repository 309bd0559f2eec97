"""What supervision sets up after every `migrate` (idempotent): the 管理人员 group's rights over
the hall data and the bulletin schedules, and the schedules a centre starts with (django-q2
Schedule rows, editable in the admin under 定时任务). Only missing schedules are created; an
edit is never undone.

Times are Asia/Shanghai, which has no daylight saving time: a DAILY/WEEKLY/MONTHLY schedule
whose first run is at 08:00 local stays at 08:00. (django-q2's CRON type would need croniter.)
"""

import datetime

from django.utils import timezone

from cms.install import MANAGERS, grant_model_permissions

SCHEDULES = [
    # name, job, argument, schedule type, first run (weekday or day of month, hour, minute)
    ("每日督查通报", "daily", "D", None, 8, 0),
    ("每周督查小结", "weekly", "W", 0, 8, 30),  # Monday
    ("月度考评排名通报", "monthly", "M", 1, 9, 0),  # the 1st
]


def next_run(kind, when, hour, minute, now=None):
    """The first instant after `now` at hour:minute local, on weekday `when` (0 = Monday)
    for weekly schedules, on day `when` of the month for monthly ones."""
    now = timezone.localtime(now)
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    while True:
        if candidate > now and (
            kind == "daily"
            or (kind == "weekly" and candidate.weekday() == when)
            or (kind == "monthly" and candidate.day == when)
        ):
            return candidate
        candidate = timezone.localtime(candidate + datetime.timedelta(days=1)).replace(
            hour=hour, minute=minute
        )


def grant_permissions():
    """Hall data, rules, subscriptions and bulletins are the managers' (never editors' or
    reviewers'), and so are the schedules' times (the admin's 定时任务). Publishing, locking
    and unlocking exist for the scoring rules only (their versions are moderated); approving for
    the ranking notices only (评比公示)."""
    grant_model_permissions(
        MANAGERS,
        "supervision",
        ["add", "change", "view", "delete", "publish", "lock", "unlock", "approve"],
    )
    grant_model_permissions(MANAGERS, "django_q", ["add", "change", "view"])


RULES_WORKFLOW_NAME = "考评规则审核"
RULES_REVIEW_TASK_NAME = "管理人员审核考评规则"


def ensure_rules_workflow():
    """A version of the scoring rules is proposed (a draft, submitted) and approved before it
    counts. Not the pages' workflow: its reviewers (审核员) may not read supervision data, and
    would be asked to approve rules they cannot open. The managers approve; an administrator
    may add a group of its own to the task in the admin (设置 → 工作流)."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

    workflow, _ = Workflow.objects.get_or_create(name=RULES_WORKFLOW_NAME)
    task, created = GroupApprovalTask.objects.get_or_create(name=RULES_REVIEW_TASK_NAME)
    if created:
        task.groups.set([Group.objects.get_or_create(name=MANAGERS)[0]])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.get_or_create(
        content_type=ContentType.objects.get_by_natural_key("supervision", "scoringrules"),
        defaults={"workflow": workflow},
    )


def ensure_schedules():
    from django_q.models import Schedule

    for name, kind, schedule_type, when, hour, minute in SCHEDULES:
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": "supervision.tasks.produce_bulletins",
                "args": repr(kind),
                "schedule_type": schedule_type,
                "repeats": -1,
                "next_run": next_run(kind, when, hour, minute),
            },
        )
    # A bulletin waiting for its data is checked again every 15 minutes until the data is in
    # or its deadline (简报设置) has passed (supervision.bulletins.readiness).
    Schedule.objects.get_or_create(
        name="检查待生成的督查简报",
        defaults={
            "func": "supervision.tasks.check_waiting_bulletins",
            "schedule_type": Schedule.MINUTES,
            "minutes": 15,
            "repeats": -1,
        },
    )
    Schedule.objects.get_or_create(
        name="重发失败的督查简报",
        defaults={
            "func": "supervision.tasks.retry_failed_deliveries",
            "schedule_type": Schedule.MINUTES,
            "minutes": 15,
            "repeats": -1,
        },
    )
