"""Measure the portal's search against how citizens ask, on a catalogue of its own.

    .venv/bin/python bench/evaluation/evaluate.py                     # SQLite, throwaway VAR_DIR
    .venv/bin/python bench/evaluation/evaluate.py --json > result.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/evaluation/evaluate.py --engine postgresql
    .venv/bin/python bench/evaluation/evaluate.py --check              # the set's own checks only

Method
------
1. A fresh site: a new VAR_DIR (SQLite file, media, caches) or, for PostgreSQL, a scratch
   database created beside the one DATABASE_URL names and dropped at the end (as
   bench/load_guides.py does). `migrate` makes the home page and the site; nothing of the
   demo is loaded (no `load_demo`): the set is measured on its own catalogue only.
2. The reference data the import needs and never creates (docs/catalogue-import.md): the
   departments and themes of reference.json, and a 办事指南目录 page under the home page.
3. `import_catalogue catalogue.json` (the provincial platform's JSON format; the file is
   written by make_catalogue.py) publishes one service guide per item; then
   `rebuild_search_index` builds the index as an operator would.
4. Every query of queries.py is asked through the product's own search service
   (search.service.run, what /search/ and /api/search/ run: parsing, question words,
   synonyms of migration 0003, relaxed retry, ranking), first page of 10 hits.
5. A query's rank is the position of the first hit whose title is one of its expected
   titles, within those 10. Per class, per group and overall:
   - top-1: share of queries whose first hit is expected;
   - top-3: share with an expected title in the first three hits;
   - MRR: mean of 1/rank (0 when no expected title is in the first ten).
   Beside them, for information only, "suggest": share of queries whose expected title is
   among the suggestions the API returns with the hits (search.backends suggest(), which
   knows pinyin and initials); it does not enter the three figures.
6. The misses are listed: queries with no expected title in the top 10, then those found
   below rank 1, each with what came first.

The set is independent of the service lexicon and of any alias: catalogue.json has no
别名/俗称, so the figures measure what the search and its configuration make of citizens'
words. Nothing is tuned to a backend; a query a backend misses stays in the set.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CATALOGUE = HERE / "catalogue.json"
REFERENCE = HERE / "reference.json"
TOP = 10


def log(message=""):
    print(message, file=sys.stderr, flush=True)


# --- the set ---------------------------------------------------------------------------------


def load_set():
    sys.path.insert(0, str(HERE))
    from queries import GROUPS, QUERIES

    return QUERIES, GROUPS


def check_set(queries, groups) -> list[str]:
    """The set's own consistency: every expected title is an item of the catalogue, every
    class has a group, no query twice. Returns the problems (empty when sound)."""
    items = json.loads(CATALOGUE.read_text(encoding="utf-8"))["items"]
    titles = {item["title"] for item in items}
    problems = []
    seen = set()
    for query, expected, kind in queries:
        if query in seen:
            problems.append(f"重复的查询：{query}")
        seen.add(query)
        if kind not in groups:
            problems.append(f"{query}：未知类别 {kind}")
        if not expected:
            problems.append(f"{query}：没有期望的事项")
        for title in expected:
            if title not in titles:
                problems.append(f"{query}：目录中没有事项“{title}”")
    if len(titles) != len(items):
        problems.append("目录中有重名事项")
    return problems


# --- the site --------------------------------------------------------------------------------


def scratch_postgres(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def drop_postgres(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_django(var_dir, database_url):
    """Point the settings at the throwaway site, then set Django up in this process."""
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    # The embedded backend on this database, caches in VAR_DIR: nothing shared with a
    # running site.
    for name in ("ELASTICSEARCH_URL", "REDIS_URL", "DATABASE_URL"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def reference_data():
    """Departments, themes and the catalogue index page: what the import points at."""
    from django.db import transaction

    from cms.models import CatalogueIndexPage, Department, HomePage, Theme

    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    with transaction.atomic():
        for order, row in enumerate(reference["departments"], start=1):
            Department.objects.create(sort_order=order, **row)
        for order, row in enumerate(reference["themes"], start=1):
            Theme.objects.create(sort_order=order, **row)
        home = HomePage.objects.get()
        index = CatalogueIndexPage(title="办事指南")
        home.add_child(instance=index)
        index.save_revision().publish()
    return len(reference["departments"]), len(reference["themes"])


def build_site(jobs):
    from django.core.management import call_command

    started = time.perf_counter()
    log("· migrate")
    call_command("migrate", verbosity=0, stdout=sys.stderr)
    departments, themes = reference_data()
    log(f"· 参考数据：{departments} 个部门，{themes} 个主题，办事指南目录页")
    log(f"· import_catalogue {CATALOGUE.name}")
    call_command("import_catalogue", str(CATALOGUE), verbosity=1, stdout=sys.stderr)
    log("· rebuild_search_index")
    call_command("rebuild_search_index", jobs=jobs, verbosity=1, stdout=sys.stderr)
    log(f"· 站点就绪，用时 {time.perf_counter() - started:.0f} 秒")


# --- asking ----------------------------------------------------------------------------------


def ask_all(queries):
    from django.http import QueryDict

    from search import service

    results = []
    total = len(queries)
    started = time.perf_counter()
    for number, (query, expected, kind) in enumerate(queries, start=1):
        params = QueryDict(mutable=True)
        params["q"] = query
        outcome = service.run(params, page_size=TOP, always_suggest=True)
        titles = [hit.title for hit in outcome.results.hits][:TOP]
        rank = next((i for i, title in enumerate(titles, start=1) if title in expected), None)
        suggested = [s.text for s in outcome.suggestions]
        results.append(
            {
                "query": query,
                "class": kind,
                "expected": expected,
                "rank": rank,
                "top": titles[:3],
                "total": outcome.results.total,
                "relaxed": outcome.results.relaxed,
                "suggested": any(title in expected for title in suggested),
            }
        )
        if number % 20 == 0 or number == total:
            print(f"\r· 查询 {number}/{total}", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    log(f"，平均每次 {1000 * seconds / total:.1f} 毫秒")
    return results


def figures(rows):
    n = len(rows)
    if not n:
        return {"queries": 0, "top1": 0.0, "top3": 0.0, "mrr": 0.0, "suggest": 0.0}
    return {
        "queries": n,
        "top1": sum(1 for r in rows if r["rank"] == 1) / n,
        "top3": sum(1 for r in rows if r["rank"] and r["rank"] <= 3) / n,
        "mrr": sum(1 / r["rank"] for r in rows if r["rank"]) / n,
        "suggest": sum(1 for r in rows if r["suggested"]) / n,
    }


def summarise(results, groups):
    by_class, by_group = defaultdict(list), defaultdict(list)
    for row in results:
        by_class[row["class"]].append(row)
        by_group[groups[row["class"]]].append(row)
    order = list(dict.fromkeys(groups))  # classes in GROUPS order
    return {
        "overall": figures(results),
        "groups": {g: figures(by_group[g]) for g in dict.fromkeys(groups.values()) if by_group[g]},
        "classes": {c: figures(by_class[c]) for c in order if by_class[c]},
    }


# --- the report ------------------------------------------------------------------------------


def pad(text, width, right=False):
    """Pad to a terminal width: a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(0, width - used)
    return space + text if right else text + space


