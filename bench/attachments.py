"""Attachment text for search: reading one file of each kind, and what it adds to a rebuild
with the text cache cold (every file read) and warm (none read).

Usage (on a VAR_DIR / DATABASE_URL where `manage.py load_demo` has run):
    export VAR_DIR=/tmp/benchvar
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo --no-hall-data
    .venv/bin/python bench/attachments.py [--policies 100] [--pages 10] [--repeat 5] [--jobs 4] [--rounds 3]

1. A policy text of `--pages` A4 pages (articles made of the demo policies' wording, 616
   characters a page as GB/T 9704 sets an official document's page), laid out as a PDF by WeasyPrint, as a DOCX and as an XLSX of
   the same text: `attachments.text_of` on each, the median of --repeat reads.
2. `--policies` policies under the demo's policy index, each attaching its own such PDF
   (made once; they stay in the database for later runs). Then `index.rebuild` of the
   embedded backend with 1 and with --jobs processes, --rounds times each: with
   attachments left out (the rebuild before this feature), with the cache emptied first
   (cold), and again (warm).
Results are recorded in docs/benchmarks.md. Medians, because the machine is shared and noisy.
"""

import argparse
import hashlib
import io
import logging
import os
import platform
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

TITLE = "附件基准测试通知"
# An official document's page (GB/T 9704-2012, 党政机关公文格式): 22 lines of 28 characters,
# 3号仿宋 (16 pt) in a 156 × 225 mm type area.
CHARACTERS_PER_PAGE = 22 * 28
PAGE_CSS = (
    "@page { size: A4; margin: 37mm 26mm 35mm 28mm }"
    " body { font: 16pt 'Noto Serif CJK SC'; line-height: 28.9pt; margin: 0 }"
    " p { margin: 0; text-indent: 2em }"
)


def policy_text(pages, seed):
    """About `pages` pages of articles in the demo policies' wording; `seed` makes each
    file's text (and hash) its own."""
    from demo.site.texts import POLICIES

    sentences = [s for p in POLICIES for s in (p.summary, *p.points) if s]
    articles, length, n = [], 0, 0
    while length < pages * CHARACTERS_PER_PAGE:
        article = f"第{n + 1}条 {sentences[(n + seed) % len(sentences)]}（编号{seed}-{n}）"
        articles.append(article)
        length += len(article)
        n += 1
    return articles


def as_pdf(articles):
    import weasyprint

    body = "".join(f"<p>{a}</p>" for a in articles)
    html = f"<html><head><style>{PAGE_CSS}</style></head><body>{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def page_count(content):
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def fitted(pages, seed):
    """(articles, PDF) of about `pages` laid-out pages: paragraphs end mid-line, so the
    text of N full pages takes more than N."""
    articles = policy_text(pages, seed)
    content = as_pdf(articles)
    laid_out = page_count(content)
    if laid_out != pages:
        articles = articles[: max(1, len(articles) * pages // laid_out)]
        content = as_pdf(articles)
    return articles, content


def as_docx(articles):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = "".join(f"<w:p><w:r><w:t>{a}</w:t></w:r></w:p>" for a in articles)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}"><w:body>{paragraphs}</w:body></w:document>',
        )
    return buffer.getvalue()


def as_xlsx(articles):
    import openpyxl

    workbook = openpyxl.Workbook()
    for n, article in enumerate(articles):
        workbook.active.append([n + 1, article])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_document(filename, content, collection=None):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    document = get_document_model()(
        title=filename, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.file_size = len(content)
    document.file_hash = hashlib.sha1(content).hexdigest()
    document.save()
    return document


def median_ms(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def reading(pages, repeat):
    from search import attachments

    articles, pdf = fitted(pages, seed=0)
    characters = sum(len(a) for a in articles)
    print(f"1. One file of {characters:,} characters, median of {repeat} reads:")
    files = {"pdf": pdf, "docx": as_docx(articles), "xlsx": as_xlsx(articles)}
    for extension, content in files.items():
        document = make_document(f"bench-read.{extension}", content)
        text = attachments.text_of(document)
        took = median_ms(lambda d=document: attachments.text_of(d), repeat)
        extra = f", {page_count(content)} pages" if extension == "pdf" else ""
        print(
            f"   {extension}: {took:.0f} ms ({len(content) / 1024:.0f} KB{extra},"
            f" {len(text):,} characters read)"
        )
        document.delete()


def ensure_policies(count, pages):
    from cms.models import PolicyAttachment, PolicyIndexPage, PolicyPage

    index = PolicyIndexPage.objects.get()
    have = PolicyPage.objects.filter(title__startswith=TITLE).count()
    for n in range(have, count):
        document = make_document(f"bench-{n}.pdf", fitted(pages, seed=n + 1)[1])
        page = PolicyPage(
            title=f"{TITLE}{n + 1}",
            issuer="示范市人民政府办公室",
            issued_on="2026-01-01",
            body="<p>现将有关事项通知如下。</p>",
            attachments=[PolicyAttachment(title="实施细则", document=document)],
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    return count


def timed_rebuild(jobs):
    from search import index
    from search.backends import get_search_backend

    start = time.perf_counter()
    for _ in index.rebuild(get_search_backend(), jobs=jobs):
        pass
    return time.perf_counter() - start


def rebuilds(count, pages, jobs_options, rounds):
    from search import attachments
    from search.models import AttachmentText
    from search.sources import count_public_documents

    ensure_policies(count, pages)
    total = count_public_documents()
    print(
        f"2. Rebuilds of {total:,} documents, {count} of them policies with a {pages}-page PDF"
        f" (median of {rounds}):"
    )
    appending = attachments.append
    for jobs in jobs_options:
        without, cold, warm = [], [], []
        for _ in range(rounds):
            attachments.append = lambda doc, rows: None
            without.append(timed_rebuild(jobs))
            attachments.append = appending
            AttachmentText.objects.all().delete()
            cold.append(timed_rebuild(jobs))
            warm.append(timed_rebuild(jobs))
        print(
            f"   jobs={jobs}: without attachments {statistics.median(without):.1f} s,"
            f" cache cold {statistics.median(cold):.1f} s,"
            f" cache warm {statistics.median(warm):.1f} s"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=100)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    import django

    django.setup()
    logging.disable(logging.INFO)  # not a line per policy published
    print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    reading(options.pages, options.repeat)
    rebuilds(options.policies, options.pages, sorted({1, options.jobs}), options.rounds)


if __name__ == "__main__":
    main()
