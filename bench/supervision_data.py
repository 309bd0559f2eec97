"""Benchmark hall data: one year at the scale of a large centre (5.26 million evaluations,
200,000 cases, 30,000 findings), made by the demo's generator (demo/hall).

    DATABASE_URL=sqlite:////tmp/hall-bench.sqlite3 .venv/bin/python bench/supervision_data.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hall_bench \\
        .venv/bin/python bench/supervision_data.py [--evaluations 5260000 --cases 200000 \\
        --findings 30000] [--year 2026]

Steps: migrate; load the demo centre without its hall data (`load_demo --no-hall-data`) if
the database has no windows yet, so cases carry the demo catalogue's item codes and limits;
generate the year (progress on stderr); ANALYZE, so the ranking benchmark's queries are
planned on real statistics. The database is kept: the monthly-ranking benchmark reads it.
A database whose windows already have hall data is left alone. load_demo's images and
documents go to VAR_DIR (var/ by default): set VAR_DIR=/tmp/... to keep them out of var/.

Measured 2026-12-04 on 2 CPU cores (a shared machine, load average 3–4), year 2026 with
248 working days, 5,490,585 rows (291 staff, 294 rounds, 30,000 findings, 200,000 cases,
5,260,000 evaluations), peak memory 300 MB:
    SQLite file            generation 120 s (45,600 rows/s), database 1,025 MiB
    PostgreSQL 15 (COPY)   generation 193 s (28,500 rows/s), database 2,122 MiB, of which
                           evaluations 2,022 MiB with their nine indexes
plus load_demo --no-hall-data on an empty database (36 s SQLite, 66 s PostgreSQL).

Rates are per working day of the year's calendar, so the totals are exact (the evaluations
may exceed theirs by a few dozen: evaluations of cases on a busy day are never dropped).
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

TABLES = ("Staff", "InspectionRound", "Finding", "Case", "Evaluation")


def database_size(connection):
    """(total bytes, {table: bytes}) of the database; tables only on PostgreSQL."""
    from supervision import models

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = Path(connection.settings_dict["NAME"])
        files = [name, name.with_name(name.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists()), {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        tables = {}
        for name in TABLES:
            table = getattr(models, name)._meta.db_table
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            tables[name] = cursor.fetchone()[0]
    return total, tables


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=5_260_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--findings", type=int, default=30_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=50_000, help="rows per transaction")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from cms.models import ServiceWindow
    from demo.hall import generate_hall_data
    from demo.hall.draws import dates
    from supervision import models
    from supervision.workdays import WorkingCalendar

    # The debug cursor keeps every statement; a benchmark has no use for them.
    settings.DEBUG = False
    print(
        f"{datetime.date.today()} · {platform.node()} · {os.cpu_count()} CPU cores · "
        f"Python {platform.python_version()} · {connection.vendor} {connection.settings_dict['NAME']}"
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate                        {time.perf_counter() - started:7.1f} s")
    if not ServiceWindow.objects.exists():
        started = time.perf_counter()
        call_command("load_demo", no_hall_data=True, verbosity=0)
        print(f"load_demo --no-hall-data       {time.perf_counter() - started:7.1f} s")
    print(f"windows                        {ServiceWindow.objects.count():7d}")

    start, end = datetime.date(args.year, 1, 1), datetime.date(args.year, 12, 31)
    calendar = WorkingCalendar.load()
    working_days = sum(calendar.is_working_day(day) for day in dates(start, end))
    bar = None

    def progress(rows, total):
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="行", unit_scale=True, file=sys.stderr, desc="大厅数据")
        bar.update(rows)

    result = generate_hall_data(
        start,
        end,
        evaluations_per_day=args.evaluations / working_days,
        cases_per_day=args.cases / working_days,
        findings_per_month=args.findings / 12,
        seed=args.seed,
        progress=progress,
        batch_size=args.batch_size,
    )
    if bar is not None:
        bar.close()
    if result.skipped:
        counts = {name: getattr(models, name).objects.count() for name in TABLES}
        print(result.summary())
        print("existing rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        return

    print(f"generate {args.year} ({working_days} working days) {result.seconds:7.1f} s")
    for name, count in result.created.items():
        print(f"  {name:<16} {count:>12,}")
    print(f"  {'rows':<16} {result.rows:>12,}  ({result.rows / result.seconds:,.0f} rows/s)")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in TABLES:
                cursor.execute(f"ANALYZE {getattr(models, name)._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    print(f"ANALYZE                        {time.perf_counter() - started:7.1f} s")

    total, tables = database_size(connection)
    print(f"database size                  {total / 2**20:7.0f} MiB")
    for name, size in tables.items():
        print(f"  {name:<16} {size / 2**20:9.0f} MiB (table and indexes)")


if __name__ == "__main__":
    main()
