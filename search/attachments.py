"""The text of a policy's attached files, for search: read once per file, kept, and added to
the policy's document as sections its highlighter can name.

What is read: PDF (pypdf), DOCX (its word/document.xml, with the standard library) and XLSX
(openpyxl), each bounded in size and characters; any other file, and any file that cannot be
read (corrupt, encrypted, a scan without text), gives no text and a warning in the log, never
an error in a sync or a rebuild. Only documents the public may download are read: a document
in a collection with a view restriction (its own or an ancestor's) gives nothing, as Wagtail's
document view would ask the visitor to log in.

The text is kept in `AttachmentText` (search/models.py) under the file's SHA-1, which Wagtail
fills on upload: a rebuild reads only the files that changed since the last one.
"""

import logging
import re
import zipfile
from xml.etree import ElementTree

from django.db import DatabaseError, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Collection, CollectionViewRestriction

from search.text import HAN

logger = logging.getLogger("search")

# Larger files are not read: the upload limit (WAGTAILDOCS_MAX_UPLOAD_SIZE) is the same, so
# only a file put in place some other way is skipped.
MAX_FILE_SIZE = 20 * 1024 * 1024
# The text kept of one file, about forty pages of dense Chinese: a policy's annex or rules in
# full, the opening of a yearbook.
MAX_CHARACTERS = 50_000
# The text of all of one page's attachments together. PostgreSQL takes a tsvector of at most
# 1 MB of tokens, about 116,000 distinct trigrams (search/backends/embedded/postgresql.py):
# 80,000 characters leave room for the page's own text even when every trigram differs.
MAX_PAGE_CHARACTERS = 80_000
# The largest word/document.xml read, uncompressed (a DOCX is a ZIP: a small file can
# declare gigabytes).
MAX_XML_SIZE = 50 * 1024 * 1024

# Where a document's sections are listed in its details (search.documents.PortalDocument).
DETAILS_KEY = "attachments"

# PDF text comes in layout lines: a break between two Chinese characters is where the line
# was full, not where a word ends (市场监督管\n理部门), and would split the words a visitor
# searches for. pypdf writes a line wrapped inside a table cell with a space (尿毒症透 析),
# and spaced titles (通　知) are spaces too: Chinese is written without them, nor around its
# punctuation (CJK symbols, full-width forms: 衰竭 （尿毒症）).
CJK = HAN + "\u3000-\u303f\uff00-\uffef"
WRAPPED = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
# What no index or JSON document should hold: control characters (PostgreSQL refuses NUL),
# lone surrogates, and private-use code points (glyphs a PDF maps to no character).
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufeff\ufffe\uffff]")
SPACES = re.compile(r"[^\S\n]+")
BLANK_LINES = re.compile(r"\s*\n\s*")

# Editors often title an attachment as the policy lists it: 附件1：申请表, 附件：病种目录.
NUMBERED = re.compile(r"^附件\s*([0-9０-９一二三四五六七八九十]*)\s*([：:、.．]?)\s*")

# WordprocessingML's namespace (ECMA-376 Part 1), as ElementTree writes it in tag names.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_pieces(file):
    """Each page's text, lines the layout wrapped joined again."""
    # Imported when a file is read: most processes that import this module (every search
    # does, for the highlighter) never read one.
    import pypdf

    reader = pypdf.PdfReader(file)
    # Many PDFs are encrypted only against editing, with an empty password to read them.
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    for page in reader.pages:
        yield WRAPPED.sub("", page.extract_text() or "")


def docx_pieces(file):
    """Each paragraph of the body (tables' cells included): its text runs (w:t) joined, tabs
    as spaces, line breaks kept. Deleted text (w:delText) and field codes are other tags."""
    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_XML_SIZE:
            raise ValueError(f"word/document.xml is {info.file_size} bytes")
        with archive.open(info) as xml:
            runs = []
            for _, element in ElementTree.iterparse(xml):
                if element.tag == W + "t":
                    runs.append(element.text or "")
                elif element.tag == W + "tab":
                    runs.append(" ")
                elif element.tag in (W + "br", W + "cr"):
                    runs.append("\n")
                elif element.tag == W + "p":
                    yield "".join(runs)
                    runs = []
                    element.clear()


def xlsx_pieces(file):
    """Each sheet's name, then each row's filled cells, separated by spaces."""
    import openpyxl

    # openpyxl reads the shared strings whole before a row is read: a 1 MB file can unpack
    # to hundreds of megabytes. The archive's own sizes are checked first.
    with zipfile.ZipFile(file) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XML_SIZE:
        raise ValueError(f"the workbook unpacks to {unpacked} bytes")
    file.seek(0)
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            # The rows the file holds, not the dimension it declares (which may say a
            # million rows of nothing): https://openpyxl.readthedocs.io/en/stable/optimized.html
            sheet.reset_dimensions()
            yield sheet.title
            for row in sheet.iter_rows(values_only=True):
                yield " ".join(str(value) for value in row if value is not None)
    finally:
        workbook.close()


READERS = {"pdf": pdf_pieces, "docx": docx_pieces, "xlsx": xlsx_pieces}


def clean(text: str) -> str:
    """Plain lines: no control characters, runs of spaces as one, no blank lines."""
    text = UNWANTED.sub("", text)
    return BLANK_LINES.sub("\n", SPACES.sub(" ", text)).strip()


def readable(document) -> bool:
    return document.file_extension.lower() in READERS


