"""Compact embedding of CID-keyed CJK fonts (Noto Sans CJK) in every PDF.

WeasyPrint subsets a font but keeps every glyph's position up to the last one used
(`HB_SUBSET_FLAGS_RETAIN_GIDS`), so that the glyph numbers it wrote into the page content stay
valid. A CJK font has ~65,000 glyphs and the hanzi of any page are spread across all of them:
a guide using 427 glyphs carried a 63,283-glyph font whose empty entries (charstring offsets,
metrics) cost more than the outlines themselves — 191 kB of 198 kB for the regular weight,
the whole guide PDF 434 kB (docs/benchmarks.md, "Guide PDF size").

A CID-keyed CFF font does not need that: its charset maps each CID (the number in the page
content) to its glyph, and HarfBuzz keeps the original CIDs in the charset when it renumbers
the glyphs. So for those fonts we subset to the used glyphs only, and embed the bare CFF
program (`FontFile3 /CIDFontType0C`), where every reader must look the CID up in the charset;
inside an OpenType wrapper (`/OpenType`) poppler takes the CID for the glyph number and draws
the wrong glyphs. Fonts that are not CID-keyed CFF (TrueType, name-keyed CFF) keep WeasyPrint's
own subsetting, whose glyph numbers are the CIDs.

`install()` replaces one private WeasyPrint method, `Font._harfbuzz_subset`, which does the
compact subsetting only inside a `compact_fonts()` block (publications/pdf.py renders in one)
and WeasyPrint's own everywhere else; weasyprint is pinned to one major version in
pyproject.toml, and tests/test_pdf_fonts.py checks that pages drawn from the compact fonts look
and read the same as WeasyPrint's own embedding. Without libharfbuzz-subset0 WeasyPrint uses
fontTools and this module changes nothing (the fonts stay large).
"""

import contextlib
import contextvars
import io
import logging
import threading

from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

# The tables WeasyPrint drops when it subsets (pdf/fonts.py): layout tables the PDF never uses.
DROPPED_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)

# The font programs made compact during the current `compact_fonts()` block; outside one
# (another caller of WeasyPrint in the same process), WeasyPrint's own subsetting runs.
_compacted = contextvars.ContextVar("compacted_font_programs", default=None)
_stock_subset = None
_installing = threading.Lock()


def install():
    """Route WeasyPrint's HarfBuzz subsetting through `_subset_keeping_cids` (idempotent,
    thread-safe; the original is taken from the class itself, never from a patched one)."""
    global _stock_subset
    from weasyprint.pdf.fonts import Font

    with _installing:
        if _stock_subset is None:
            _stock_subset = Font.__dict__["_harfbuzz_subset"]
            Font._harfbuzz_subset = _subset_keeping_cids


@contextlib.contextmanager
def compact_fonts():
    """Within the block, CID-keyed CFF fonts are subset compactly; yields the finisher that
    `write_pdf` must be given to embed them as bare CFF programs."""
    install()
    programs = []
    token = _compacted.set(programs)
    try:
        yield lambda document, pdf: embed_bare_cff(pdf, programs)
    finally:
        _compacted.reset(token)


def _subset_keeping_cids(font, to_unicode, hinting):
    """`Font._harfbuzz_subset`, without empty glyph slots for CID-keyed CFF fonts whose CIDs
    are their glyph numbers."""
    programs = _compacted.get()
    if programs is not None and "CFF " in font.tables:
        # Missing characters get numbers past the font's last glyph (WeasyPrint draws them as
        # .notdef); HarfBuzz drops those.
        kept = sorted({0} | {glyph for glyph in to_unicode if glyph < font.glyph_count})
        compact = _harfbuzz_subset(font, kept, hinting)
        if compact is not None and _cids_are_glyph_numbers(compact, kept):
            font.file_content = compact
            programs.append(compact)
            return
    _stock_subset(font, to_unicode, hinting)


def _harfbuzz_subset(font, glyph_ids, hinting):
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    _add_to_set(harfbuzz_subset.hb_subset_input_glyph_set(subset_input), glyph_ids)
    flags = (
        harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    )
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:  # missing characters are drawn as .notdef, so it needs its outline
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    drop = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    )
    _add_to_set(drop, sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in DROPPED_TABLES))
    face = harfbuzz_subset.hb_subset_or_fail(font.hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    return get_hb_object_data(face) or None


def _add_to_set(hb_set, values):
    from weasyprint.text.ffi import ffi, harfbuzz

    array = ffi.new(f"hb_codepoint_t[{len(values)}]", values)
    harfbuzz.hb_set_add_sorted_array(hb_set, array, len(values))


def _cids_are_glyph_numbers(program, kept) -> bool:
    """Whether the compact font is CID-keyed with each glyph's CID its number in the original
    font (the number WeasyPrint wrote into the page), as in Noto Sans CJK and Source Han Sans.
    HarfBuzz keeps glyphs in their original order and may add some it reaches from those asked
    for, so the CIDs must rise and include every glyph asked for. A font whose CIDs are not
    its glyph numbers (a subset made elsewhere, an Adobe-GB1-ordered font) fails this and
    keeps WeasyPrint's own subsetting."""
    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        if not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            return False
        cids = [0, *(int(name.removeprefix("cid")) for name in font.getGlyphOrder()[1:])]
    except Exception as error:  # noqa: BLE001 (any unreadable font: keep WeasyPrint's way)
        logger.warning("无法读取裁剪后的字体，改用 WeasyPrint 默认方式嵌入：%s", error)
        return False
    return cids == sorted(set(cids)) and set(kept) <= set(cids)


def embed_bare_cff(pdf, programs):
    """The font streams of `programs` (compact CID-keyed OpenType fonts) become bare CFF
    programs, whose CIDs every reader maps through the charset."""
    import pydyf

    compact = {id(program) for program in programs}
    for stream in pdf.objects:
        if not isinstance(stream, pydyf.Stream) or stream.extra.get("Subtype") != "/OpenType":
            continue
        if len(stream.stream) != 1 or id(stream.stream[0]) not in compact:
            continue
        font = TTFont(io.BytesIO(stream.stream[0]), lazy=True)
        stream.stream = [font.reader["CFF "]]
        stream.extra["Subtype"] = "/CIDFontType0C"
