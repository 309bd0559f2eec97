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

`install()` replaces one private WeasyPrint method, `Font._harfbuzz_subset`; weasyprint is
pinned to one major version in pyproject.toml and tests/test_pdf_fonts.py checks that pages
drawn from the compact fonts look the same and read the same as WeasyPrint's own embedding.
"""

import io
import logging

from fontTools.ttLib import TTFont, TTLibError

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

_stock_subset = None


def install():
    """Make WeasyPrint subset CID-keyed CFF fonts to the glyphs used (idempotent)."""
    global _stock_subset
    from weasyprint.pdf.fonts import Font

    if _stock_subset is None:
        _stock_subset = Font._harfbuzz_subset
        Font._harfbuzz_subset = _subset_keeping_cids


def stock_subset():
    """WeasyPrint's own method, for comparing against it."""
    return _stock_subset


def _subset_keeping_cids(font, to_unicode, hinting):
    """`Font._harfbuzz_subset`, without keeping empty glyph slots for CID-keyed CFF fonts."""
    if "CFF " in font.tables:
        compact = _harfbuzz_subset(font, sorted(to_unicode), hinting)
        if compact is not None and _is_cid_keyed(compact):
            font.file_content = compact
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


def _cff_top_dict(font_file):
    try:
        font = TTFont(io.BytesIO(font_file), lazy=True)
        return font, font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
    except (TTLibError, AssertionError, KeyError, IndexError, ValueError) as error:
        logger.warning("无法读取 PDF 中嵌入的字体：%s", error)
        return None, None


def _is_cid_keyed(font_file):
    return hasattr(_cff_top_dict(font_file)[1], "ROS")


def embed_bare_cff(document, pdf):
    """WeasyPrint finisher: CID-keyed OpenType font streams become bare CFF programs."""
    import pydyf

    for stream in pdf.objects:
        if not isinstance(stream, pydyf.Stream) or stream.extra.get("Subtype") != "/OpenType":
            continue
        font, top = _cff_top_dict(b"".join(stream.stream))
        if hasattr(top, "ROS"):
            stream.stream = [font.reader["CFF "]]
            stream.extra["Subtype"] = "/CIDFontType0C"