def text_of(document) -> str:
    """The plain text of a document's file, at most MAX_CHARACTERS; "" for a file of another
    type, too large, or that cannot be read (logged)."""
    reader = READERS.get(document.file_extension.lower())
    if reader is None:
        return ""
    try:
        size = document.file.size
        if size > MAX_FILE_SIZE:
            logger.warning("附件过大，未读取文字：%s（%d 字节）", document.file.name, size)
            return ""
        pieces, length = [], 0
        with document.open_file() as file:
            for piece in reader(file):
                pieces.append(piece)
                length += len(piece) + 1
                if length > MAX_CHARACTERS * 2:  # enough to keep MAX_CHARACTERS once cleaned
                    break
        return clean("\n".join(pieces))[:MAX_CHARACTERS]
    except Exception as error:  # any file an editor uploads: corrupt, encrypted, truncated
        logger.warning(
            "附件文字读取失败：%s（%s: %s）", document.file.name, type(error).__name__, error
        )
        return ""


def file_hash(document) -> str:
    """Wagtail's SHA-1 of the file (set on upload); computed, not saved, where it is blank."""
    if document.file_hash:
        return document.file_hash
    from wagtail.utils.file import hash_filelike

    try:
        with document.open_file() as file:
            return hash_filelike(file)
    except Exception:  # a missing file: text_of logs it
        return ""


def texts(documents) -> dict[int, str]:
    """Each document's text by its id, from AttachmentText where the file is the one read
    then, otherwise read now and kept."""
    from search.models import AttachmentText

    readable_ones = [d for d in documents if readable(d)]
    kept = AttachmentText.objects.filter(document__in=readable_ones)
    known = {row.document_id: row for row in kept}
    result = {document.pk: "" for document in documents}
    for document in readable_ones:
        current = file_hash(document)
        row = known.get(document.pk)
        if row is not None and current and row.file_hash == current:
            result[document.pk] = row.text
            continue
        result[document.pk] = text = text_of(document)
        if current:
            keep(document.pk, current, text)
    return result


def keep(document_id, current_hash, text):
    from search.models import AttachmentText

    try:
        # A savepoint: two rebuild workers reading the same file, or a sync racing a rebuild,
        # may both write it; the loser's error must not break the caller's transaction.
        with transaction.atomic():
            AttachmentText.objects.update_or_create(
                document_id=document_id, defaults={"file_hash": current_hash, "text": text}
            )
    except DatabaseError as error:
        logger.warning("附件文字未能缓存（文件 %s）：%s", document_id, error)


def downloadable(documents) -> list:
    """The documents the public may download: none of a collection with a view restriction,
    its own or an ancestor's (Wagtail's document view asks those visitors to log in)."""
    restricted = Collection.objects.filter(
        pk__in=CollectionViewRestriction.objects.values("collection")
    ).values_list("path", flat=True)
    private_paths = tuple(restricted)
    return [d for d in documents if not d.collection.path.startswith(private_paths)]


def append(doc, attachments):
    """Add each of a page's attachments (rows with `title` and `document`) that the public
    may download to `doc`, with the text of its file (add_sections)."""
    public = {d.pk for d in downloadable([a.document for a in attachments])}
    shown = [a for a in attachments if a.document_id in public]
    if shown:
        by_document = texts([a.document for a in shown])
        add_sections(doc, [(a.title, a.document.url, by_document[a.document_id]) for a in shown])


def add_sections(doc, sections):
    """Add (title, url, text) sections to `doc.body`: a line naming each (附件《实施细则》),
    then its text, all of them within MAX_PAGE_CHARACTERS. Where each one's text lies goes
    to doc.details[DETAILS_KEY], so the highlighter can name the file a match is in
    (`parts`)."""
    body, budget, placed = doc.body, MAX_PAGE_CHARACTERS, []
    for title, url, text in sections:
        text = text[:budget]
        budget -= len(text)
        # Where the text before it ends, and where its own text begins and ends.
        before = len(body)
        body = f"{body}\n{label(title)}\n" if body else f"{label(title)}\n"
        placed.append(
            {
                "title": title,
                "url": url,
                "before": before,
                "start": len(body),
                "end": len(body) + len(text),
            }
        )
        body += text
    doc.body = body
    doc.details[DETAILS_KEY] = placed


def label(title) -> str:
    """How a result names an attachment: 实施细则 → 附件《实施细则》, 附件1：申请表 →
    附件1《申请表》 (not 附件《附件1：申请表》)."""
    title = " ".join(title.split())
    numbered = NUMBERED.match(title)
    if numbered is None or not any(numbered.groups()):  # 附件材料说明 is a title of its own
        return f"附件《{title}》"
    rest = title[numbered.end() :]
    return f"附件{numbered.group(1)}《{rest}》" if rest else title


def parts(body, sections) -> list[tuple[dict | None, str]]:
    """A stored body split again: (None, the page's own text), then (section, its text) for
    each attachment that has text. Sections that do not fit the body (written by another
    version) are ignored."""
    if not sections or any(s["end"] > len(body or "") for s in sections):
        return [(None, body or "")]
    own = body[: sections[0]["before"]]
    attached = [(s, body[s["start"] : s["end"]]) for s in sections if s["end"] > s["start"]]
    return [(None, own), *attached]


def named(section, snippet) -> str:
    """A snippet from an attachment, saying which one: 附件《实施细则》：…"""
    return mark_safe(escape(label(section["title"]) + "：") + snippet)
