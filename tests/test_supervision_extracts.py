"""Department extracts (部门专报): a subscription limited to departments receives, and opens
in the archive, the bulletin cut down to its departments — read back from the PDF the
loopback SMTP server received."""

import datetime
import hashlib
import io
import itertools
import logging

import pypdf
import pytest
from django.urls import reverse

from cms.models import ServiceWindow
from supervision import delivery
from supervision.bulletins import make_bulletin
from supervision.bulletins.extracts import extract_content, extract_of
from supervision.choices import Appeal, BulletinKind, Channel, DeliveryStatus, FindingCategory
from supervision.models import (
    Bulletin,
    BulletinExtract,
    Case,
    Delivery,
    Evaluation,
    Finding,
    InspectionRound,
    ScoringRules,
    Subscription,
)
from tests import factories
from tests.hall import at, rules
from tests.smtp import mail_through_loopback

D = datetime.date
_numbers = itertools.count(1)

# Names and texts a PDF can only contain if that department's rows are in it.
HRSS = "人力资源和社会保障局"
MARKET = "市场监督管理局"
ESTATE = "不动产登记中心"
OWN = {
    "windows": ["H01 社保卡补换窗口", "H02 就业失业登记窗口"],
    "findings": ["社保窗口人员离岗", "就业窗口迟到交接"],
    "bad_review": "社保卡补办排队太久",
    "red_case": "RS801",
}
OTHERS = {
    "windows": ["M01 企业开办专区窗口", "R01 不动产抵押登记窗口"],
    "findings": ["企业开办窗口桌面杂乱", "不动产窗口未一次告知", "综合窗口未亮证上岗"],
    "bad_review": "企业开办材料被退三次",
    "red_case": "BD802",
    "departments": [MARKET, ESTATE],
}


def _finding(window, department, day, description, category=FindingCategory.ATTENDANCE):
    round_, _ = InspectionRound.objects.get_or_create(date=day, kind="daily")
    return Finding.objects.create(
        number=f"XC-{next(_numbers)}",
        round=round_,
        window=window,
        department=department,
        category=category,
        description=description,
    )


def _evaluation(window, department, day, rating, comment=""):
    return Evaluation.objects.create(
        number=f"PJ-{next(_numbers)}",
        window=window,
        department=department,
        channel=Channel.HALL,
        rating=rating,
        comment=comment,
        evaluated_at=at(day),
        appeal=Appeal.NONE,
    )


def _red_case(number, window, department):
    # Accepted Friday 10-09 with 1/2 working days: due 10-10 (make-up Saturday) / 10-12,
    # still open: red from 10-13 on, in the daily of 10-14, the week's and October's.
    return Case.objects.create(
        number=number,
        item_code="X-1",
        item_name="证照办理",
        window=window,
        department=department,
        accepted_at=at(D(2026, 10, 9)),
        promised_days=1,
        legal_days=2,
    )


@pytest.fixture
def smtp(settings):
    """The loopback SMTP server, as in test_supervision_delivery."""
    yield from mail_through_loopback(settings)


@pytest.fixture
def hall(db):
    """Three departments; window Z01 serves both 人社 and 市场监管 (its finding is booked to
    市场监管). Findings on Tuesday 10-13 and Wednesday 10-14, a bad review each for 人社 and
    市场监管, a red case each for 人社 and 不动产. Too few evaluations for a red flag."""
    ScoringRules.objects.all().delete()
    rules()
    hrss = factories.department(name=HRSS, code="RS")
    market = factories.department(name=MARKET, code="SC")
    estate = factories.department(name=ESTATE, code="BDC")
    h1 = factories.window(hrss, number="H01", name="社保卡补换窗口")
    h2 = factories.window(hrss, number="H02", name="就业失业登记窗口")
    m1 = factories.window(market, number="M01", name="企业开办专区窗口")
    r1 = factories.window(estate, number="R01", name="不动产抵押登记窗口")
    z1 = factories.window(hrss, number="Z01", name="综合受理窗口")
    z1.departments.add(market)
    z1.save()
    wednesday, tuesday = D(2026, 10, 14), D(2026, 10, 13)
    _finding(h1, hrss, wednesday, "社保窗口人员离岗")
    _finding(h1, hrss, tuesday, "社保窗口再次离岗")
    _finding(h2, hrss, tuesday, "就业窗口迟到交接")
    _finding(m1, market, wednesday, "企业开办窗口桌面杂乱", FindingCategory.ENVIRONMENT)
    _finding(m1, market, tuesday, "企业开办窗口迟到")
    _finding(r1, estate, wednesday, "不动产窗口未一次告知", FindingCategory.TELL_ONCE)
    _finding(z1, market, wednesday, "综合窗口未亮证上岗", FindingCategory.ETIQUETTE)
    _evaluation(h1, hrss, wednesday, 1, OWN["bad_review"])
    _evaluation(h2, hrss, wednesday, 5)
    _evaluation(m1, market, wednesday, 2, OTHERS["bad_review"])
    _red_case("RS801", h2, hrss)
    _red_case("BD802", r1, estate)
    return {"hrss": hrss, "market": market, "estate": estate, "Z01": z1}


