"""PDFs on disk, one file per edition of a record, named by everything that shapes it.

A guide's PDF depends on its published revision, the handling situation, the site URL printed
in its QR code and the print templates. All of these go into the file name, so republishing or
deploying a new template simply misses the cache; the stale files of the same record are
removed when the new one is written. The directory is settings.PDF_CACHE_DIR (default
VAR_DIR/pdf); several web servers share it as a volume.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings


@cache
def edition_version():
    """A digest of publications' templates and code: changes when what a PDF looks like does."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    files = sorted((here / "templates").rglob("*.html")) + sorted(here.glob("*.py"))
    files += sorted((here / "templatetags").glob("*.py"))
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def cache_dir():
    path = Path(settings.PDF_CACHE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class CachedPdf:
    path: Path
    etag: str  # a strong validator: the file name's digest


def get_or_render(record, parts, render):
    """The cached PDF of `record` (a name such as "guide-42-all") for these key `parts`,
    calling `render()` → bytes to make it on a miss."""
    key = hashlib.sha256(repr((edition_version(), *parts)).encode()).hexdigest()[:20]
    directory = cache_dir()
    path = directory / f"{record}-{key}.pdf"
    if not path.exists():
        data = render()
        # Written to a temporary file and renamed: a reader never sees half a PDF, and two
        # processes rendering the same guide at once both end with a whole file.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pdf")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        for stale in directory.glob(f"{record}-*.pdf"):
            if stale != path:
                stale.unlink(missing_ok=True)
    return CachedPdf(path=path, etag=f'"{key}"')


def guide_pdf(guide, situation=None):
    """The cached PDF of a live guide (whole, or for one handling situation)."""
    from publications import editions  # editions → pdf → WeasyPrint, loaded on first render

    record = f"guide-{guide.pk}-{situation.pk if situation else 'all'}"
    parts = (guide.live_revision_id, guide.last_published_at, guide.get_full_url())
    return get_or_render(record, parts, lambda: editions.guide_pdf(guide, situation).data)
