"""PDFs on disk, one file per edition of a record, named by a digest of what shapes it.

A guide's PDF is keyed by a digest of its print HTML itself: whatever changes what the page
prints (a republished revision, a renamed department, a repealed policy, a new window, a new
template, the site URL in the QR code) changes the key, and nothing else does. Rendering that
HTML takes a few tens of milliseconds against most of a second for the PDF, and is done once
per content version (cms.caching.version): the digest is remembered under the version, so
while nothing changes a cached PDF is served without rendering anything.

A department's book prints dozens of guides, so its key is built from their revisions and what
the cover prints instead (see `book_key`), and a magazine issue's from the revisions of the
issue, its magazine and its articles. Every key also holds `edition_version()`.

Files are written through a temporary file and renamed, with the process umask's permissions
(the worker that pre-renders and the web server may run as different users); older files of
the same record are deleted then. Readers get an open file handle, so a file deleted by
another process's newer render is still served whole. The directory is settings.PDF_CACHE_DIR
(default VAR_DIR/pdf); several web servers share it as a volume.
"""

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

from cms.caching import version as content_version
from cms.models import ServiceGuidePage
from cms.reference_data import last_published
from publications import editions
from publications.pdf import html_to_pdf


@cache
def edition_version():
    """A digest of the print templates, the engine and WeasyPrint's version."""
    here = Path(__file__).parent
    digest = hashlib.sha256(version("weasyprint").encode())
    files = sorted((here / "templates" / "publications").glob("*.html"))
    files += [
        here / "pdf.py",
        here / "pdf_fonts.py",
        here / "editions.py",
        *sorted((here / "templatetags").glob("*.py")),
    ]
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class CachedPdf:
    file: object  # an open binary file; whoever serves it closes it
    etag: str  # a strong validator: the key's digest
    last_modified: datetime  # when this edition was rendered


def cache_dir():
    path = Path(settings.PDF_CACHE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _open(path, key):
    file = path.open("rb")
    modified = datetime.fromtimestamp(os.fstat(file.fileno()).st_mtime, tz=UTC)
    return CachedPdf(file=file, etag=f'"{key}"', last_modified=modified)


def _key(key_source):
    return hashlib.sha256(f"{edition_version()}\n{key_source}".encode()).hexdigest()[:20]


def write_atomically(path, data):
    """Write to a temporary file beside `path`, then rename: readers never see half a PDF.

    Not tempfile.mkstemp: its files are private to the owner (0600), and these are read by
    other processes (the web server, a print shop's copy of an export).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def lookup(record, key_source):
    """The cached PDF of `record` for this key, or None when it has not been rendered."""
    return _open_key(record, _key(key_source))


def _open_key(record, key):
    try:
        return _open(cache_dir() / f"{record}-{key}.pdf", key)
    except FileNotFoundError:
        return None


def get_or_render(record, key_source, render, on_miss=None):
    """The cached PDF of `record` (a name such as "guide-42-all") for `key_source` (a string
    holding everything the PDF depends on), calling `render()` → bytes on a miss, after
    `on_miss()` (a web request's rate limit, which may refuse by raising)."""
    cached = lookup(record, key_source)
    if cached is not None:
        return cached
    if on_miss is not None:
        on_miss()
    key = _key(key_source)
    directory = cache_dir()
    path = directory / f"{record}-{key}.pdf"
    write_atomically(path, render())
    for stale in directory.glob(f"{record}-*.pdf"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return _open(path, key)


def guide_pdf(guide, situation=None, on_miss=None):
    """The printed guide (whole, or for one handling situation) of a live guide."""
    record = f"guide-{guide.pk}-{situation.pk if situation else 'all'}"
    # The revision too: the page object may have been read before a publish that the version
    # read here already reflects, and its old PDF must not be remembered as the new one.
    remembered = (
        f"pdf-key:{content_version.current()}:{edition_version()}:{record}:{guide.live_revision_id}"
    )
    key = content_version.read(remembered)
    if key is not None:
        cached = _open_key(record, key)
        if cached is not None:
            return cached
    html, base_url = editions.guide_html(guide, situation)
    cached = get_or_render(
        record, html, lambda: html_to_pdf(html, base_url=base_url).data, on_miss=on_miss
    )
    content_version.write(remembered, cached.etag.strip('"'))
    return cached


def issue_key(issue):
    """What a magazine issue's PDF depends on: the issue, its magazine, each public article."""
    magazine = issue.get_parent().specific
    articles = issue.articles().values_list(
        "pk", "live_revision_id", "last_published_at", "column__name"
    )
    return repr(
        (
            issue.live_revision_id,
            magazine.live_revision_id,
            issue.cover.file.name if issue.cover else None,
            tuple(articles),
            issue.get_full_url(),
        )
    )


def issue_pdf(issue, on_miss=None):
    return get_or_render(
        f"issue-{issue.pk}",
        issue_key(issue),
        lambda: editions.magazine_issue_pdf(issue).data,
        on_miss=on_miss,
    )


def book_key(department, guides):
    """What a department's book depends on: each printed guide's revision, when the reference
    data they print was last published (a renamed material, a window moved: a new edition),
    and what the cover and header print."""
    centre_name, site_root = editions.site_of(guides[0]) if guides else ("", "")
    printed = ServiceGuidePage.objects.filter(pk__in=[guide.pk for guide in guides])
    return repr(
        (
            sorted((guide.pk, guide.live_revision_id) for guide in guides),
            last_published(printed),
            site_root,
            centre_name,
            department.name,
            department.phone,
        )
    )


def book_record(department):
    return f"book-{department.pk}"


def book_pdf(department):
    """The department's guide book, rendered on a miss (by the worker or export_guides: a
    large department's book takes minutes, too long for a web request)."""
    guides = list(editions.department_guides(department))
    return get_or_render(
        book_record(department),
        book_key(department, guides),
        lambda: editions.department_book_pdf(department).data,
    )
