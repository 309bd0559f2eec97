"""Supervision benchmark: the monthly ranking computation (database aggregates) and, side by
side in the same run, the naive computation that loops over every record in Python; peak
memory of each; the import of 1 million evaluations from a CSV.

Data (once per database; bench/supervision_data.py generates a year at the issue's scale):
    DATABASE_URL=... .venv/bin/python bench/supervision_data.py
Then:
    DATABASE_URL=... .venv/bin/python bench/supervision.py [--month 2026-06] [--rounds 3]
        [--skip-naive] [--import-csv FILE]

Each measurement runs in its own child process, so the peak resident memory reported
(ru_maxrss) is that computation's own, Django included. The naive run must give the same
scores as the aggregate one; the script says so or fails.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def naive_scores(level, month, rules):
    """The same scores as supervision.scoring.score_units, computed the way a first version
    would: load every record of the month as a model instance and count in Python."""
    from supervision import lights, scoring
    from supervision.choices import BAD_REVIEW_MAX_RATING, Appeal
    from supervision.models import Case, Evaluation, Finding
    from supervision.workdays import local_date

    first, last = scoring.month_bounds(month)
    start, end = lights.day_range(first, last)
    units = {
        unit_id: scoring.UnitScore(unit_id=unit_id, label=label)
        for unit_id, label in scoring._units(level).items()
    }
    key = f"{level}_id"
    for finding in Finding.objects.filter(round__date__range=(first, last)):
        unit = units.get(getattr(finding, key))
        if unit is None:
            continue
        unit.findings += 1
        deduction = finding.deduction
        unit.finding_deduction += (
            deduction if deduction is not None else rules.deduction_for(finding.category)
        )
    for evaluation in Evaluation.objects.filter(evaluated_at__gte=start, evaluated_at__lt=end):
        unit = units.get(getattr(evaluation, key))
        if unit is None or evaluation.appeal == Appeal.UPHELD:
            continue
        unit.evaluations += 1
        unit.satisfied += evaluation.rating >= rules.satisfied_from
        unit.bad_reviews += evaluation.rating <= BAD_REVIEW_MAX_RATING
    for case in Case.objects.all():
        unit = units.get(getattr(case, key))
        if unit is None:
            continue
        completed_on = case.completed_at and local_date(case.completed_at)
        if start <= case.accepted_at < end:
            unit.cases += 1
        if case.completed_at and start <= case.completed_at < end:
            unit.completed += 1
            unit.completed_on_time += completed_on <= case.promised_due
        if first <= case.promised_due <= last and (
            completed_on is None or completed_on > case.promised_due
        ):
            unit.overdue += 1
        if first <= case.legal_due <= last and (
            completed_on is None or completed_on > case.legal_due
        ):
            unit.red += 1
    table = list(units.values())
    for unit in table:
        scoring._score(unit, rules)
    scoring._rank(table, rules)
    return table


def child(mode, month):
    """Run one computation in this (child) process and print its figures as JSON."""
    import django

    django.setup()
    from supervision import scoring

    rules = scoring.rules_in_force(month)
    started = time.perf_counter()
    if mode == "fast":
        tables = {
            level: scoring.score_units(level, month, rules)
            for level in (scoring.WINDOW, scoring.DEPARTMENT)
        }
    else:
        tables = {
            level: naive_scores(level, month, rules)
            for level in (scoring.WINDOW, scoring.DEPARTMENT)
        }
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "scores": {
                    level: [[u.unit_id, str(u.score), u.rank] for u in table]
                    for level, table in tables.items()
                },
            }
        )
    )


def run_child(mode, month):
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--month", month.strftime("%Y-%m")],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def import_figures(path):
    """Time `import_supervision evaluations FILE` in a child process; its peak memory."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_supervision", "evaluations", str(path)],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2026-06", help="the month to rank, YYYY-MM")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--import-csv", type=Path, help="a CSV of evaluations to import (timed)")
    parser.add_argument("--child", choices=["fast", "naive"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    month = datetime.date.fromisoformat(f"{args.month}-01")
    if args.child:
        child(args.child, month)
        return

    import django

    django.setup()
    from django.db import connection

    from supervision.models import Case, Evaluation, Finding

    print(
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"
    )
    print(
        f"data: {Evaluation.objects.count():,} evaluations, {Case.objects.count():,} cases, "
        f"{Finding.objects.count():,} findings; ranking {args.month}"
    )
    fast = [run_child("fast", month) for _ in range(args.rounds)]
    seconds = [run["seconds"] for run in fast]
    print(
        f"monthly ranking (aggregates): median {statistics.median(seconds):.2f} s "
        f"(runs {', '.join(f'{s:.2f}' for s in seconds)}), peak "
        f"{max(run['peak_mb'] for run in fast):.0f} MB"
    )
    if not args.skip_naive:
        naive = run_child("naive", month)
        same = naive["scores"] == fast[0]["scores"]
        print(
            f"monthly ranking (naive ORM loop): {naive['seconds']:.2f} s, peak "
            f"{naive['peak_mb']:.0f} MB; ratio {naive['seconds'] / statistics.median(seconds):.1f}×; "
            f"same scores and ranks: {'yes' if same else 'NO'}"
        )
        if not same:
            sys.exit("the naive and the aggregate computations disagree")
    if args.import_csv:
        took, peak, result = import_figures(args.import_csv)
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        print(
            f"import {args.import_csv.name}: {took:.1f} s, peak {peak:.0f} MB; " + " / ".join(tail)
        )


if __name__ == "__main__":
    main()