def table(title, rows):
    head = ["查询", "top-1", "top-3", "MRR", "建议命中"]
    widths = [6, 9, 9, 8, 10]
    lines = [
        f"\n{title}",
        pad("", 18) + "".join(pad(h, w, True) for h, w in zip(head, widths, strict=True)),
    ]
    for name, f in rows.items():
        cells = [
            str(f["queries"]),
            f"{f['top1']:.1%}",
            f"{f['top3']:.1%}",
            f"{f['mrr']:.3f}",
            f"{f['suggest']:.1%}",
        ]
        lines.append(
            pad(name, 18) + "".join(pad(c, w, True) for c, w in zip(cells, widths, strict=True))
        )
    return "\n".join(lines)


def report(summary, results, meta):
    print(
        f"检索评测集：{meta['items']} 个事项，{meta['queries']} 条查询；"
        f"{meta['engine']}，{meta['backend']}；前 {TOP} 条结果"
    )
    print(table("按组", summary["groups"] | {"合计": summary["overall"]}))
    print(table("按类", summary["classes"]))
    missed = [r for r in results if not r["rank"]]
    lower = [r for r in results if r["rank"] and r["rank"] > 1]
    print(f"\n未命中（前 {TOP} 条中没有期望事项）：{len(missed)} 条")
    for r in missed:
        first = r["top"][0] if r["top"] else "（无结果）"
        flag = "，放宽匹配" if r["relaxed"] else ""
        print(
            f"  [{r['class']}] {r['query']} → 期望 {'／'.join(r['expected'])}；共 {r['total']} 条{flag}，首条：{first}"
        )
    print(f"\n命中但不在第一位：{len(lower)} 条")
    for r in lower:
        print(f"  [{r['class']}] {r['query']} → 第 {r['rank']} 位；首条：{r['top'][0]}")


