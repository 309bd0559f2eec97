"""Write citizens' evaluations as the hall system exports them (好差评导出), for the import
benchmark: a CSV with the columns the evaluation importer reads, GBK by default.

    DATABASE_URL=... .venv/bin/python bench/supervision_export.py \\
        [--evaluations 1000000] [--output /tmp/hall-evaluations.csv] [--encoding utf-8]

The rows come from the demo's generator (demo/hall) over the database's windows
and staff, so every 窗口号, 工号 and 部门编码 in the file exists there: run it against a
database filled by bench/supervision_data.py (or `load_demo`). Evaluations are numbered
HCP + date + sequence and case numbers BJ + date + sequence, a series of their own: the
PJ/SL numbers the generator writes into the database never collide with the file's, so
importing the file adds every row and importing it twice adds nothing the second time.
Nothing is written to the database.
"""

import argparse
import csv
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# The importer's headers (supervision/importers/kinds.py, EvaluationImporter), in the order
# the hall system exports them.
HEADERS = [
    "评价编号",
    "办件编号",
    "窗口号",
    "工号",
    "部门编码",
    "评价渠道",
    "评价等级",
    "评价内容",
    "评价时间",
    "申诉状态",
    "整改情况",
]
# At benchmark scale 200,000 of 5.26 million evaluations rate a tracked case (3.8%).
CASE_SHARE = 200_000 / 5_260_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=1_000_000)
    parser.add_argument("--output", default="/tmp/hall-evaluations.csv")
    parser.add_argument("--encoding", default="gbk", help="gbk (the hall system's) or utf-8")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    import django

    django.setup()
    from django.utils import timezone
    from tqdm import tqdm

    from cms.models import Department
    from demo.hall import load_windows
    from demo.hall.draws import dates
    from demo.hall.plan import HallPlan, StaffMember, plan_staff
    from supervision.choices import Appeal, Channel, Rating
    from supervision.models import Staff
    from supervision.workdays import WorkingCalendar

    windows = load_windows()
    if not windows:
        raise SystemExit(
            "数据库中没有窗口：先运行 bench/supervision_data.py 或 manage.py load_demo。"
        )
    by_pk = {w.pk: w for w in windows}
    staff = [
        StaffMember(number, name, by_pk[window_id], department_id, pk)
        for pk, number, name, window_id, department_id in Staff.objects.filter(
            window_id__in=by_pk, active=True
        )
        .order_by("number")
        .values_list("pk", "number", "name", "window_id", "department_id")
    ]
    if not staff:
        import random

        staff = plan_staff(windows, random.Random(f"{args.seed}:staff"))
        print(
            "数据库中没有窗口工作人员：工号按生成器的名册编写，导入前请先生成大厅数据。",
            file=sys.stderr,
        )

    start, end = datetime.date(args.year, 1, 1), datetime.date(args.year, 12, 31)
    calendar = WorkingCalendar.load()
    working_days = sum(calendar.is_working_day(day) for day in dates(start, end))
    plan = HallPlan(
        windows,
        calendar,
        start,
        end,
        evaluations_per_day=args.evaluations / working_days,
        cases_per_day=args.evaluations * CASE_SHARE / working_days,
        findings_per_month=0,
        seed=args.seed,
        staff=staff,
        evaluation_prefix="HCP",
        case_prefix="BJ",
    )
    codes = dict(Department.objects.values_list("pk", "code"))
    channels = dict(Channel.choices)
    ratings = dict(Rating.choices)
    appeals = dict(Appeal.choices)
    tz = timezone.get_default_timezone()

    started = time.perf_counter()
    written = 0
    with (
        open(args.output, "w", encoding=args.encoding, newline="") as file,
        tqdm(total=sum(plan.evaluation_counts), unit="行", unit_scale=True, file=sys.stderr) as bar,
    ):
        writer = csv.writer(file)
        writer.writerow(HEADERS)
        for _findings, _cases, evaluations in plan.generate():
            writer.writerows(
                (
                    number,
                    case_number,
                    window.number,
                    member.number,
                    codes[department_id],
                    channels[channel],
                    ratings[rating],
                    comment,
                    f"{evaluated_at.astimezone(tz):%Y-%m-%d %H:%M:%S}",
                    appeals[appeal],
                    follow_up,
                )
                for (
                    number,
                    case_number,
                    window,
                    department_id,
                    member,
                    channel,
                    rating,
                    comment,
                    evaluated_at,
                    appeal,
                    follow_up,
                ) in evaluations
            )
            written += len(evaluations)
            bar.update(len(evaluations))
    seconds = time.perf_counter() - started
    size = Path(args.output).stat().st_size
    print(
        f"{written:,} evaluations → {args.output} ({args.encoding}, {size / 2**20:.0f} MiB) "
        f"in {seconds:.1f} s ({written / seconds:,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
