"""Search benchmark: rebuild time, query and suggestion latency, recall; the embedded backend
and Wagtail's stock database backend side by side on the same corpus and queries.

Corpus (once per database):
    DATABASE_URL=... .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_demo --guides 40000 --policies 15000
Then:
    DATABASE_URL=... .venv/bin/python bench/search.py [--rounds 5] [--skip-stock]

Recall@10 is measured on bench/search_queries.py: the share of expected guides that appear
in the first ten hits. Latencies are per call, in-process (no HTTP server), over every query
`--rounds` times; the API figure goes through Django's test client (routing, logging, JSON).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# The benchmark measures the work, not the abuse limits: its test client (127.0.0.1) is exempt.
os.environ.setdefault("RATE_LIMIT_EXEMPT", "127.0.0.1")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


def summary(name, timings_ms):
    return (
        f"{name}: median {statistics.median(timings_ms):.1f} ms, "
        f"p95 {percentile(timings_ms, 0.95):.1f} ms ({len(timings_ms)} calls)"
    )


def slowest(name, timed_calls, count=5):
    """The inputs with the highest median time: where the next speed-up is."""
    by_input = {}
    for key, ms in timed_calls:
        by_input.setdefault(key, []).append(ms)
    medians = sorted(((statistics.median(v), k) for k, v in by_input.items()), reverse=True)
    return f"  slowest {name}: " + ", ".join(f"{k} {ms:.1f}" for ms, k in medians[:count])


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, (time.perf_counter() - start) * 1000


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    from bench.search_queries import QUERIES
    from cms.models import PolicyPage, ServiceGuidePage
    from search import index, sources, synonyms, text
    from search.backends import get_search_backend
    from search.query import SearchRequest, parse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--skip-stock", action="store_true")
    args = parser.parse_args()

    if connection.vendor == "sqlite":
        engine = f"sqlite {connection.Database.sqlite_version}"
    else:  # server_version is an integer: 150020 is 15.20
        number = connection.cursor().connection.info.server_version
        engine = f"{connection.vendor} {number // 10000}.{number % 100}"
    print(
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {engine}"
    )
    guides = ServiceGuidePage.objects.live().count()
    print(
        f"corpus: {guides} guides, {PolicyPage.objects.live().count()} policies, {Page.objects.count()} pages; {sources.count_public_documents()} public documents"
    )

    backend = get_search_backend()
    if not args.skip_rebuild:
        start = time.perf_counter()
        written = sum(index.rebuild(backend, jobs=os.cpu_count() or 1))
        print(f"embedded rebuild: {written} documents in {time.perf_counter() - start:.1f} s")

    originals = dict(
        ServiceGuidePage.objects.exclude(implementation_code__startswith="BENCH-").values_list(
            "title", "pk"
        )
    )
    missing = [t for _, expected in QUERIES for t in expected if t not in originals]
    if missing:
        sys.exit(f"expected guides not in the demo catalogue: {missing}")
    # As the product parses (search/service.py): the synonyms, the service lexicon and pinyin.
    readers = [synonyms.current()]
    try:
        from search import lexicon, pinyin

        readers += [lexicon.current(), pinyin.Lazy(pinyin.current)]
    except ImportError:  # a checkout from before the lexicon, run side by side
        pass

    def embedded_ids(q):
        results = backend.search(SearchRequest(parse(q, *readers), page_size=10))
        return [hit.page_id for hit in results.hits]

    def recall(find):
        found = expected_total = 0
        misses = []
        for q, expected in QUERIES:
            ids = find(q)
            for title in expected:
                expected_total += 1
                if originals[title] in ids:
                    found += 1
                else:
                    misses.append(f"{q}→{title}")
        return found / expected_total, misses

    def latencies(find, name):
        find(QUERIES[0][0])  # warm up
        calls = [(q, timed(find, q)[1]) for _ in range(args.rounds) for q, _ in QUERIES]
        print(slowest(name, calls))
        return [ms for _, ms in calls]

    results = {}
    embedded_recall, embedded_misses = recall(embedded_ids)
    results["embedded"] = (embedded_recall, latencies(embedded_ids, "embedded queries"))
    print(
        f"embedded recall@10: {embedded_recall:.1%}; missed: {', '.join(embedded_misses) or 'none'}"
    )
    print(summary("embedded query", results["embedded"][1]))

    prefixes = []
    for _, expected in QUERIES:
        title = expected[0]
        full, initials = text.pinyin_keys(title)
        prefixes += [title[:1], title[:2], title[:3], initials[:2], initials[:4], full[:6]]
    suggest_calls = [
        (p, timed(backend.suggest, p)[1]) for _ in range(args.rounds) for p in prefixes
    ]
    print(summary("embedded suggest", [ms for _, ms in suggest_calls]))
    print(slowest("prefixes", suggest_calls))
    initials_hits = sum(
        expected[0] in [s.text for s in backend.suggest(text.pinyin_keys(expected[0])[1][:4])]
        for _, expected in QUERIES
    )
    print(
        f"suggestions: the guide among the suggestions for its first 4 pinyin initials: {initials_hits}/{len(QUERIES)}"
    )

    # Pages hidden since their sync (search/hidden.py): every search reads the list and leaves
    # them out. Measured with none (above), a few, and a large section's worth.
    from django.db import transaction

    from search.models import HiddenPage

    indexed = sorted(backend.page_ids())
    for count in (10, 1000):
        with transaction.atomic():
            step = max(1, len(indexed) // count)
            HiddenPage.objects.bulk_create(HiddenPage(page_id=pk) for pk in indexed[::step][:count])
            hidden_times = latencies(embedded_ids, f"queries, {count} pages hidden")
            print(summary(f"embedded query, {count} pages hidden", hidden_times))
            suggest_times = [timed(backend.suggest, p)[1] for p in prefixes]
            print(summary(f"embedded suggest, {count} pages hidden", suggest_times))
            transaction.set_rollback(True)

    client = Client(HTTP_HOST="localhost")
    api_times = [
        timed(client.get, "/api/search/", {"q": q})[1]
        for _ in range(args.rounds)
        for q, _ in QUERIES
    ]
    print(summary("embedded /api/search/ (test client)", api_times))

    if not args.skip_stock:
        settings.WAGTAILSEARCH_BACKENDS["stock"] = {"BACKEND": "wagtail.search.backends.database"}
        start = time.perf_counter()
        call_command("update_index", backend_name="stock", chunk_size=1000, verbosity=0)
        print(f"stock database backend update_index: {time.perf_counter() - start:.1f} s")
        live_guides = ServiceGuidePage.objects.live()

        def stock_ids(q):
            return [page.pk for page in live_guides.search(q, backend="stock")[:10]]

        stock_recall, stock_misses = recall(stock_ids)
        results["stock"] = (stock_recall, latencies(stock_ids, "stock queries"))
        print(
            f"stock recall@10: {stock_recall:.1%}; missed {len(stock_misses)} of the expected guides"
        )
        print(summary("stock query (guides only)", results["stock"][1]))
        ratio = statistics.median(results["stock"][1]) / statistics.median(results["embedded"][1])
        print(f"median latency stock / embedded: {ratio:.2f}")


if __name__ == "__main__":
    main()
