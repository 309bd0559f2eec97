"""PDF times: a guide (rendered, then from the cache), the 10-page sample bulletin, and the
same bulletin with the font setup WeasyPrint falls back to when nobody chooses one.

Usage (on a VAR_DIR / DATABASE_URL where `manage.py load_demo` has run):
    export VAR_DIR=/tmp/benchvar
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/pdf.py [--guides 20] [--repeat 9] [--fonttools-repeat 3] [--gc-rounds 2]

Every figure is taken in a warm process (Django set up, fonts loaded by one render first):
1. a guide's PDF: `editions.guide_pdf` on N demo guides (cache miss, render only), then
   `GET <guide url>pdf/` through Django's test client twice per guide, into an empty
   PDF_CACHE_DIR: the first request renders and writes the file, the second serves it;
2. the sample bulletin (bench/sample_bulletin.py, 10 A4 pages), rendered --repeat times;
3. that bulletin side by side with (a) the margin boxes' font-family removed from its HTML,
   and (a') also the font named on <body> instead of <html> (margin boxes inherit from the
   root element, not the body: only then does WeasyPrint pick its default font for headers and
   page numbers); these renders alternate with the ones of 2. And (b) fontTools instead of
   HarfBuzz for subsetting the fonts, in a child process that sets
   `weasyprint.pdf.fonts.harfbuzz_subset = None` first (WeasyPrint 70's `Font.subset` takes
   HarfBuzz when that module global is set, fontTools otherwise), against a HarfBuzz child;
4. the bulletin and the guides again in fresh child processes, alternately plain and calling
   `gc.freeze()` right after `django.setup()` (--gc-rounds pairs).
Results are recorded in docs/benchmarks.md. Medians, because the machine is shared and noisy.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# The benchmark measures the work, not the abuse limits: its test client (127.0.0.1) is exempt.
os.environ.setdefault("RATE_LIMIT_EXEMPT", "127.0.0.1")

# The @page margin boxes' font-family declarations, as print_base.html writes them, and the
# root element's font-family, which margin boxes inherit in WeasyPrint (the body's they don't).
MARGIN_BOX_FONT = re.compile(r"(@(?:top|bottom|left|right)-[a-z-]+\s*\{[^{}]*?)font-family:[^;]*;")
ROOT_FONT = re.compile(r"^html \{ (font-family:[^;]*;)", re.M)


def setup(gc_freeze=False):
    import django

    django.setup()
    if gc_freeze:
        import gc

        gc.freeze()


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - start) * 1000, result


def pdf_fonts(data):
    """pdffonts' rows for a PDF: (name, embedded) per font object."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        out = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True)
    return [(row.split()[0], row.split()[-5]) for row in out.stdout.splitlines()[2:]]


def demo_guides(count):
    from cms.models import ServiceGuidePage
    from cms.models.mixins import public_pages

    guides = list(public_pages(ServiceGuidePage.objects.all()).order_by("pk")[:count])
    if not guides:
        sys.exit("No live guides: run `python manage.py load_demo` on this VAR_DIR first.")
    return guides


def bulletin_html():
    from bench.sample_bulletin import sample_bulletin_html

    return sample_bulletin_html()


def render_bulletin(html):
    from publications.pdf import html_to_pdf

    return html_to_pdf(html, base_url="http://localhost/")


def guide_renders(guides):
    from publications import editions

    editions.guide_pdf(guides[0])  # fonts, templates
    times, sizes, pages = [], [], []
    for guide in guides:
        ms, pdf = timed(editions.guide_pdf, guide)
        times.append(ms)
        sizes.append(len(pdf.data))
        pages.append(pdf.pages)
    return times, sizes, pages