def _subscriber(username, kinds, departments=(), group="管理人员"):
    user = factories.user(username, group)
    user.email = f"{username}@zwfw.example.gov.cn"
    user.save()
    for kind in kinds:
        subscription = Subscription.objects.create(user=user, kind=kind)
        subscription.departments.set(departments)
    return user


def pdf_text(data):
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _received(smtp, address):
    (message,) = [m for to, m in smtp.inbox.messages if to == [address]]
    (attachment,) = list(message.iter_attachments())
    return message, attachment.get_content()


def _assert_own_only(text):
    assert f"{HRSS}专报" in text
    for other in OTHERS["findings"] + OTHERS["departments"] + [OTHERS["red_case"]]:
        assert other not in text
    assert "M01" not in text and "R01" not in text


PERIODS = {
    BulletinKind.DAILY: D(2026, 10, 14),
    BulletinKind.WEEKLY: D(2026, 10, 12),
    BulletinKind.MONTHLY: D(2026, 10, 1),
}


@pytest.mark.parametrize("kind", list(PERIODS))
def test_a_department_subscriber_receives_only_its_departments_windows_findings_and_cases(
    hall, smtp, kind
):
    head = _subscriber("head", [kind], [hall["hrss"]])
    whole = _subscriber("director", [kind])
    bulletin = make_bulletin(kind, PERIODS[kind])
    delivery.deliver(bulletin)

    message, data = _received(smtp, head.email)
    text = pdf_text(data)
    assert f"{HRSS}专报" in message["Subject"]
    _assert_own_only(text)
    assert "H01" in text and OWN["red_case"] in text
    if kind != BulletinKind.MONTHLY:  # the monthly ranking lists no findings
        assert "社保窗口人员离岗" in text
    if kind != BulletinKind.DAILY:  # the daily lists its day's findings, no reviews
        assert OWN["bad_review"] in text and OTHERS["bad_review"] not in text
    if kind == BulletinKind.DAILY:
        assert "就业窗口迟到交接" in text  # the previous working day's, fixed or not
    if kind == BulletinKind.WEEKLY:  # repeat offenders: windows with findings on two days
        assert "社保卡补换窗口" in text and "企业开办专区窗口" not in text
    if kind == BulletinKind.MONTHLY:
        compact = text.replace(" ", "").replace("\n", "")
        for label in OWN["windows"]:
            assert label.replace(" ", "") in compact
        # Z01 serves both departments: its row is in, its 市场监管 finding is not.
        assert "Z01" in text

    sent = Delivery.objects.get(email=head.email)
    assert sent.status == DeliveryStatus.SENT and sent.extract is not None
    assert sent.pdf_sha256 == hashlib.sha256(data).hexdigest() == sent.extract.pdf_sha256
    assert sent.extract.department_names == HRSS

    # The unlimited subscriber gets the whole hall's bulletin.
    _, whole_data = _received(smtp, whole.email)
    whole_text = pdf_text(whole_data)
    assert "专报" not in whole_text
    assert "M01" in whole_text and "R01" in whole_text and OTHERS["red_case"] in whole_text
    assert hashlib.sha256(whole_data).hexdigest() == bulletin.pdf_sha256
    assert Delivery.objects.get(email=whole.email).extract is None


