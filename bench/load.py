"""Load: requests per second and p99 through gunicorn, beside a static file (the stack's limit).

Usage (on a database with the demo loaded: `make run` once, or `manage.py load_demo` with the
same VAR_DIR / DATABASE_URL):
    .venv/bin/python bench/load.py [--seconds 10] [--write]

Starts gunicorn (2 sync workers, config.settings.production, DEBUG off) on a free port, then
runs wrk (2 threads, 8 connections; Debian's `wrk`) against each URL in turn: a static CSS
file through WhiteNoise (and one of a guide PDF's size), home, the catalogue, a guide, its
kiosk view, the page API, the search API and the guide's cached PDF. Each URL is asked three
times first, so the figures are for the cached answer; "first hit after publish" republishes
the guide and times the next request, five times (the median). `--write` puts the table into docs/benchmarks.md under
"Load", one table per database engine.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "HTTPS": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # The benchmark measures the work, not the abuse limits.
    "RATE_LIMIT_EXEMPT": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
    # Persistent database connections, as docker-compose.yml sets them (a new PostgreSQL
    # connection per request would be measured otherwise).
    "DB_CONN_MAX_AGE": "60",
}
WEB_WORKERS = 2
LARGE_STATIC = "静态文件（163 kB，与指南 PDF 同量级）"
PDF = "指南 PDF（已缓存）"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def control_socket_off(python):
    """Recent gunicorn opens a control socket at one path per user: none, beside `make run`."""
    usage = subprocess.run([python, "-m", "gunicorn", "--help"], capture_output=True, text=True)
    return ["--no-control-socket"] if "--no-control-socket" in usage.stdout else []


def wait_until_up(base, process):
    for _ in range(300):
        if process.poll() is not None:
            sys.exit("gunicorn stopped: see the output above")
        try:
            get(base + "/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within a minute")


def wrk(url, seconds):
    """(requests/s, p99 in ms, errors) of one wrk run."""
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|errors: \w+):? (\d+)", out)
    )
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rate, float(p99.group(1)) * scale, errors


def targets():
    """The URLs to load, read from the database the server uses."""
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage

    from cms.models import CatalogueIndexPage, ServiceGuidePage
    from cms.models.mixins import public_pages

    guides = public_pages(ServiceGuidePage.objects.filter(high_frequency=True)).order_by("pk")
    guide = guides.first() or public_pages(ServiceGuidePage.objects.order_by("pk")).first()
    catalogue = public_pages(CatalogueIndexPage.objects.all()).first()
    if guide is None or catalogue is None:
        sys.exit("No live guides: run `python manage.py load_demo` first.")
    css = staticfiles_storage.url("cms/css/site.css")
    # A static file of a guide PDF's size (≈ 150 kB since the fonts are embedded compactly):
    # what sending that many bytes costs.
    large = staticfiles_storage.url("admin/js/vendor/xregexp/xregexp.min.js")
    return guide, [
        ("静态文件（CSS，WhiteNoise）", css),
        (LARGE_STATIC, large),
        ("首页", "/"),
        ("办事指南目录", catalogue.url),
        ("办事指南页", guide.url),
        ("指南自助终端视图", guide.url + "kiosk/"),
        ("页面 API 详情", f"/api/v2/pages/{guide.pk}/"),
        ("搜索 API", "/api/search/?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7"),
        (PDF, guide.url + "pdf/"),
    ]


def first_hits_after_publish(base, guide, rounds=5):
    """Milliseconds of the first request for the guide after each of `rounds` republishes."""
    timings = []
    for _ in range(rounds):
        guide.save_revision().publish()
        start = time.perf_counter()
        status, _ = get(base + guide.url)
        timings.append((time.perf_counter() - start) * 1000)
        assert status == 200
    return statistics.median(timings)


def machine():
    cores = os.cpu_count()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{cores} cores ({model}), Python {platform.python_version()}"


def table(rows, static_rate, first_hit, engine):
    lines = [
        f"Engine: {engine}; {machine()}; gunicorn {WEB_WORKERS} sync workers, "
        "wrk 2 threads 8 connections.",
        "",
        "| URL | req/s | vs static | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, rate, p99, errors in rows:
        lines.append(
            f"| {label} | {rate:,.0f} | {rate / static_rate:.0%} | {p99:.1f} ms | {errors} |"
        )
    lines.append(f"| 发布后首次访问指南页（中位数，5 次） | | | {first_hit:.0f} ms | |")
    rates = {label: rate for label, rate, _, _ in rows}
    lines += [
        "",
        f"The cached PDF against the static file of its size: {rates[PDF] / rates[LARGE_STATIC]:.0%}.",
    ]
    return "\n".join(lines)


def write(markdown, engine):
    """Replace this engine's table under "## Load (bench/load.py)" in docs/benchmarks.md."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    begin, end = f"<!-- load:{engine} -->", f"<!-- /load:{engine} -->"
    block = f"{begin}\n{markdown}\n{end}"
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        if "## Load (bench/load.py)" not in text:
            text += (
                "\n## Load (bench/load.py)\n\nCommand: `.venv/bin/python bench/load.py --write`.\n"
            )
        text += f"\n{block}\n"
    path.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: sudo apt-get install wrk")
    os.environ.update(ENV)

    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True
    )
    guide, urls = targets()
    from django.db import connection

    engine = connection.vendor
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(WEB_WORKERS),
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
    )
    try:
        wait_until_up(base, server)
        rows = []
        for label, url in urls:
            for _ in range(3):  # the cache, the PDF and every worker's connections warm
                get(base + url, timeout=120)
            rate, p99, errors = wrk(base + url, args.seconds)
            rows.append((label, rate, p99, errors))
            print(f"{label:24} {rate:9,.0f} req/s  p99 {p99:7.1f} ms  errors {errors}", flush=True)
        first_hit = first_hits_after_publish(base, guide.specific)
        print(f"first hit after publish: {first_hit:.0f} ms (median of 5)")
    finally:
        server.terminate()
        server.wait(timeout=30)
    markdown = table(rows, rows[0][1], first_hit, engine)
    print()
    print(markdown)
    if args.write:
        write(markdown, engine)
        print(json.dumps({"written": "docs/benchmarks.md", "engine": engine}))


if __name__ == "__main__":
    main()