def guide_requests(guides):
    """(first GET ms, second GET ms) per guide, through an empty PDF cache."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="localhost")

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        body = b"".join(response.streaming_content)
        response.close()
        return body

    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as directory:
        settings.PDF_CACHE_DIR = directory
        misses, hits = [], []
        for guide in guides:
            url = guide.url + "pdf/"
            miss, first = timed(get, url)
            hit, second = timed(get, url)
            assert first == second and first.startswith(b"%PDF")
            misses.append(miss)
            hits.append(hit)
    return misses, hits


def child(kind, repeat, guide_count):
    """Run in a fresh process: bulletin renders (and guide renders), as JSON on stdout.

    The HarfBuzz and fontTools children also add up the time spent in `Font.subset`."""
    setup(gc_freeze=kind == "gc-freeze")
    subsetting = []
    if kind in ("harfbuzz", "fonttools"):
        import logging

        import weasyprint.pdf.fonts

        if kind == "fonttools":
            weasyprint.pdf.fonts.harfbuzz_subset = None
            # One "use HarfBuzz instead" warning per font per render otherwise.
            logging.getLogger("weasyprint").setLevel(logging.ERROR)
        subset = weasyprint.pdf.fonts.Font.subset

        def timed_subset(*args, **kwargs):
            subsetting.append(timed(subset, *args, **kwargs)[0])

        weasyprint.pdf.fonts.Font.subset = timed_subset
    html = bulletin_html()
    render_bulletin(html)  # fonts loaded, subsetter imported
    times, subset_times = [], []
    for _ in range(repeat):
        subsetting.clear()
        ms, pdf = timed(render_bulletin, html)
        times.append(ms)
        subset_times.append(sum(subsetting))
    result = {
        "bulletin": times,
        "subsetting": subset_times,
        "pages": pdf.pages,
        "size": len(pdf.data),
        "fonts": pdf_fonts(pdf.data),
    }
    if guide_count:
        result["guides"] = guide_renders(demo_guides(guide_count))[0]
    print(json.dumps(result))


def run_child(kind, repeat, guide_count=0):
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--repeat", str(repeat)]
        + ["--guides", str(guide_count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def versions():
    import weasyprint
    from weasyprint.text.ffi import pango

    major, rest = divmod(pango.pango_version(), 10000)
    return f"WeasyPrint {weasyprint.__version__}, Pango {major}.{rest // 100}.{rest % 100}"


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=20, help="demo guides to render")
    parser.add_argument("--repeat", type=int, default=9, help="bulletin renders per setup")
    parser.add_argument("--fonttools-repeat", type=int, default=3)
    parser.add_argument("--gc-rounds", type=int, default=2, help="plain/frozen child pairs")
    parser.add_argument("--child", choices=["harfbuzz", "fonttools", "gc-plain", "gc-freeze"])
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.repeat, args.guides)

    setup()
    from django.db import connection

    print(
        f"{date.today()} · {platform.node()} · {os.cpu_count()} CPU cores · "
        f"Python {platform.python_version()} · {versions()} · {connection.vendor} · "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    guides = demo_guides(args.guides)
    renders, sizes, pages = guide_renders(guides)
    misses, hits = guide_requests(guides)
    print(
        f"\n1. one guide PDF, {len(guides)} demo guides ({min(pages)}–{max(pages)} pages, "
        f"median {median(sizes) / 1024:.0f} KB)"
    )
    print(f"   render (editions.guide_pdf, cache miss)  median {median(renders):7.1f} ms")
    print(f"   GET pdf/, first (render + write file)     median {median(misses):7.1f} ms")
    print(f"   GET pdf/, second (from the cache)         median {median(hits):7.1f} ms")
    print(f"   ratio render / cached                     {median(renders) / median(hits):7.0f}×")

    html = bulletin_html()
    no_box_font, replaced = MARGIN_BOX_FONT.subn(r"\1", html)
    assert replaced >= 3, "print_base.html's margin boxes no longer name a font"
    # As (a), and the font named on <body> instead of <html>: nothing left to inherit.
    body_font, moved = ROOT_FONT.subn(r"body { \1 } html { ", no_box_font)
    assert moved == 1, "print_base.html no longer names the font on html"
    sources = {"ours": html, "a": no_box_font, "a2": body_font}
    times = {name: [] for name in sources}
    for source in sources.values():  # WeasyPrint's default fonts get loaded too
        render_bulletin(source)
    rendered = {}
    for _ in range(args.repeat):  # interleaved, so that noise hits every variant alike
        for name, source in sources.items():
            ms, rendered[name] = timed(render_bulletin, source)
            times[name].append(ms)
    ours = median(times["ours"])
    base = rendered["ours"]

    def describe(ms, pdf=None, *, reference=ours, size=None, pages=None, fonts=None):
        size, pages = (len(pdf.data), pdf.pages) if pdf else (size, pages)
        fonts = pdf_fonts(pdf.data) if pdf else fonts
        return (
            f"median {ms:7.1f} ms ({ms / reference:.2f}×), {size / 1024:.0f} KB "
            f"({size / len(base.data):.2f}×), {pages} pages, {len(fonts)} fonts: "
            + ", ".join(
                f"{name}{'' if embedded == 'yes' else ' (not embedded)'}"
                for name, embedded in fonts
            )
        )

    print(f"\n2. sample bulletin, {args.repeat} renders")
    print(f"   our font setup: {describe(ours, base)}")
    print("\n3. the same bulletin with WeasyPrint's defaults, same run")
    print(f"   (a) margin boxes without font-family ({replaced} declarations removed):")
    print(f"       {describe(median(times['a']), rendered['a'])}")
    print("   (a') as (a), and the font named on body instead of html:")
    print(f"       {describe(median(times['a2']), rendered['a2'])}")
    print(
        f"   (b) fontTools instead of HarfBuzz subsetting, {args.fonttools_repeat} renders "
        "each in two fresh processes (ratios to the HarfBuzz process)"
    )
    harfbuzz = run_child("harfbuzz", args.fonttools_repeat)
    fonttools = run_child("fonttools", args.fonttools_repeat)
    reference = median(harfbuzz["bulletin"])
    for name, result in (("HarfBuzz", harfbuzz), ("fontTools", fonttools)):
        ms = median(result.pop("bulletin"))
        subsetting = median(result.pop("subsetting"))
        print(f"       {name:9} {describe(ms, reference=reference, **result)}")
        print(f"       {'':9} of which Font.subset: median {subsetting:7.1f} ms")

    print(f"\n4. gc.freeze() after django.setup(): {args.gc_rounds} × plain, frozen child process")
    runs = {"gc-plain": [], "gc-freeze": []}
    for _ in range(args.gc_rounds):
        for kind in runs:
            runs[kind].append(run_child(kind, args.repeat, args.guides))
    for kind, results in runs.items():
        bulletin = [ms for result in results for ms in result["bulletin"]]
        guide = [ms for result in results for ms in result["guides"]]
        each = " / ".join(f"{median(result['bulletin']):.0f}" for result in results)
        each_guide = " / ".join(f"{median(result['guides']):.0f}" for result in results)
        print(
            f"   {kind:10} bulletin median {median(bulletin):7.1f} ms ({each}), "
            f"guide median {median(guide):6.1f} ms ({each_guide})"
        )
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
