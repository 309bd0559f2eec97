"""Time `manage.py load_demo --guides N` on a fresh database.

    .venv/bin/python bench/load_guides.py                  # SQLite, 40,000 guides
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/load_guides.py               # SQLite, then PostgreSQL
    .venv/bin/python bench/load_guides.py --guides 5000 --skip-check

Each run uses a throwaway VAR_DIR (SQLite file and media) and, for PostgreSQL, a scratch
database created next to the one DATABASE_URL names and dropped afterwards. Steps per
database: migrate, load the demo (timed), add N guides (timed: the command's wall time and
the bulk insert alone), then check the page tree with treebeard's `Page.find_problems()` and
fetch the last bulk guide over HTTP. Results are recorded in docs/benchmarks.md.
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHECK = """
from django.test import Client
from wagtail.models import Page
from cms.models import ServiceGuidePage
problems = Page.find_problems()
assert problems == ([], [], [], [], []), problems
guide = ServiceGuidePage.objects.filter(implementation_code__startswith="BENCH-").order_by("path").last()
response = Client(HTTP_HOST="localhost").get(guide.url)
assert response.status_code == 200 and guide.title in response.content.decode(), guide.url
print(ServiceGuidePage.objects.count())
"""


def manage(env, *args):
    """Run manage.py; return (seconds, stdout)."""
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return seconds, result.stdout


def run(label, env, guides, check):
    print(f"\n== {label} ==")
    seconds, _ = manage(env, "migrate", "--verbosity", "0")
    print(f"migrate                      {seconds:6.1f} s")
    seconds, _ = manage(env, "load_demo", "--verbosity", "1")
    print(f"load_demo (default demo)     {seconds:6.1f} s")
    seconds, _ = manage(env, "load_demo", "--verbosity", "1")
    print(f"load_demo again (no change)  {seconds:6.1f} s")
    wall, output = manage(env, "load_demo", "--guides", str(guides), "--verbosity", "1")
    match = re.search(r"用时 ([\d.]+) 秒", output)
    bulk = float(match.group(1)) if match else wall
    print(
        f"load_demo --guides {guides:<9} {wall:6.1f} s wall, bulk insert {bulk:.1f} s ({guides / bulk:,.0f} guides/s)"
    )
    total = None
    if check:
        seconds, out = manage(env, "shell", "--verbosity", "0", "--command", CHECK)
        total = int(out.strip().splitlines()[-1])
        print(
            f"tree check + page GET        {seconds:6.1f} s ({total} guides, find_problems() empty)"
        )
    return {"label": label, "wall": wall, "bulk": bulk, "rate": guides / bulk, "total": total}


def postgres_env(base_env, url, name):
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(base_env, DATABASE_URL=urlunsplit(parts._replace(path=f"/{name}")))
    return env


def drop_postgres(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guides", type=int, default=40_000)
    parser.add_argument(
        "--skip-check", action="store_true", help="skip find_problems() and the GET"
    )
    args = parser.parse_args()

    print(
        f"{date.today()} · {platform.node()} · {os.cpu_count()} CPU cores · Python {platform.python_version()}"
    )
    results = []
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    var_dir = tempfile.mkdtemp(prefix="zhengwu-bench-")
    try:
        env = dict(base, VAR_DIR=var_dir, LOG_LEVEL="WARNING")
        results.append(run("SQLite", env, args.guides, not args.skip_check))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    url = os.environ.get("DATABASE_URL")
    if url:
        name = f"zhengwu_bench_{os.getpid()}"
        var_dir = tempfile.mkdtemp(prefix="zhengwu-bench-")
        try:
            env = postgres_env(dict(base, VAR_DIR=var_dir, LOG_LEVEL="WARNING"), url, name)
            results.append(run("PostgreSQL", env, args.guides, not args.skip_check))
        finally:
            drop_postgres(url, name)
            shutil.rmtree(var_dir, ignore_errors=True)

    print(f"\n| database | `load_demo --guides {args.guides}` wall time | bulk insert | guides/s |")
    print("| --- | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['label']} | {r['wall']:.1f} s | {r['bulk']:.1f} s | {r['rate']:,.0f} |")


if __name__ == "__main__":
    main()
