"""The checklist of a one-thing bundle as a PDF (the bundle's checklist/pdf/): read back with
poppler's pdftotext and pdftoppm, zbarimg for the QR code and pypdf for the link under it. The
QR code opens the same choice online; the PDF is made for each request and stored nowhere."""

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest

from tests.bundles import (
    chosen,
    form_fields,
    material_codes,
    opening_a_company,
    picks_for,
    situation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening():
    return opening_a_company()


def fetch(client, bundle, params):
    response = client.get(bundle.url + "checklist/pdf/", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response


def text_of(path):
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", "", out)


def saved(response, tmp_path, name="checklist.pdf"):
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def test_the_pdf_lists_exactly_the_materials_of_the_chosen_situations(client, opening, tmp_path):
    text = text_of(saved(fetch(client, opening.bundle, chosen(opening)), tmp_path))
    materials = text[text.index("二、材料清单") : text.index("三、办理时限与收费")]
    for name, code in [
        ("居民身份证", "M-ID"),
        ("房屋租赁合同", "M-LEASE"),
        ("授权委托书", "M-PROXY"),
        ("营业执照", "M-LIC"),
        ("预留印鉴卡", "M-SEAL"),
    ]:
        assert materials.count(f"编码{code}") == 1, code
        assert name in materials
    assert "委托代理人办理" in text and "法定代表人办理" in text and "基本存款账户" in text
    assert "承诺时限合计3个工作日" in text and "开户工本费20元：银行开户" in text
    assert "B07公安印章窗口" in text and "C03银行服务窗口（C区二楼）" in text

    narrower = chosen(opening) | {
        f"item-{opening.register.pk}": situation(opening.register, "本人办理").pk
    }
    text = text_of(saved(fetch(client, opening.bundle, narrower), tmp_path, "narrow.pdf"))
    assert "授权委托书" not in text and "M-PROXY" not in text


def test_the_qr_code_reopens_the_same_choice(client, opening, tmp_path):
    path = saved(fetch(client, opening.bundle, chosen(opening)), tmp_path)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("p*.png")))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    picks = picks_for(opening, chosen(opening))
    assert decoded == opening.bundle.checklist_url(picks)
    assert decoded.startswith("http://") and "?item-" in decoded
    # The code is also a link, for a reader of the PDF on screen.
    links = [a.get_object()["/A"]["/URI"] for a in pypdf.PdfReader(path).pages[0]["/Annots"]]
    assert decoded in links

    # Opened, it is the checklist page with the same situations checked and the same list.
    address = urlsplit(decoded)
    reopened = client.get(f"{address.path}?{address.query}")
    assert reopened.status_code == 200
    html = reopened.content.decode()
    assert form_fields(html)[1] == {key: str(value) for key, value in chosen(opening).items()}
    assert material_codes(html) == ["M-ID", "M-LEASE", "M-PROXY", "M-LIC", "M-SEAL"]


def test_extra_parameters_stay_out_of_the_qr_codes_address(client, opening, tmp_path):
    params = chosen(opening) | {"from": "singlemessage"}
    path = saved(fetch(client, opening.bundle, params), tmp_path)
    links = [a.get_object()["/A"]["/URI"] for a in pypdf.PdfReader(path).pages[0]["/Annots"]]
    picks = picks_for(opening, chosen(opening))
    assert opening.bundle.checklist_url(picks) in links
    assert not any("singlemessage" in link for link in links)


def test_the_pdf_is_made_for_each_request_and_kept_nowhere(client, opening, settings):
    first = fetch(client, opening.bundle, chosen(opening))
    assert first["Cache-Control"] == "no-store"
    assert first.get("X-Cache") != "hit"
    again = fetch(client, opening.bundle, chosen(opening))
    assert again.get("X-Cache") != "hit"
    pdf_dir = Path(settings.PDF_CACHE_DIR)
    assert not pdf_dir.exists() or not list(pdf_dir.iterdir())
    assert "inline" in first["Content-Disposition"]


def test_the_pdf_embeds_only_the_cjk_family(client, opening, tmp_path):
    path = saved(fetch(client, opening.bundle, chosen(opening)), tmp_path)
    rows = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert rows and all("Noto-Sans-CJK-SC" in row.split()[0] for row in rows), rows
