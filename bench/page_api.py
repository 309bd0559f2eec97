"""Page API cost: SQL queries and server time of the JSON API's list and detail requests.

Usage (after `python manage.py load_demo` on the same VAR_DIR / DATABASE_URL):
    .venv/bin/python bench/page_api.py [--requests 10]

Requests go through Django's test client in-process (routing, Wagtail's API view, every
query, serialisation), as an anonymous visitor. Reports the queries of one request and the
median wall time of `--requests` requests after one warm-up.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# The benchmark measures the work, not the abuse limits: its test client (127.0.0.1) is exempt.
os.environ.setdefault("RATE_LIMIT_EXEMPT", "127.0.0.1")


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from cms.models import ServiceGuidePage
    from cms.models.mixins import public_pages

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()

    guide = public_pages(ServiceGuidePage.objects.all()).order_by("pk").first()
    if guide is None:
        sys.exit("No live guides: run `python manage.py load_demo` first.")
    urls = {
        "list, 100 guides, fields=*": "/api/v2/pages/?type=cms.ServiceGuidePage&fields=*&limit=100",
        "list, 100 policies, fields=*": "/api/v2/pages/?type=cms.PolicyPage&fields=*&limit=100",
        "list, 100 pages of any type": "/api/v2/pages/?limit=100",
        "detail, one guide": f"/api/v2/pages/{guide.pk}/",
    }
    client = Client(HTTP_HOST="localhost")
    # Counted with an execute wrapper, not CaptureQueriesContext: the test client closes the
    # connection when the response ends, and a new connection starts a new query log.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for label, url in urls.items():
        client.get(url)  # warm caches, connections
        queries.clear()
        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        print(
            f"{label} on {connection.vendor}: {len(queries)} queries, "
            f"median {statistics.median(timings):.0f} ms over {len(timings)} requests"
        )


if __name__ == "__main__":
    main()
