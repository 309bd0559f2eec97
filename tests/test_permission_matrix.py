"""Who may see what: one table over anonymous visitors and the four demo roles, every cell
asserted against a live request. docs/security.md prints the same table.

Outcomes:
    OK     200
    LOGIN  302 to a login page (an anonymous visitor meets a login-only page or the admin)
    DENY   refused to a signed-in user: 403, 404, Wagtail's redirect to the dashboard with a
           "no permission" message, or the Django admin's redirect to its login
    GONE   404 for everyone: not published, or not a public file at all
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from supervision import notices
from supervision.bulletins import make_bulletin
from supervision.bulletins.extracts import extract_of
from supervision.choices import BulletinKind
from supervision.models import BulletinSettings, ImportRun
from tests import factories
from tests.hall import fill_october, finding, make_hall

pytestmark = pytest.mark.django_db

OK, LOGIN, DENY, GONE = "OK", "LOGIN", "DENY", "GONE"
ROLES = ["anonymous", "editor", "reviewer", "manager", "admin"]

# (what, URL from the world, anonymous, editor 编辑, reviewer 审核员, manager 管理人员, admin)
MATRIX = [
    # The public site and its channels: published, public, unexpired pages for everyone.
    ("home", lambda w: "/", OK, OK, OK, OK, OK),
    ("catalogue", lambda w: w["guide"].get_parent().url, OK, OK, OK, OK, OK),
    ("guide", lambda w: w["guide"].url, OK, OK, OK, OK, OK),
    ("guide kiosk", lambda w: w["guide"].url + "kiosk/", OK, OK, OK, OK, OK),
    ("guide print", lambda w: w["guide"].url + "print/", OK, OK, OK, OK, OK),
    ("guide PDF", lambda w: w["guide"].url + "pdf/", OK, OK, OK, OK, OK),
    ("policy", lambda w: w["policy"].url, OK, OK, OK, OK, OK),
    ("kiosk start", lambda w: "/kiosk/", OK, OK, OK, OK, OK),
    ("search page", lambda w: "/search/?q=营业执照", OK, OK, OK, OK, OK),
    ("search API", lambda w: "/api/search/?q=营业执照", OK, OK, OK, OK, OK),
    ("suggest API", lambda w: "/api/search/suggest/?q=yy", OK, OK, OK, OK, OK),
    ("page API list", lambda w: "/api/v2/pages/", OK, OK, OK, OK, OK),
    ("page API guide", lambda w: f"/api/v2/pages/{w['guide'].pk}/", OK, OK, OK, OK, OK),
    ("public document", lambda w: w["public_doc"].url, OK, OK, OK, OK, OK),
    # Login-only pages and files: any signed-in user, never the JSON API.
    ("login-only guide", lambda w: w["private_guide"].url, LOGIN, OK, OK, OK, OK),
    ("its kiosk", lambda w: w["private_guide"].url + "kiosk/", LOGIN, OK, OK, OK, OK),
    ("its print", lambda w: w["private_guide"].url + "print/", LOGIN, OK, OK, OK, OK),
    ("its PDF", lambda w: w["private_guide"].url + "pdf/", LOGIN, OK, OK, OK, OK),
    ("its API", lambda w: f"/api/v2/pages/{w['private_guide'].pk}/", GONE, GONE, GONE, GONE, GONE),
    ("private document", lambda w: w["private_doc"].url, LOGIN, OK, OK, OK, OK),
    (
        "private doc as media",
        lambda w: "/media/" + w["private_doc"].file.name,
        GONE,
        GONE,
        GONE,
        GONE,
        GONE,
    ),
    # Drafts reach no public channel, whoever asks.
    (
        "draft guide",
        lambda w: w["draft_url"],
        GONE,
        GONE,
        GONE,
        GONE,
        GONE,
    ),
    ("draft API", lambda w: f"/api/v2/pages/{w['draft'].pk}/", GONE, GONE, GONE, GONE, GONE),
    # ... but its editors preview it in the admin.
    ("draft preview", lambda w: f"/admin/pages/{w['draft'].pk}/view_draft/", LOGIN, OK, OK, OK, OK),
    # Supervision: confidential by default.
    (
        "bulletin as media",
        lambda w: "/media/" + w["bulletin"].pdf.name,
        GONE,
        GONE,
        GONE,
        GONE,
        GONE,
    ),
    (
        "bulletin guessed",
        lambda w: "/media/bulletins/2026/daily-20261009.pdf",
        GONE,
        GONE,
        GONE,
        GONE,
        GONE,
    ),
    ("bulletin archive", lambda w: reverse("supervision_archive"), LOGIN, DENY, DENY, OK, OK),
    (
        "bulletin PDF",
        lambda w: reverse("supervision_bulletin_pdf", args=[w["bulletin"].pk]),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    (
        "department extract PDF",
        lambda w: reverse("supervision_bulletin_extract_pdf", args=[w["extract"].pk]),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    (
        "supervision dashboard",
        lambda w: reverse("supervision_dashboard"),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    ("finding photo", lambda w: w["finding_photo"], LOGIN, DENY, DENY, OK, OK),
    (
        "finding photo as media",
        lambda w: "/media/" + w["finding_photo_name"],
        GONE,
        GONE,
        GONE,
        GONE,
        GONE,
    ),
    ("hall data import", lambda w: reverse("supervision_import"), LOGIN, DENY, DENY, OK, OK),
    ("an import run", lambda w: w["import_url"]("run"), LOGIN, DENY, DENY, OK, OK),
    ("its status JSON", lambda w: w["import_url"]("run_status"), LOGIN, DENY, DENY, OK, OK),
    ("its uploaded file", lambda w: w["import_url"]("run_file"), LOGIN, DENY, DENY, OK, OK),
    (
        "import file as media",
        lambda w: "/media/" + w["import_file"],
        GONE,
        GONE,
        GONE,
        GONE,
        GONE,
    ),
    (
        "evaluations",
        lambda w: reverse("wagtailsnippets_supervision_evaluation:list"),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    (
        "scoring rules",
        lambda w: reverse("wagtailsnippets_supervision_scoringrules:list"),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    (
        "subscriptions",
        lambda w: reverse("wagtailsnippets_supervision_subscription:list"),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    ("schedules", lambda w: reverse("supervision_schedules:index"), LOGIN, DENY, DENY, OK, OK),
    # 评比公示: an approved month is public; an unapproved one is public nowhere.
    ("ranking notice", lambda w: "/pingbi/2026-10/", OK, OK, OK, OK, OK),
    ("its hall screen", lambda w: "/kiosk/pingbi/2026-10/", OK, OK, OK, OK, OK),
    ("its printed notice", lambda w: "/pingbi/2026-10/pdf/", OK, OK, OK, OK, OK),
    ("unapproved month", lambda w: "/pingbi/2026-09/", GONE, GONE, GONE, GONE, GONE),
    ("its hall screen", lambda w: "/kiosk/pingbi/2026-09/", GONE, GONE, GONE, GONE, GONE),
    ("its printed notice", lambda w: "/pingbi/2026-09/pdf/", GONE, GONE, GONE, GONE, GONE),
    (
        "approve a notice",
        lambda w: reverse("supervision_notice_approve", args=[w["september"].pk]),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    (
        "withdraw a notice",
        lambda w: reverse("supervision_notice_withdraw", args=[w["notice"].pk]),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    (
        "bulletin settings",
        lambda w: reverse(
            "wagtailsettings:edit",
            args=["supervision", "bulletinsettings", BulletinSettings.load().pk],
        ),
        LOGIN,
        DENY,
        DENY,
        OK,
        OK,
    ),
    # The editorial admin.
    ("admin dashboard", lambda w: "/admin/", LOGIN, OK, OK, OK, OK),
    ("page tree", lambda w: "/admin/pages/", LOGIN, OK, OK, OK, OK),
    ("edit a guide", lambda w: f"/admin/pages/{w['guide'].pk}/edit/", LOGIN, OK, OK, OK, OK),
    ("guide audit", lambda w: reverse("guide_audit_report"), LOGIN, OK, OK, OK, OK),
    (
        "guide audit export",
        lambda w: reverse("guide_audit_report") + "?export=xlsx",
        LOGIN,
        OK,
        OK,
        OK,
        OK,
    ),
    ("department audit", lambda w: reverse("department_audit_report"), LOGIN, OK, OK, OK, OK),
    (
        "departments",
        lambda w: reverse("wagtailsnippets_cms_department:list"),
        LOGIN,
        OK,
        OK,
        OK,
        OK,
    ),
    (
        "edit a department",
        lambda w: reverse("wagtailsnippets_cms_department:edit", args=[w["guide"].department.pk]),
        LOGIN,
        OK,  # an editor proposes a change; publishing it is a reviewer's (workflow)
        OK,
        OK,
        OK,
    ),
    (
        "synonyms",
        lambda w: reverse("wagtailsnippets_portal_search_synonym:list"),
        LOGIN,
        DENY,
        OK,
        OK,
        OK,
    ),
    (
        "service lexicon",
        lambda w: reverse("wagtailsnippets_portal_search_serviceterm:list"),
        LOGIN,
        DENY,
        OK,
        OK,
        OK,
    ),
    ("best bets", lambda w: reverse("wagtailsearchpromotions:index"), LOGIN, DENY, OK, OK, OK),
    (
        "zero-result report",
        lambda w: reverse("search_reports:zero_results"),
        LOGIN,
        DENY,
        OK,
        OK,
        OK,
    ),
    ("low-click report", lambda w: reverse("search_reports:low_clicks"), LOGIN, DENY, OK, OK, OK),
    (
        "best bet for a query",
        lambda w: reverse("search_reports:best_bet") + "?query_string=狗证",
        LOGIN,
        DENY,
        OK,
        OK,
        OK,
    ),
    ("documents", lambda w: reverse("wagtaildocs:index"), LOGIN, OK, OK, OK, OK),
    ("users", lambda w: reverse("wagtailusers_users:index"), LOGIN, DENY, DENY, DENY, OK),
    ("Django admin", lambda w: "/django-admin/", LOGIN, DENY, DENY, DENY, OK),
]


def outcome(response):
    status, location = response.status_code, response.get("Location", "")
    if status == 200:
        return OK
    if status == 302 and "login" in location:
        return LOGIN
    if status == 404:
        return GONE
    if status == 403 or (status == 302 and location.rstrip("/").endswith("/admin")):
        return DENY
    return f"{status} {location}"


def matches(expected, got, role):
    if expected == DENY:
        # A refusal may be a 404 (the archive hides bulletins it will not show), and the Django
        # admin sends signed-in users without staff status to its login page.
        return got in (DENY, GONE) or (got == LOGIN and role != "anonymous")
    return got == expected


@pytest.fixture
def world():
    hall = make_hall()
    fill_october(hall)
    guide = factories.guide(title="营业执照办理")
    private_guide = factories.guide(title="内部事项办理")
    PageViewRestriction.objects.create(
        page=private_guide, restriction_type=PageViewRestriction.LOGIN
    )
    internal = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    documents = get_document_model()
    draft = factories.guide(title="尚未发布的事项", live=False)
    bulletin = make_bulletin(BulletinKind.DAILY, datetime.date(2026, 10, 9))
    september = make_bulletin(BulletinKind.MONTHLY, datetime.date(2026, 9, 1))
    notice = notices.approve(make_bulletin(BulletinKind.MONTHLY, datetime.date(2026, 10, 1)))
    # The GONE cells must name real things, or a wrong URL would pass as "refused": the draft's
    # URL is the one a live guide there has, and the guessed name is a bulletin's own.
    assert guide.url == guide.get_parent().url + guide.slug + "/"
    assert bulletin.pdf.name == "bulletins/2026/daily-20261009.pdf"
    found = finding(hall["A"], datetime.date(2026, 10, 9), "discipline")
    found.photo = ContentFile(b"\x89PNG photo", name="xianchang.png")
    found.save()
    run = ImportRun.objects.create(
        kind="evaluations", file_name="好差评.csv", file=ContentFile(b"x", name="haochaping.csv")
    )
    return {
        "import_url": lambda name: reverse(f"supervision_import_{name}", args=[run.pk]),
        "import_file": run.file.name,
        "finding_photo": found.photo.url,
        "finding_photo_name": found.photo.name,
        "draft_url": draft.get_parent().url + draft.slug + "/",
        "private_guide": private_guide,
        "draft": draft,
        "guide": guide,
        "policy": factories.policy(title="关于优化营商环境的若干措施"),
        "public_doc": documents.objects.create(
            title="申请表", file=ContentFile(b"%PDF-1.4\n", name="shenqingbiao.pdf")
        ),
        "private_doc": documents.objects.create(
            title="内部考核表",
            file=ContentFile(b"%PDF-1.4\n", name="kaohe.pdf"),
            collection=internal,
        ),
        "bulletin": bulletin,
        "extract": extract_of(bulletin, [hall["X"].pk]),
        "september": september,
        "notice": notice,
    }


def sign_in(client, role):
    client.logout()
    if role == "admin":
        client.force_login(factories.user("admin", superuser=True))
    elif role != "anonymous":
        group = {"editor": "编辑", "reviewer": "审核员", "manager": "管理人员"}[role]
        client.force_login(factories.user(role, group))


def test_every_role_sees_exactly_what_the_matrix_says(client, world, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "10000/m")
    wrong = []
    for column, role in enumerate(ROLES, start=2):
        sign_in(client, role)
        for row in MATRIX:
            what, url = row[0], row[1](world)
            expected = row[column]
            got = outcome(client.get(url))
            if not matches(expected, got, role):
                wrong.append(f"{role:9} {what:22} expected {expected:5} got {got}  ({url})")
    assert wrong == [], "\n" + "\n".join(wrong)
