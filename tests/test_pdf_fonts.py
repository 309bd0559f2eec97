"""The CJK fonts in every PDF are embedded with only the glyphs used (publications/pdf_fonts.py),
and the pages drawn from them are the pages WeasyPrint's own embedding gives.

Checked with poppler (pdftoppm, pdftotext) — a reader that takes an OpenType-wrapped font's CIDs
for glyph numbers, so a wrong CID mapping shows up as wrong glyphs — and with fontTools for
what the embedded font programs hold."""

import contextlib
import io
import re
import subprocess

import pypdf
import pytest
from fontTools import subset
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops

from publications import editions, pdf, pdf_fonts
from tests import factories

# Regular and bold CJK, Latin and digits from the CJK font, a TrueType font (DejaVu), a hanzi
# outside GB2312 and a character no installed font has (drawn as .notdef).
SAMPLE = """<html lang="zh-CN"><body style="font-family: 'Noto Sans CJK SC'; font-size: 14pt">
<h1>有限责任公司设立登记 办事指南</h1>
<p>申请材料：公司登记（备案）申请书 1 份；法定代表人、董事、监事身份证明复印件 2 份。</p>
<p><b>承诺时限：3 个工作日</b>（法定时限 15 个工作日），收费：不收费。咨询电话 0535-6661234。</p>
<p>经营者：王堃、张䶮；未知字符：\U000f0001。</p>
<p style="font-family: 'DejaVu Sans'">Latin text set in a TrueType font: 0123456789</p>
</body></html>"""


def embedded_font_files(data):
    """(stream subtype, font program bytes) for every embedded font."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    stream = descriptor[key].get_object()
                    found.append((str(stream.get("/Subtype", key)), stream.get_data()))
    return {data: subtype for subtype, data in found}


def stock_pdf(html, monkeypatch, base_url="http://testserver/"):
    """The PDF made from the same HTML by the same code with WeasyPrint's own subsetting and
    embedding (no compact_fonts block, no finisher)."""
    with monkeypatch.context() as patch:
        patch.setattr(pdf_fonts, "compact_fonts", lambda: contextlib.nullcontext(None))
        return pdf.html_to_pdf(html, base_url=base_url).data


def pages_as_images(data, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(path), str(tmp_path / name)], check=True)
    return sorted(tmp_path.glob(f"{name}-*.png"))


def text_of(data, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_cjk_fonts_are_embedded_as_bare_cff_programs_holding_only_the_glyphs_used():
    rendered = pdf.html_to_pdf(SAMPLE, base_url="http://testserver/")
    files = embedded_font_files(rendered.data)
    cff = [program for program, subtype in files.items() if subtype == "/CIDFontType0C"]
    assert len(cff) == 2, files.values()  # regular and bold Noto Sans CJK
    distinct_characters = len(set(re.sub(r"<[^>]*>", "", SAMPLE)))
    for program in cff:
        font_set = CFFFontSet()
        font_set.decompile(io.BytesIO(program), None)
        top = font_set.topDictIndex[0]
        assert hasattr(top, "ROS"), "the CIDs must go through the charset"
        assert len(top.CharStrings) <= distinct_characters + 1  # + .notdef
        assert len(program) < 40_000
    # The TrueType font keeps WeasyPrint's own embedding.
    assert "/FontFile2" in files.values()


def test_pages_drawn_from_the_compact_fonts_are_the_pages_weasyprint_draws(tmp_path, monkeypatch):
    compact = pdf.html_to_pdf(SAMPLE, base_url="http://testserver/").data
    stock = stock_pdf(SAMPLE, monkeypatch)
    assert len(compact) < len(stock) / 3

    assert text_of(compact, tmp_path, "compact") == text_of(stock, tmp_path, "stock")
    assert "有限责任公司设立登记" in text_of(compact, tmp_path, "compact")
    compact_pages = pages_as_images(compact, tmp_path, "compact")
    stock_pages = pages_as_images(stock, tmp_path, "stock")
    assert len(compact_pages) == len(stock_pages) >= 1
    for ours, theirs in zip(compact_pages, stock_pages, strict=True):
        difference = ImageChops.difference(
            Image.open(ours).convert("L"), Image.open(theirs).convert("L")
        )
        assert difference.getbbox() is None, f"{ours.name} differs in {difference.getbbox()}"


@pytest.mark.django_db
def test_a_printed_guide_draws_the_same_pages_at_a_third_of_the_size(tmp_path, monkeypatch):
    guide = factories.guide()
    html, base_url = editions.guide_html(guide)
    compact = pdf.html_to_pdf(html, base_url=base_url).data
    stock = stock_pdf(html, monkeypatch, base_url)
    assert len(compact) < len(stock) / 2
    assert text_of(compact, tmp_path, "compact") == text_of(stock, tmp_path, "stock")
    for ours, theirs in zip(
        pages_as_images(compact, tmp_path, "compact"),
        pages_as_images(stock, tmp_path, "stock"),
        strict=True,
    ):
        difference = ImageChops.difference(
            Image.open(ours).convert("L"), Image.open(theirs).convert("L")
        )
        assert difference.getbbox() is None, f"{ours.name} differs in {difference.getbbox()}"


def cid_font_with_its_own_numbering(path):
    """A CID-keyed font whose glyph numbers are not its CIDs (a subset made elsewhere, as an
    Adobe-GB1-ordered font is): glyph 2 of it is some CID far above 2."""
    font = TTFont("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", fontNumber=2)
    options = subset.Options(notdef_outline=True, name_IDs=["*"])
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="有限责任公司设立登记ABC")
    subsetter.subset(font)
    font.save(path)
    assert TTFont(path).getGlyphOrder()[2] != "cid00002"
    return path


def test_a_cid_font_numbered_otherwise_keeps_weasyprints_embedding(tmp_path):
    import weasyprint

    font = cid_font_with_its_own_numbering(tmp_path / "own-numbering.otf")
    html = f"""<style>@font-face {{ font-family: Own; src: url("{font.as_uri()}") }}</style>
    <p style="font-family: Own; font-size: 30pt">有限责任公司设立登记ABC</p>"""
    with pdf_fonts.compact_fonts() as finisher:
        ours = weasyprint.HTML(string=html).write_pdf(finisher=finisher)
    theirs = weasyprint.HTML(string=html).write_pdf()
    assert set(embedded_font_files(ours).values()) == {"/OpenType"}
    assert text_of(ours, tmp_path, "ours") == text_of(theirs, tmp_path, "theirs")
    for mine, stock in zip(
        pages_as_images(ours, tmp_path, "ours"),
        pages_as_images(theirs, tmp_path, "theirs"),
        strict=True,
    ):
        assert (
            ImageChops.difference(
                Image.open(mine).convert("L"), Image.open(stock).convert("L")
            ).getbbox()
            is None
        )


def test_weasyprint_outside_a_compact_fonts_block_subsets_as_it_always_did(tmp_path):
    import weasyprint

    pdf.html_to_pdf(SAMPLE, base_url="http://testserver/")  # installs the patch
    pdf_fonts.install()  # twice does no harm
    plain = weasyprint.HTML(string=SAMPLE).write_pdf()
    files = embedded_font_files(plain)
    assert "/CIDFontType0C" not in files.values()
    for program, subtype in files.items():
        if subtype == "/OpenType":  # WeasyPrint's subset keeps every glyph slot of Noto
            assert len(TTFont(io.BytesIO(program)).getGlyphOrder()) > 60_000