def test_an_extract_states_the_departments_own_figures_and_keeps_the_hall_rank(hall):
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    windows = {row["label"]: row for row in bulletin.content["windows"]}
    text = pdf_text(extract_of(bulletin, [hall["hrss"].pk]).pdf.read())
    compact = text.replace(" ", "").replace("\n", "")
    departments = {row["label"]: row for row in bulletin.content["departments"]}
    own = departments[HRSS]
    assert f"在全中心3个部门中排名第{own['rank']}（{own['score']}分）" in compact
    rank = windows["H01 社保卡补换窗口"]["rank"]
    assert "在全中心5个窗口中" in compact and f"H01社保卡补换窗口排名第{rank}" in compact
    # 人社's 2 valid evaluations: 1 非常不满意 (a bad review), 1 非常满意: 50 % satisfied.
    assert "差评1条" in compact and "满意率50.0%" in compact


def test_the_month_on_month_column_compares_with_last_months_stored_department_figures(hall):
    hrss = [hall["hrss"].pk]
    first = make_bulletin(BulletinKind.MONTHLY, D(2026, 9, 1))  # September: no hall data
    assert set(extract_content("monthly", first.content, hrss)["changes"].values()) == {None}
    october = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    content = extract_content("monthly", october.content, hrss)
    # 人社 in October: case RS801 accepted, 2 valid evaluations, 1 bad review, RS801 red; in
    # September nothing: its first month compares with nothing ("—", never +1).
    assert content["overview"]["cases"] == 1 and content["overview"]["evaluations"] == 2
    assert content["overview"]["satisfaction"] == 50.0
    assert set(content["changes"].values()) == {None}
    # With September's records of 人社 (a case, three evaluations) the column compares.
    h01 = ServiceWindow.objects.get(number="H01")
    Case.objects.create(
        number="RS700",
        item_code="X-1",
        item_name="证照办理",
        window=h01,
        department=hall["hrss"],
        accepted_at=at(D(2026, 9, 10)),
        promised_days=1,
        legal_days=2,
        completed_at=at(D(2026, 9, 10), 15),
    )
    for rating in (5, 5, 4):
        _evaluation(h01, hall["hrss"], D(2026, 9, 10), rating)
    Bulletin.objects.all().delete()
    make_bulletin(BulletinKind.MONTHLY, D(2026, 9, 1))
    october = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    changes = extract_content("monthly", october.content, hrss)["changes"]
    assert changes["cases"] == 0 and changes["evaluations"] == -1
    assert changes["bad_reviews"] == 1 and changes["red"] == 1
    # A bulletin older than extracts stored nothing to compare with: no change is shown.
    september = Bulletin.objects.get(period_start=D(2026, 9, 1))
    Bulletin.objects.filter(pk=september.pk).update(
        content={k: v for k, v in september.content.items() if k != "for_extracts"}
    )
    october.delete()
    again = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    assert set(extract_content("monthly", again.content, hrss)["changes"].values()) == {None}


def test_an_extract_is_rendered_once_per_bulletin_and_set_of_departments(hall, smtp):
    kinds = [BulletinKind.MONTHLY]
    _subscriber("head", kinds, [hall["hrss"]])
    _subscriber("deputy", kinds, [hall["hrss"]])
    _subscriber("both", kinds, [hall["hrss"], hall["estate"]])
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    delivery.deliver(bulletin)
    assert sorted(bulletin.extracts.values_list("departments_key", flat=True)) == sorted(
        [str(hall["hrss"].pk), f"{hall['hrss'].pk},{hall['estate'].pk}"]
    )
    both = Delivery.objects.get(email="both@zwfw.example.gov.cn").extract
    text = pdf_text(both.pdf.read())
    assert f"{HRSS}、{ESTATE}专报" in text and "BD802" in text and "RS801" in text
    assert "企业开办窗口桌面杂乱" not in text and "综合窗口未亮证上岗" not in text
    # The delivery log keeps its extract; both go with their bulletin.
    bulletin.delete()
    assert not Delivery.objects.exists() and not BulletinExtract.objects.exists()


def test_an_extract_comes_from_the_stored_content_not_from_todays_hall_data(hall):
    bulletin = make_bulletin(BulletinKind.DAILY, D(2026, 10, 14))
    Finding.objects.filter(description="社保窗口人员离岗").delete()
    text = pdf_text(extract_of(bulletin, [hall["hrss"].pk]).pdf.read())
    assert "社保窗口人员离岗" in text


