"""The guide audit's cost: auditing the whole catalogue, and the two admin reports' requests
(listing and XLSX export), in-process.

Usage (after `python manage.py load_demo [--guides N]` on the same VAR_DIR / DATABASE_URL):
    .venv/bin/python bench/audit.py [--repeat 5]

Prints the number of guides, the audit's median time and queries, and the reports' median
request times as an editor (Django's test client: routing, the audit, templates; no network):
the first request after a change audits the catalogue, the next ones read the cached audit.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("RATE_LIMIT_EXEMPT", "127.0.0.1")


def median_ms(function, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cms.audit.scoring import audit_guides
    from cms.models import ServiceGuidePage

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    guides = ServiceGuidePage.objects.all()
    count = guides.count()
    if not count:
        sys.exit("No guides: run `python manage.py load_demo` first.")
    with CaptureQueriesContext(connection) as queries:
        audit_guides(guides)
    audit = median_ms(lambda: audit_guides(guides), args.repeat)

    client = Client(HTTP_HOST="localhost")
    editor = get_user_model().objects.filter(groups__name="编辑").first()
    if editor is None:
        sys.exit("No user in the 编辑 group: run `python manage.py load_demo` first.")
    client.force_login(editor)

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)

    def cold(url):
        cache.clear()  # the catalogue's audit is cached until the content changes
        get(url)

    report = reverse("guide_audit_report")
    departments = reverse("department_audit_report")
    get(report)  # warm templates and connections
    print(f"guides {count}: audit {audit:.0f} ms ({len(queries)} queries)")
    for label, run, url in (
        ("guide report, first request after a change", cold, report),
        ("guide report, next requests (cached audit)", get, report + "?ordering=-score&p=2"),
        ("guide report XLSX, cached audit", get, report + "?export=xlsx"),
        ("department report, cached audit", get, departments),
    ):
        print(f"{label}: {median_ms(lambda run=run, url=url: run(url), args.repeat):.0f} ms")


if __name__ == "__main__":
    main()