# --- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--engine",
        choices=("sqlite", "postgresql"),
        help="数据库：默认有 DATABASE_URL 时为 postgresql，否则 sqlite",
    )
    parser.add_argument("--json", action="store_true", help="结果以 JSON 输出到 stdout")
    parser.add_argument(
        "--var-dir", help="使用这个（空）目录作为 VAR_DIR 并保留，默认临时目录用后删除"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="rebuild_search_index 的进程数（默认 1）"
    )
    parser.add_argument("--check", action="store_true", help="只检查评测集本身，不建站点")
    args = parser.parse_args()

    queries, groups = load_set()
    problems = check_set(queries, groups)
    if problems:
        raise SystemExit("评测集有问题：\n" + "\n".join(f"  - {p}" for p in problems))
    items = len(json.loads(CATALOGUE.read_text(encoding="utf-8"))["items"])
    if args.check:
        log(f"评测集无误：{items} 个事项，{len(queries)} 条查询。")
        return

    url = os.environ.get("DATABASE_URL", "")
    engine = args.engine or ("postgresql" if url else "sqlite")
    if engine == "postgresql" and not url:
        raise SystemExit("--engine postgresql 需要 DATABASE_URL（用来建立并删除一个临时数据库）。")

    keep = bool(args.var_dir)
    var_dir = Path(args.var_dir) if keep else Path(tempfile.mkdtemp(prefix="zhengwu-evalset-"))
    if keep:
        var_dir.mkdir(parents=True, exist_ok=True)
        if any(var_dir.iterdir()):
            raise SystemExit(f"{var_dir} 不是空目录：评测需要一个全新的站点。")
    scratch = f"zhengwu_evalset_{os.getpid()}" if engine == "postgresql" else None
    log(f"{engine} · VAR_DIR {var_dir}" + (f" · 临时数据库 {scratch}" if scratch else ""))
    try:
        database_url = scratch_postgres(url, scratch) if scratch else ""
        start_django(var_dir, database_url)
        build_site(args.jobs)
        results = ask_all(queries)
        from django.conf import settings

        meta = {
            "engine": engine,
            "backend": settings.PORTAL_SEARCH_BACKENDS["default"]["BACKEND"],
            "items": items,
            "queries": len(queries),
            "top": TOP,
        }
        summary = summarise(results, groups)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if scratch:
            drop_postgres(url, scratch)
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)

    if args.json:
        json.dump(
            {"meta": meta, **summary, "results": results}, sys.stdout, ensure_ascii=False, indent=1
        )
        print()
    else:
        report(summary, results, meta)


if __name__ == "__main__":
    main()
