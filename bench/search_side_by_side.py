"""Two checkouts' search latency side by side, query by query, in one run.

bench/search.py measures one checkout at a time; on a shared two-core machine the figures of
two such runs minutes apart differ by more than the change being measured (the same code's
p95 moved from 9 to 23 ms within an hour here). This runs both at once: one process per
checkout, each on its own database, and asks every query of bench/search_queries.py of
both in turn, in a random order per query, round after round, so both see the same machine.
Each call is what bench/search.py times: parsing (synonyms, lexicon, pinyin) and the
backend's search, first page of 10.

    .venv/bin/python bench/search_side_by_side.py \\
        --old /tmp/old11b postgres://postgres@127.0.0.1:5432/bench_old /tmp/var_old \\
        --new . postgres://postgres@127.0.0.1:5432/bench_new /tmp/var_new --rounds 15

Each side: a checkout (its code is imported first), its DATABASE_URL and its VAR_DIR. The
p95 is given as bench/search.py gives it (over 3 rounds of the 52 queries, 156 calls: the
ninth slowest) for each block of 3 rounds, and their median; then the slowest queries by
their median. Both databases must hold the same corpus, indexed by their own code.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def serve():
    """One side: reads queries from stdin, writes each one's time in milliseconds."""
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from search import synonyms
    from search.backends import get_search_backend
    from search.query import SearchRequest, parse

    readers = [synonyms.current()]
    try:
        from search import lexicon, pinyin

        readers += [lexicon.current(), pinyin.Lazy(pinyin.current)]
    except ImportError:  # a checkout from before the lexicon
        pass
    backend = get_search_backend()
    print("ready", flush=True)
    for line in sys.stdin:
        start = time.perf_counter()
        backend.search(SearchRequest(parse(line.strip(), *readers), page_size=10))
        print(f"{(time.perf_counter() - start) * 1000:.3f}", flush=True)


def percentile(values, fraction):  # as bench/search.py
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


def start(checkout, database_url, var_dir):
    env = dict(os.environ, DATABASE_URL=database_url, VAR_DIR=var_dir, PYTHONPATH=str(checkout))
    side = subprocess.Popen(
        [sys.executable, str(HERE), "--serve"],
        cwd=checkout,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if side.stdout.readline().strip() != "ready":
        sys.exit(f"{checkout}: the search did not start")
    return side


def ask(side, query):
    side.stdin.write(query + "\n")
    side.stdin.flush()
    answer = side.stdout.readline()
    if not answer:
        sys.exit(f"{side.args} stopped at {query!r} (its error is above)")
    return float(answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--old", nargs=3, metavar=("CHECKOUT", "DATABASE_URL", "VAR_DIR"))
    parser.add_argument("--new", nargs=3, metavar=("CHECKOUT", "DATABASE_URL", "VAR_DIR"))
    parser.add_argument("--rounds", type=int, default=15, help="a multiple of 3")
    parser.add_argument("--json", help="write every call's time here")
    args = parser.parse_args()
    if args.serve:
        return serve()
    if not (args.old and args.new):
        parser.error("--old and --new are both needed")
    if args.rounds < 3 or args.rounds % 3:
        parser.error("--rounds: a positive multiple of 3 (the p95 is per 3 rounds)")

    sys.path.insert(0, str(HERE.parent.parent))
    from bench.search_queries import QUERIES

    queries = [query for query, _ in QUERIES]
    sides = {
        name: start(Path(checkout).resolve(), url, var)
        for name, (checkout, url, var) in (("old", args.old), ("new", args.new))
    }
    for side in sides.values():  # warm: first reads of the statistics, lexicon, pinyin
        for query in queries:
            ask(side, query)
    times = {name: {query: [] for query in queries} for name in sides}
    for number in range(args.rounds):
        for query in queries:
            order = list(sides)
            random.shuffle(order)
            for name in order:
                times[name][query].append(ask(sides[name], query))
        print(f"\r第 {number + 1}/{args.rounds} 轮", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    figures = {}
    for name in sides:
        calls = [ms for query in queries for ms in times[name][query]]
        blocks = [
            percentile([times[name][q][r] for q in queries for r in range(b, b + 3)], 0.95)
            for b in range(0, args.rounds - 2, 3)
        ]
        figures[name] = (statistics.median(calls), statistics.median(blocks))
        print(
            f"{name}: median {figures[name][0]:.1f} ms, p95 of each 156 calls "
            + " / ".join(f"{p:.1f}" for p in blocks)
            + f" ms (median {figures[name][1]:.1f})"
        )
    print(
        f"new / old: median {figures['new'][0] / figures['old'][0]:.2f}, "
        f"p95 {figures['new'][1] / figures['old'][1]:.2f}"
    )
    medians = {n: {q: statistics.median(times[n][q]) for q in queries} for n in sides}
    print("slowest (median ms, old → new):")
    for query in sorted(queries, key=lambda q: -medians["new"][q])[:8]:
        print(f"  {query} {medians['old'][query]:.1f} → {medians['new'][query]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(times, ensure_ascii=False))


if __name__ == "__main__":
    main()
