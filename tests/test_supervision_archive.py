"""The bulletin archive in the admin: who sees which bulletin, opening a PDF, a test copy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.bulletins import make_bulletin
from supervision.choices import BulletinKind
from supervision.models import Subscription
from tests import factories
from tests.hall import fill_october, make_hall

D = datetime.date


@pytest.fixture
def bulletins(db):
    fill_october(make_hall())
    return {
        "monthly": make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1)),
        "daily": make_bulletin(BulletinKind.DAILY, D(2026, 10, 9)),
    }


def test_a_manager_sees_every_bulletin_and_opens_its_pdf(client, bulletins):
    client.force_login(factories.user("manager", "管理人员"))
    page = client.get(reverse("supervision_archive"))
    assert page.status_code == 200
    html = page.content.decode()
    assert bulletins["monthly"].title in html and bulletins["daily"].title in html
    pdf = client.get(reverse("supervision_bulletin_pdf", args=[bulletins["monthly"].pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_editor_without_a_subscription_sees_no_bulletin(client, bulletins):
    client.force_login(factories.user("editor", "编辑"))
    refused = client.get(reverse("supervision_archive"))
    # Wagtail turns a refusal in the admin into a redirect to the dashboard with a message.
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    pdf = client.get(reverse("supervision_bulletin_pdf", args=[bulletins["monthly"].pk]))
    assert pdf.status_code == 404


def test_a_subscriber_sees_only_the_kinds_they_receive(client, bulletins):
    editor = factories.user("editor", "编辑")
    Subscription.objects.create(user=editor, kind=BulletinKind.DAILY)
    client.force_login(editor)
    html = client.get(reverse("supervision_archive")).content.decode()
    assert bulletins["daily"].title in html and bulletins["monthly"].title not in html
    pdf = client.get(reverse("supervision_bulletin_pdf", args=[bulletins["monthly"].pk]))
    assert pdf.status_code == 404


def test_send_me_a_test_mails_the_pdf_to_the_manager(client, bulletins, mailoutbox):
    manager = factories.user("manager", "管理人员")
    manager.email = "manager@zwfw.example.gov.cn"
    manager.save()
    client.force_login(manager)
    response = client.post(reverse("supervision_bulletin_test", args=[bulletins["monthly"].pk]))
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["manager@zwfw.example.gov.cn"] and mail.subject.startswith("[测试]")
    assert mail.attachments[0][2] == "application/pdf"


def test_send_me_a_test_without_an_email_address_says_what_to_do(client, bulletins, mailoutbox):
    manager = factories.user("manager", "管理人员")
    manager.email = ""
    manager.save()
    client.force_login(manager)
    url = reverse("supervision_bulletin_test", args=[bulletins["monthly"].pk])
    page = client.post(url, follow=True)
    assert "没有设置邮箱" in page.content.decode() and mailoutbox == []


def test_the_archive_pages_through_every_bulletin(client, bulletins, monkeypatch):
    from supervision.archive import ArchiveView

    monkeypatch.setattr(ArchiveView, "per_page", 1)
    client.force_login(factories.user("manager", "管理人员"))
    first = client.get(reverse("supervision_archive")).content.decode()
    second = client.get(reverse("supervision_archive"), {"p": "2"}).content.decode()
    # Newest period first: the daily of 10-09 is on page 1, October's monthly (10-01) on page 2.
    assert bulletins["daily"].title in first and bulletins["monthly"].title not in first
    assert bulletins["monthly"].title in second and "第 2 / 2 页" in second
    assert client.get(reverse("supervision_archive"), {"p": "abc"}).status_code == 200


def test_managers_edit_the_bulletin_schedules_in_the_wagtail_admin(client, db):
    from django_q.models import Schedule

    client.force_login(factories.user("manager", "管理人员"))
    listing = client.get("/admin/supervision/schedules/")
    assert listing.status_code == 200 and "每日督查通报" in listing.content.decode()
    daily = Schedule.objects.get(name="每日督查通报")
    edit = f"/admin/supervision/schedules/edit/{daily.pk}/"
    assert client.get(edit).status_code == 200
    moved = timezone.localtime(daily.next_run).replace(hour=7, minute=30)
    response = client.post(
        edit,
        {
            "name": daily.name,
            "schedule_type": daily.schedule_type,
            "minutes": "",
            "next_run": moved.strftime("%Y-%m-%d %H:%M"),
            "repeats": daily.repeats,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    daily.refresh_from_db()
    assert timezone.localtime(daily.next_run).hour == 7
    assert daily.func == "supervision.tasks.produce_bulletins"  # what runs is not editable
    # Nor can a manager add a schedule with no job, or delete one.
    # (No add button: the listing links no add view. "添加" itself may be in other controls'
    # labels, such as the translated "添加筛选".)
    assert "/admin/supervision/schedules/new/" not in listing.content.decode()
    assert client.get("/admin/supervision/schedules/new/").status_code in (302, 403)
    client.post(f"/admin/supervision/schedules/delete/{daily.pk}/")
    assert Schedule.objects.filter(pk=daily.pk).exists()
