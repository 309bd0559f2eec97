"""The bulletin archive in the admin: who sees which bulletin, opening a PDF, a test copy."""

import datetime

import pytest
from django.urls import reverse

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
