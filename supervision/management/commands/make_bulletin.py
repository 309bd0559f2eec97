"""`manage.py make_bulletin {daily,weekly,monthly} [--period P]`: make one bulletin by hand.

The scheduled jobs call the same `make_bulletin`, so a bulletin made here is the one the
schedule would have made: the schedule does not make it again, and mails it to the
subscribers on its next run. Nothing is made public (a monthly ranking's red flag reaches
窗口风采 when a manager approves its 评比公示). Prints the PDF's path. It does not wait for the period's data
(the manager asked for it now), but a bulletin made before its data is in is marked 数据不完整,
like one the job makes past its deadline, and the job corrects it once the data comes.
"""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from supervision.bulletins import (
    ClosedDay,
    latest_complete_period,
    make_bulletin,
    period_of,
    readiness,
)
from supervision.choices import BulletinKind
from supervision.models import ScoringRules

FORMATS = "日报 2026-10-09；周报 2026-W42 或该周任一天；月报 2026-10 或该月任一天"


def parse_period(kind, text):
    """The first day of the period `text` names, or CommandError saying what is accepted."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
        if kind == BulletinKind.MONTHLY and re.fullmatch(r"\d{4}-\d{2}", text):
            return datetime.date.fromisoformat(f"{text}-01")
        match = re.fullmatch(r"(\d{4})-W(\d{2})", text, flags=re.IGNORECASE)
        if kind == BulletinKind.WEEKLY and match:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as error:
        raise CommandError(f"统计周期“{text}”不是有效日期：{error}。可用格式：{FORMATS}") from error
    raise CommandError(f"无法识别统计周期“{text}”。可用格式：{FORMATS}")


class Command(BaseCommand):
    help = "生成一期督查简报（已存在则直接返回），输出 PDF 路径。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=BulletinKind.values, help="daily / weekly / monthly")
        parser.add_argument("--period", help=f"统计周期，默认最近一个已结束的周期。格式：{FORMATS}")

    def handle(self, *args, kind, period, verbosity, **options):
        kind = BulletinKind(kind)
        today = timezone.localdate()
        day = parse_period(kind, period) if period else latest_complete_period(kind, today)[0]
        start, end = period_of(kind, day)
        if end >= today:
            # Its figures would count open cases as overdue and be frozen with the bulletin.
            raise CommandError(
                f"统计周期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 尚未结束，不能生成简报。"
            )
        missing = readiness.data_status(kind, start, end).missing
        try:
            bulletin = make_bulletin(
                kind, day, missing_data=[state.as_stored() for state in missing]
            )
        except (ClosedDay, ScoringRules.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            self.stderr.write(f"{bulletin.title}，{bulletin.issue_label}，{bulletin.pages}页")
            for source in bulletin.missing_data:
                self.stderr.write(self.style.WARNING(f"数据不完整：{source['text']}"))
        self.stdout.write(bulletin.pdf.path)
