"""The printed guide as a PDF (the guide's URL + pdf/), read back with real tools: poppler's
pdftotext, pdffonts and pdftoppm, zbarimg for the QR code, pypdf for metadata and links."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from django.template import Context, Template
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import GuideMaterial
from publications import editions, pdf, tasks
from publications.checks import pdf_setup_check
from tests import factories

pytestmark = pytest.mark.django_db

SECTION_TITLES = [
    "一、事项基本信息",
    "二、法律依据",
    "三、受理条件",
    "四、申请材料",
    "五、办理流程",
    "六、办理时限",
    "七、收费标准",
    "八、办理结果",
    "九、办理渠道、地点和时间",
    "十、咨询、投诉与查询",
]


def fetch_pdf(client, guide, query=""):
    response = client.get(f"{guide.url}pdf/{query}")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content), response


def save(data, tmp_path, name="guide.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdftotext(path, page=None):
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(path):
    return len(pypdf.PdfReader(path).pages)


def fonts(path):
    """pdffonts rows as (name, embedded) pairs."""
    rows = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows]


def squeeze(text):
    return re.sub(r"\s+", "", text)


def after_contents(text):
    """The body of a guide: from the first section after the contents page's last entry."""
    return text[text.index("一、事项基本信息", text.index("附件：表格与样表")) :]


def test_the_pdf_prints_the_guide_name_materials_and_fees_in_the_standard_order(client, tmp_path):
    guide = factories.guide()
    path = save(fetch_pdf(client, guide)[0], tmp_path)
    text = squeeze(pdftotext(path))

    assert guide.title in text and guide.implementation_code in text
    body = after_contents(text)
    positions = [body.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    materials = body[body.index("四、申请材料") : body.index("五、办理流程")]
    # Both situations, each with its own table: the second adds the application form.
    first = materials[materials.index("自然人独资设立") : materials.index("委托代理人办理")]
    second = materials[materials.index("委托代理人办理") :]
    assert "居民身份证" in first and "企业设立登记申请书" not in first
    assert "居民身份证" in second and "企业设立登记申请书" in second
    assert "工本费10元/本" in body[body.index("七、收费标准") : body.index("八、办理结果")]


def test_the_pdf_embeds_one_cjk_family_in_two_weights_and_nothing_else(client, tmp_path):
    guide = factories.guide()
    path = save(fetch_pdf(client, guide)[0], tmp_path)
    embedded = fonts(path)
    assert embedded, "no fonts in the PDF"
    assert all(emb == "yes" for _, emb in embedded), embedded
    assert all("Noto-Sans-CJK-SC" in name for name, _ in embedded), embedded
    assert len(embedded) <= 2  # regular and bold; page numbers use no third font


def test_every_page_after_the_cover_is_numbered_n_of_total(client, tmp_path):
    guide = factories.guide()
    path = save(fetch_pdf(client, guide)[0], tmp_path)
    total = page_count(path)
    assert total >= 3
    assert "页/共" not in pdftotext(path, 1)  # the cover has no header or footer
    for number in range(2, total + 1):
        assert f"第{number}页/共{total}页" in squeeze(pdftotext(path, number))


def test_the_contents_give_the_page_each_section_starts_on(client, tmp_path):
    guide = factories.guide()
    path = save(fetch_pdf(client, guide)[0], tmp_path)
    contents = pdftotext(path, 2)
    assert "目" in contents and "录" in contents
    for title in ["四、申请材料", "九、办理渠道、地点和时间", "附件：表格与样表"]:
        listed = int(re.search(re.escape(title) + r"\s+(\d+)", contents).group(1))
        assert title in squeeze(pdftotext(path, listed))
        assert title not in squeeze(pdftotext(path, listed - 1)) or listed == 3


def test_the_qr_code_on_the_cover_opens_the_online_guide(client, tmp_path):
    guide = factories.guide()
    path = save(fetch_pdf(client, guide)[0], tmp_path)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "cover")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("cover*.png")))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert decoded == guide.get_full_url()
    # The code is also a link on the page, for readers of the PDF on screen.
    links = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in pypdf.PdfReader(path).pages[0]["/Annots"]
    ]
    assert guide.get_full_url() in links