def test_a_bulletin_made_before_extracts_is_sent_whole_to_a_department_with_a_log_line(
    hall, smtp, caplog
):
    head = _subscriber("head", [BulletinKind.MONTHLY], [hall["hrss"]])
    bulletin = make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))
    content = dict(bulletin.content)
    del content["for_extracts"]
    Bulletin.objects.filter(pk=bulletin.pk).update(content=content)
    bulletin.refresh_from_db()
    with caplog.at_level(logging.WARNING, logger="supervision.bulletins.extracts"):
        delivery.deliver(bulletin)
    _, data = _received(smtp, head.email)
    assert hashlib.sha256(data).hexdigest() == bulletin.pdf_sha256
    assert Delivery.objects.get().extract is None and not bulletin.extracts.exists()
    assert any("部门订阅者收到全文" in record.getMessage() for record in caplog.records)


# --- The archive: who opens which PDF ----------------------------------------------------


@pytest.fixture
def october(hall):
    return make_bulletin(BulletinKind.MONTHLY, D(2026, 10, 1))


def _pdf(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_text(b"".join(response.streaming_content))


def test_a_department_subscriber_opens_their_extract_in_the_archive_never_the_whole(
    client, hall, october
):
    client.force_login(_subscriber("head", [BulletinKind.MONTHLY], [hall["hrss"]], group="编辑"))
    listing = client.get(reverse("supervision_archive")).content.decode()
    assert f"{october.title}·{HRSS}专报" in listing
    text = _pdf(client.get(reverse("supervision_bulletin_pdf", args=[october.pk])))
    _assert_own_only(text)
    theirs = october.extracts.get()
    assert _pdf(client.get(reverse("supervision_bulletin_extract_pdf", args=[theirs.pk])))
    other = extract_of(october, [hall["market"].pk])
    refused = client.get(reverse("supervision_bulletin_extract_pdf", args=[other.pk]))
    assert refused.status_code == 404
    # Who received what (addresses, other departments' extracts) is the managers' to see.
    _subscriber("market_head", [BulletinKind.MONTHLY], [hall["market"]])
    delivery.deliver(october)
    assert october.deliveries.filter(extract__isnull=False).count() == 2
    listing = client.get(reverse("supervision_archive")).content.decode()
    assert "@zwfw.example.gov.cn" not in listing and f"{MARKET}专报" not in listing


def test_a_manager_opens_the_whole_bulletin_and_any_extract(client, hall, october):
    client.force_login(factories.user("manager", "管理人员"))
    whole = _pdf(client.get(reverse("supervision_bulletin_pdf", args=[october.pk])))
    assert "专报" not in whole and "企业开办窗口桌面杂乱" not in whole  # monthly lists no findings
    assert "企业开办专区窗口" in whole.replace(" ", "")
    extract = extract_of(october, [hall["market"].pk])
    text = _pdf(client.get(reverse("supervision_bulletin_extract_pdf", args=[extract.pk])))
    assert f"{MARKET}专报" in text


def test_an_unlimited_subscriber_may_open_an_extract_a_user_without_subscription_may_not(
    client, hall, october
):
    extract = extract_of(october, [hall["market"].pk])
    url = reverse("supervision_bulletin_extract_pdf", args=[extract.pk])
    client.force_login(factories.user("editor", "编辑"))
    assert client.get(url).status_code == 404
    client.force_login(_subscriber("reader", [BulletinKind.MONTHLY], group="编辑"))
    assert _pdf(client.get(url))
    # A daily subscriber limited to 人社 may not open the monthly's extracts.
    client.force_login(_subscriber("daily", [BulletinKind.DAILY], [hall["hrss"]], group="编辑"))
    assert client.get(url).status_code == 404


def test_a_test_copy_for_a_department_subscriber_is_their_extract(client, hall, october, smtp):
    head = _subscriber("head", [BulletinKind.MONTHLY], [hall["hrss"]], group="编辑")
    client.force_login(head)
    client.post(reverse("supervision_bulletin_test", args=[october.pk]))
    message, data = _received(smtp, head.email)
    assert message["Subject"].strip().startswith("[测试]") and f"{HRSS}专报" in message["Subject"]
    _assert_own_only(pdf_text(data))
