"""The PDF engine: HTML in, PDF out, with WeasyPrint and the Chinese font set up once.

Every printed edition (a guide, a department's guide book, a magazine issue) and every
supervision bulletin is rendered by `render_pdf`, so they share one font setup, one resource
fetcher (local files only) and one check that the machine can print Chinese at all.

Fonts: one family, Noto Sans CJK SC, in two weights. print_base.html names it on the root
element, from which WeasyPrint's `@page` margin boxes inherit, *and* on each margin box: a
template that named the font only on `body` would have its page numbers fall back to the default
serif, a third large CJK font in every PDF (measured in docs/benchmarks.md). Subsetting those fonts is fast
only with HarfBuzz's subsetter (Debian's libharfbuzz-subset0); without it WeasyPrint falls
back to fontTools: subsetting is then ~80× slower and a 10-page bulletin takes ~4.5× as long
(docs/benchmarks.md). They are embedded compactly, only the glyphs used (pdf_fonts.py): a guide
PDF is a third of the size WeasyPrint alone makes.
"""

import functools
import gc
import logging
import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from publications import pdf_fonts
from publications.files import public_media_path

logger = logging.getLogger(__name__)

FONT_FAMILY = "Noto Sans CJK SC"
# Text that must come out of any font we print with: common hanzi, full-width punctuation and
# a name outside GB2312 (堃), as found in applicants' and officials' names.
PROBE_TEXT = "政务服务中心办事指南（第1页）堃"
SETUP_HINT = (
    "sudo apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
)


class PdfUnavailable(RuntimeError):
    """This machine cannot produce a correct PDF; the message says what to install."""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    # Characters no installed font could draw (printed as empty boxes); logged, never hidden.
    missing_glyphs: str
    fonts: tuple[str, ...]


def _weasyprint():
    """WeasyPrint, imported on first use: it loads Pango through ffi, which fails without it."""
    try:
        import weasyprint
    except OSError as error:  # cffi could not dlopen libpango / libgobject
        raise PdfUnavailable(
            f"无法加载 PDF 排版库 Pango（{error}）。请安装：{SETUP_HINT}"
        ) from error
    return weasyprint


@functools.cache
def setup_problems():
    """What stops this machine from printing Chinese correctly, as (is_fatal, message) pairs.

    Renders a one-line probe rather than asking fontconfig: what matters is whether WeasyPrint,
    with the fonts it actually finds, draws every glyph of a Chinese line.
    """
    try:
        weasyprint = _weasyprint()
    except PdfUnavailable as error:
        return ((True, str(error)),)
    from weasyprint.text import ffi

    if not _fontconfig_has_fonts(ffi):
        # Pango crashes the process (segfault) laying out text with no font at all.
        return ((True, f"系统中没有任何字体，无法生成 PDF。请安装：{SETUP_HINT}"),)
    problems = []
    html = f"<p style=\"font-family: '{FONT_FAMILY}', sans-serif\">{PROBE_TEXT}</p>"
    document = weasyprint.HTML(string=html).render()
    document.write_pdf()  # fonts and missing glyphs are collected while drawing
    missing = _missing_glyphs(document)
    if missing:
        problems.append(
            (True, f"没有可用的中文字体，无法排出“{missing}”。请安装 fonts-noto-cjk：{SETUP_HINT}")
        )
    if ffi.harfbuzz_subset is None:
        problems.append(
            (
                False,
                "未找到 HarfBuzz 字体子集库（libharfbuzz-subset0），"
                "PDF 将改用 fontTools 裁剪字体，生成一份 PDF 约慢 4 倍。请安装 libharfbuzz-subset0。",
            )
        )
    return tuple(problems)


def _fontconfig_has_fonts(ffi):
    config = ffi.ffi.gc(ffi.fontconfig.FcInitLoadConfigAndFonts(), ffi.fontconfig.FcConfigDestroy)
    fonts = ffi.fontconfig.FcConfigGetFonts(config, ffi.fontconfig.FcSetSystem)
    return fonts != ffi.ffi.NULL and fonts.nfont > 0


def ensure_can_render():
    """Raise PdfUnavailable rather than let a missing font produce a PDF of empty boxes."""
    fatal = [message for is_fatal, message in setup_problems() if is_fatal]
    if fatal:
        raise PdfUnavailable("；".join(fatal))


def _missing_glyphs(document):
    return "".join(
        sorted({chr(codepoint) for font in document.fonts.values() for codepoint in font.missing})
    )


def local_file(path):
    """The file on disk behind a /static/ or /media/ URL path, or None.

    Under /media/ only what the public media view serves (images): a document may sit in a
    private collection and is only ever served through Wagtail's permission-checking view.
    Paths are normalised before they are checked, so "./documents/x" or "images/../../x" find
    nothing.
    """
    if path.startswith(settings.MEDIA_URL):
        relative = public_media_path(path.removeprefix(settings.MEDIA_URL))
        return _file_in(settings.MEDIA_ROOT, relative) if relative else None
    if path.startswith(settings.STATIC_URL):
        relative = posixpath.normpath(path.removeprefix(settings.STATIC_URL))
        if relative.split("/")[0] == "..":
            return None
        found = finders.find(relative)  # app static files, before collectstatic has run
        return Path(found) if found else _file_in(settings.STATIC_ROOT, relative)
    return None


def _file_in(root, relative):
    candidate = Path(root, relative).resolve()
    if not candidate.is_relative_to(Path(root).resolve()):  # a symlink out of the root
        return None
    return candidate if candidate.is_file() else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFilesFetcher(URLFetcher):
        """Images and stylesheets come from disk, never over the network: a PDF neither waits
        on another server nor makes the site request URLs an editor typed in."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            file = local_file(unquote(urlsplit(url).path))
            if file is None:
                raise ValueError(f"PDF 只使用本站的静态文件和图片，已跳过：{url}")
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=file.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalFilesFetcher


def html_to_pdf(html, *, base_url):
    """Lay out `html` and write it as a tagged PDF with embedded, subsetted fonts.

    `base_url` is the site's root URL: relative links in the PDF point there, and resources
    under it are read from disk.
    """
    weasyprint = _weasyprint()
    ensure_can_render()
    # WeasyPrint makes ~10⁵ short-lived objects per document; the cyclic collector would walk
    # the whole Django and Wagtail heap on each of its passes. Reference counting frees the
    # boxes anyway; the collector runs once when rendering is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with pdf_fonts.compact_fonts() as finisher:
            document = weasyprint.HTML(
                string=html, base_url=base_url, url_fetcher=_fetcher_class()(timeout=1)
            ).render()
            data = document.write_pdf(pdf_tags=True, finisher=finisher)
    finally:
        if collecting:
            gc.enable()
    missing = _missing_glyphs(document)
    if missing:
        logger.warning("PDF 中有字体无法显示的字符：%s", missing)
    return RenderedPdf(
        data=data,
        pages=len(document.pages),
        missing_glyphs=missing,
        fonts=tuple(sorted({font.family for font in document.fonts.values()})),
    )


def render_pdf(template_name, context, *, base_url):
    """Render a Django template (one that extends publications/print_base.html) to a PDF."""
    html = render_to_string(template_name, context)
    return html_to_pdf(html, base_url=base_url)
