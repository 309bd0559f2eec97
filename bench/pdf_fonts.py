"""Size and render time of the demo's PDFs with compact CJK fonts (publications/pdf_fonts.py)
against WeasyPrint's own embedding, in one run.

    VAR_DIR=… .venv/bin/python bench/pdf_fonts.py [--rounds 5]

Needs the demo loaded (`manage.py load_demo`). Prints a Markdown table: bytes and the median
render time of a guide, its department's guide book and a magazine issue, each way.
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from cms.models import MagazineIssuePage, ServiceGuidePage
    from publications import editions, pdf_fonts

    guide = ServiceGuidePage.objects.live().filter(high_frequency=True).order_by("pk").first()
    issue = MagazineIssuePage.objects.live().order_by("pk").first()
    if guide is None or issue is None:
        sys.exit("No demo content: run `python manage.py load_demo` first.")
    editions_to_render = [
        ("办事指南 PDF", lambda: editions.guide_pdf(guide)),
        ("部门办事指南汇编", lambda: editions.department_book_pdf(guide.department)),
        ("电子刊物 PDF", lambda: editions.magazine_issue_pdf(issue)),
    ]
    compact = pdf_fonts.compact_fonts
    ways = {"WeasyPrint": lambda: contextlib.nullcontext(None), "compact": compact}
    print("| PDF | pages | WeasyPrint bytes | compact bytes | ratio | WeasyPrint s | compact s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, render in editions_to_render:
        results = {}
        for way, block in ways.items():
            pdf_fonts.compact_fonts = block  # what publications.pdf renders in
            try:
                times = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    rendered = render()
                    times.append(time.perf_counter() - started)
            finally:
                pdf_fonts.compact_fonts = compact
            results[way] = (len(rendered.data), rendered.pages, statistics.median(times))
        (stock_size, pages, stock_time), (size, _, time_) = (
            results["WeasyPrint"],
            results["compact"],
        )
        print(
            f"| {name} | {pages} | {stock_size:,} | {size:,} | {size / stock_size:.0%} "
            f"| {stock_time:.2f} | {time_:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
