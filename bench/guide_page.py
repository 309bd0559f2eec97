"""Guide page server time: median and p95 of rendering live guide pages in-process.

Usage (after `make run` or `python manage.py load_demo` on the same VAR_DIR / DATABASE_URL):
    .venv/bin/python bench/guide_page.py [--requests 300] [--channel web|kiosk|print|api]

It measures Django's full request cycle through the test client (routing, Wagtail serve,
queries, template rendering), without network or a web server in front.
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
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--channel", choices=["web", "kiosk", "print", "api"], default="web")
    args = parser.parse_args()

    # Demo guides have situations, materials, legal bases: the realistic case, not bulk stubs.
    guides = list(public_pages(ServiceGuidePage.objects.all()).order_by("pk")[:300])
    if not guides:
        sys.exit("No live guides: run `python manage.py load_demo` first.")
    client = Client(HTTP_HOST="localhost")

    def url(guide):
        suffix = {"web": "", "kiosk": "kiosk/", "print": "print/"}.get(args.channel)
        return f"/api/v2/pages/{guide.pk}/" if args.channel == "api" else guide.url + suffix

    for guide in guides[:20]:  # warm caches, templates, connections
        client.get(url(guide))
    timings = []
    for i in range(args.requests):
        guide = guides[i % len(guides)]
        start = time.perf_counter()
        response = client.get(url(guide))
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url(guide)} answered {response.status_code}")
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{args.channel}: {len(timings)} requests over {len(guides)} guides on {connection.vendor}: "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