def test_the_pdf_is_titled_in_chinese_tagged_and_marked_zh_hans(client, tmp_path):
    guide = factories.guide()
    reader = pypdf.PdfReader(save(fetch_pdf(client, guide)[0], tmp_path))
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title.startswith(f"{guide.title} - 办事指南")


def test_a_situation_pdf_lists_only_that_situations_materials(client, tmp_path):
    guide = factories.guide()
    only_id_card = guide.situations.get(name="自然人独资设立")
    data, _ = fetch_pdf(client, guide, f"?situation={only_id_card.pk}")
    text = squeeze(pdftotext(save(data, tmp_path)))
    body = after_contents(text)
    materials = body[body.index("四、申请材料") : body.index("五、办理流程")]
    assert "办理情形：自然人独资设立" in materials
    assert "居民身份证" in materials and "企业设立登记申请书" not in materials


def test_a_second_request_revalidates_with_etag_and_last_modified(client):
    guide = factories.guide()
    _, first = fetch_pdf(client, guide)
    assert first["Cache-Control"] == "no-cache"
    assert client.get(f"{guide.url}pdf/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    later = client.get(f"{guide.url}pdf/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert later.status_code == 304
    assert client.get(f"{guide.url}pdf/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_republishing_a_guide_rebuilds_its_pdf_and_drafts_never_reach_it(
    client, tmp_path, settings
):
    guide = factories.guide()
    old, first = fetch_pdf(client, guide)

    guide.fee_standard = "工本费20元/本"
    guide.save_revision()  # a draft: the public PDF must not change
    data, response = fetch_pdf(client, guide)
    assert response["ETag"] == first["ETag"]
    assert "工本费10元/本" in squeeze(pdftotext(save(data, tmp_path)))

    guide.get_latest_revision().publish()
    data, response = fetch_pdf(client, guide)
    assert response["ETag"] != first["ETag"]
    text = after_contents(squeeze(pdftotext(save(data, tmp_path, "new.pdf"))))
    fee_section = text[text.index("七、收费标准") : text.index("八、办理结果")]
    assert "工本费20元/本" in fee_section and "工本费10元/本" not in fee_section
    cached = list(Path(settings.PDF_CACHE_DIR).glob(f"guide-{guide.pk}-all-*.pdf"))
    assert len(cached) == 1  # the stale edition was removed


def test_unpublished_and_private_guides_have_no_public_pdf(client):
    draft = factories.guide(live=False)
    assert draft.url  # where it would be: Wagtail's own URL for the unpublished page
    assert client.get(f"{draft.url}pdf/").status_code == 404

    private = factories.guide()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get(f"{private.url}pdf/")
    assert response.status_code in (302, 200)
    assert response.get("Content-Type", "") != "application/pdf"


def test_rare_names_long_tables_empty_sections_and_odd_images_still_print(tmp_path):
    rare = "堃喆䶮"
    guide = factories.guide(
        title=f"个体工商户登记（经营者：王{rare}）",
        flowchart=factories.image("very-wide", size=(3000, 40)),
        enquiry_phone="0535-6661234（联系人：李喆、张䶮）",
    )
    guide.faqs = []
    guide.special_steps = []
    guide.legal_bases = []
    guide.situations = []
    guide.materials = [
        GuideMaterial(
            material=factories.material(name=f"材料{n}：{rare}证明"),
            copies=1,
            requirement="required",
        )
        for n in range(1, 81)
    ]
    guide.save_revision().publish()
    guide.refresh_from_db()

    rendered = editions.guide_pdf(guide)
    assert rendered.missing_glyphs == ""
    path = save(rendered.data, tmp_path)
    text = squeeze(pdftotext(path))
    assert rare in text and "材料80：" in text and "暂未公布" in text
    # The 80-row table runs over several pages and repeats its header on each of them.
    pages_with_rows = [
        n
        for n in range(1, rendered.pages + 1)
        if "证明" in pdftotext(path, n) and "附件" not in pdftotext(path, n)
    ]
    assert len(pages_with_rows) >= 3
    assert all("材料名称" in pdftotext(path, n) for n in pages_with_rows)

    tall = factories.guide(flowchart=factories.image("very-tall", size=(40, 4000)))
    assert editions.guide_pdf(tall).pages >= 3


FONTCONFIG_WITHOUT_CJK = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""

PROBE = """
import django; django.setup()
from publications import checks, pdf
for warning in checks.pdf_setup_check(None):
    print(warning.id, warning.msg)
try:
    pdf.html_to_pdf("<p>政务服务</p>", base_url="http://localhost/")
    print("RENDERED")
except pdf.PdfUnavailable as error:
    print("REFUSED", error)
"""


@pytest.mark.parametrize("latin_font", [True, False], ids=["only-latin-fonts", "no-fonts-at-all"])
def test_without_a_chinese_font_the_check_warns_and_rendering_refuses(tmp_path, latin_font):
    """A machine without fonts-noto-cjk, simulated with a fontconfig that sees no CJK font."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    if latin_font:
        dejavu = next(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"), None)
        assert dejavu, "the test needs DejaVuSans.ttf (fonts-dejavu-core) as the non-CJK font"
        (fonts / "DejaVuSans.ttf").symlink_to(dejavu)
    config = tmp_path / "fonts.conf"
    config.write_text(FONTCONFIG_WITHOUT_CJK.format(fonts=fonts, cache=tmp_path / "cache"))
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE],
        env={
            **os.environ,
            "FONTCONFIG_FILE": str(config),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "publications.W001" in result.stdout
    assert "fonts-noto-cjk" in result.stdout
    assert "REFUSED" in result.stdout and "RENDERED" not in result.stdout


def test_the_pdf_view_answers_503_with_what_to_install_when_it_cannot_print(client, monkeypatch):
    guide = factories.guide()
    monkeypatch.setattr(
        pdf, "setup_problems", lambda: ((True, "没有可用的中文字体，请安装 fonts-noto-cjk"),)
    )
    response = client.get(f"{guide.url}pdf/")
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()


def test_this_machine_passes_the_pdf_system_check():
    assert pdf_setup_check(None) == []


def test_renaming_the_department_reaches_the_guide_pdf_without_a_republish(client, tmp_path):
    guide = factories.guide()
    _, first = fetch_pdf(client, guide)
    guide.department.name = "示范市行政审批服务局"
    guide.department.save()
    data, response = fetch_pdf(client, guide)
    assert response["ETag"] != first["ETag"]
    assert "示范市行政审批服务局" in squeeze(pdftotext(save(data, tmp_path)))


def test_an_expired_guide_has_no_pdf(client):
    guide = factories.guide(expire_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.get(f"{guide.url}pdf/").status_code == 404


def test_the_publish_job_renders_public_guides_into_the_cache_and_skips_drafts(settings):
    public, draft = factories.guide(), factories.guide(live=False)
    tasks.render_guide_pdf(public.pk)
    tasks.render_guide_pdf(draft.pk)
    cached = sorted(path.name for path in Path(settings.PDF_CACHE_DIR).glob("guide-*.pdf"))
    assert len(cached) == 1 and cached[0].startswith(f"guide-{public.pk}-all-")


def test_private_documents_stay_private_whatever_the_media_path(client, settings):
    documents = Path(settings.MEDIA_ROOT, "documents")
    documents.mkdir(parents=True)
    (documents / "secret.pdf").write_bytes(b"%PDF-1.7 secret")
    for path in [
        "documents/secret.pdf",
        "./documents/secret.pdf",
        "images/../documents/secret.pdf",
    ]:
        assert client.get(f"/media/{path}").status_code == 404, path
        assert pdf.local_file(f"/media/{path}") is None, path


def test_css_strings_keep_ampersands_and_cannot_end_the_style_element():
    rendered = Template("{% load publications_tags %}{{ name|css_string }}").render(
        Context({"name": 'A&B"中心</style>'})
    )
    assert rendered == "A&B\\22 中心\\3c /style\\3e "
