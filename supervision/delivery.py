"""Delivering bulletins by email: one message per (bulletin, address), ever.

A Delivery row is created per recipient before anything is sent (unique per bulletin and
address), then claimed with a conditional UPDATE — only one worker can move it from
pending/failed to sending — sent, and marked sent. A re-run, a second worker or a retry after
a crash therefore finds the row sent (or claimed) and sends nothing. The one gap left is a
crash after the SMTP server accepted the message and before the row says so; that row is
retried after STALE_CLAIM, at the price of a possible duplicate, rather than lost.

What is attached (`document_for_address`): the whole bulletin for an unlimited subscription,
the departments' extract (部门专报, supervision.bulletins.extracts) for one limited to
departments. It is chosen from the address's subscription to the kind each time a message is
built; an extract is rendered once per set of departments, so a retry sends the same file
unless the subscription changed meanwhile. A corrected edition reaches an earlier recipient
who no longer subscribes as the edition it corrects reached them: their extract's departments
again, or the whole bulletin only for a manager (`view_bulletin`). The Delivery records what
went (`extract`, `pdf_sha256`).
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, mail_admins
from django.db.models import Q
from django.utils import timezone

from supervision.bulletins.extracts import document_for
from supervision.choices import BulletinKind, DeliveryStatus
from supervision.models import BulletinExtract, Delivery, Subscription

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = datetime.timedelta(minutes=30)


def recipients(bulletin):
    """(user, email) of the active subscriptions to this kind that this bulletin concerns.

    A subscription limited to departments gets daily and weekly bulletins only when they
    mention one of those departments; the monthly ranking covers every department.
    A corrected edition goes to whoever an earlier edition went to, nobody new."""
    if bulletin.edition > 1:
        earlier = earlier_recipients(bulletin)
        if earlier is not None:
            return earlier
    concerned = set(bulletin.content.get("departments_concerned", []))
    subscriptions = (
        Subscription.objects.filter(kind=bulletin.kind, active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("departments")
    )
    found = {}
    for subscription in subscriptions:
        departments = {department.pk for department in subscription.departments.all()}
        if departments and bulletin.kind != BulletinKind.MONTHLY and not departments & concerned:
            continue
        found.setdefault(subscription.user.email.lower(), subscription.user)
    return [(user, email) for email, user in sorted(found.items())]


def subscribed_departments(kind, subscriptions):
    """The departments `subscriptions` (one reader's, to bulletins of `kind`) limit them to:
    a sorted list, or [] for the whole bulletin. Active subscriptions decide; with none, the
    inactive ones (a reader who unsubscribed after a delivery was queued still gets only
    their departments). Any unlimited one wins: its reader may read the whole."""
    subscriptions = list(subscriptions.filter(kind=kind).prefetch_related("departments"))
    deciding = [s for s in subscriptions if s.active] or subscriptions
    limits = [{d.pk for d in subscription.departments.all()} for subscription in deciding]
    if not limits or not all(limits):
        return []
    return sorted(set().union(*limits))


class NotEntitled(Exception):
    """The address may no longer receive this bulletin (its subscription is gone)."""


def document_for_address(bulletin, email, user=None):
    """The bulletin, or the extract for the departments of this address's subscription;
    NotEntitled when the address may receive neither."""
    departments = departments_for_address(bulletin, email, user)
    if departments is None:
        raise NotEntitled(f"{email} 已没有该类简报的订阅，也不是管理人员：不发送。")
    return document_for(bulletin, departments)


def departments_for_address(bulletin, email, user=None):
    """The departments `email` reads `bulletin` for ([] = the whole bulletin), by its
    subscription to the kind; without one (deleted since the delivery was queued), for a
    correction the departments of the extract the corrected edition brought it, else the whole
    for a manager (`view_bulletin`) only; None when it may receive nothing."""
    subscriptions = Subscription.objects.filter(user__email__iexact=email, kind=bulletin.kind)
    if subscriptions.exists():
        return subscribed_departments(bulletin.kind, subscriptions)
    earlier = (
        Delivery.objects.filter(
            bulletin__kind=bulletin.kind,
            bulletin__period_start=bulletin.period_start,
            bulletin__edition__lt=bulletin.edition,
            email__iexact=email,
            is_test=False,
        )
        .select_related("extract", "user")
        .order_by("-bulletin__edition")
        .first()
    )
    if earlier is not None and earlier.extract is not None:
        return [int(pk) for pk in earlier.extract.departments_key.split(",")]
    user = user or (earlier.user if earlier is not None else None)
    if user is not None and user.is_active and user.has_perm("supervision.view_bulletin"):
        return []
    return None


def earlier_recipients(bulletin):
    """(user, email) of the deliveries of the period's earlier editions (sent, or still being
    tried): a correction reaches whoever the bulletin it corrects was addressed to, whatever
    their subscription says now, except a deactivated account. None when no earlier edition
    was delivered (a bulletin corrected before its first mailing goes to the subscribers)."""
    earlier = type(bulletin).objects.filter(
        kind=bulletin.kind, period_start=bulletin.period_start, edition__lt=bulletin.edition
    )
    if not earlier.filter(delivered_at__isnull=False).exists():
        return None
    found = {}
    for delivery in (
        Delivery.objects.filter(bulletin__in=earlier, is_test=False, user__is_active=True)
        .select_related("user")
        .order_by("email")
    ):
        found.setdefault(delivery.email.lower(), delivery.user)
    return [
        (user, email)
        for email, user in sorted(found.items())
        if departments_for_address(bulletin, email) is not None
    ]


def deliver(bulletin):
    """Queue one delivery per recipient (once) and send every one not sent yet.
    Returns the deliveries sent by this call."""
    for user, email in recipients(bulletin):
        Delivery.objects.get_or_create(
            bulletin=bulletin, email=email, is_test=False, defaults={"user": user}
        )
    sent = []
    for delivery in bulletin.deliveries.filter(is_test=False).exclude(status=DeliveryStatus.SENT):
        if send(delivery):
            sent.append(delivery)
    # Every recipient queued and tried: what failed is retry_failed's from here on.
    type(bulletin).objects.filter(pk=bulletin.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    return sent


def retry_failed():
    """Send again what failed, up to MAX_ATTEMPTS each, and what a killed job queued but
    never tried (pending); alert the owners about a delivery that has used its last attempt."""
    stale = timezone.now() - STALE_CLAIM
    # A superseded edition is never sent late: its correction went to the same addresses.
    waiting = Delivery.objects.filter(
        attempts__lt=MAX_ATTEMPTS, is_test=False, bulletin__superseded_at__isnull=True
    ).filter(
        Q(status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING])
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    )
    sent = 0
    for delivery in waiting.select_related("bulletin"):
        if send(delivery):
            sent += 1
        elif delivery.attempts >= MAX_ATTEMPTS:
            alert_owners(
                f"督查简报发送失败：{delivery.bulletin.title}",
                f"发送给 {delivery.email} 已尝试 {delivery.attempts} 次仍失败：{delivery.last_error}",
            )
    return sent


def _claim(delivery):
    stale = timezone.now() - STALE_CLAIM
    claimable = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=stale
    )
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(claimable, pk=delivery.pk, attempts__lt=MAX_ATTEMPTS)
        .exclude(status=DeliveryStatus.SENT)
        .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=delivery.attempts + 1)
    )
    if claimed:
        delivery.status, delivery.claimed_at = DeliveryStatus.SENDING, now
        delivery.attempts += 1
    return bool(claimed)


def message(bulletin, email, *, test=False, document=None):
    """The mail for `email`: `document` (the bulletin, or a department's extract of it)
    attached; the bulletin itself when not given. A corrected edition says so first."""
    document = document or bulletin
    data = document.pdf.open("rb").read()
    document.pdf.close()
    subject = f"【督查简报】{document.title} {bulletin.issue_label}"
    correction = ""
    if bulletin.edition > 1:
        subject = f"【更正】{subject}"
        correction = (
            f"本期为更正版（第{bulletin.edition}版），更正原因：{bulletin.correction_reason}。"
            f"更正内容见 PDF 首页“本期更正说明”，请以本版为准。\n"
        )
    if test:
        subject = f"[测试] {subject}"
    body = (
        f"{document.title}（{bulletin.issue_label}，{document.pages}页）见附件 PDF。\n"
        f"{correction}"
        f"往期简报可在管理后台“督查考评 → 督查简报”中查阅。\n\n"
        f"本邮件由{settings.WAGTAIL_SITE_NAME}内容与督查平台自动发送，请勿直接回复。"
    )
    mail = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    filename = f"{document.title}{'（更正版）' if bulletin.edition > 1 else ''}.pdf"
    mail.attach(filename, data, "application/pdf")
    return mail, hashlib.sha256(data).hexdigest()


def send(delivery):
    """Claim and send one delivery; True when this call sent it."""
    if not _claim(delivery):
        return False
    bulletin = delivery.bulletin
    try:
        document = document_for_address(bulletin, delivery.email, delivery.user)
        mail, sha256 = message(bulletin, delivery.email, test=delivery.is_test, document=document)
        connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30)
        connection.send_messages([mail])
    except Exception as error:  # SMTP refused, server down, file missing: retried later
        logger.warning("督查简报发送失败（%s → %s）：%s", bulletin, delivery.email, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        delivery.status = DeliveryStatus.FAILED
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        pdf_sha256=sha256,
        extract=document if isinstance(document, BulletinExtract) else None,
        last_error="",
    )
    delivery.status = DeliveryStatus.SENT
    logger.info("督查简报已发送：%s → %s", bulletin, delivery.email)
    return True


def send_test(bulletin, user):
    """The "send me a test" button: one message to the asking user, logged as a test."""
    if not user.email:
        raise ValueError("您的账号没有设置邮箱，请先在“账号设置”中填写邮箱。")
    delivery = Delivery.objects.create(bulletin=bulletin, user=user, email=user.email, is_test=True)
    send(delivery)
    delivery.refresh_from_db()
    return delivery


def alert_owners(subject, text):
    """Tell the site's owners (settings.ADMINS) and the log; never raises."""
    logger.error("%s：%s", subject, text)
    try:
        mail_admins(subject, text, fail_silently=True)
    except Exception:  # the alert must not hide the failure it reports
        logger.exception("无法发送告警邮件")
