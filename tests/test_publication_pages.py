"""The other page types: one-thing bundles, catalogue filters, policies, galleries, magazine, home."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.models import (
    GalleryHonour,
    GalleryIndexPage,
    GalleryPage,
    MagazineArticlePage,
    MagazineColumn,
    MagazineIssuePage,
    MagazinePage,
    Theme,
)
from tests import factories
from tests.test_same_source_channels import visible_text

pytestmark = pytest.mark.django_db


def test_a_bundle_merges_materials_once_per_code_and_sums_promised_days(client):
    first = factories.guide(title="企业设立登记", promised_days=1, legal_days=15)
    second = factories.guide(title="公章刻制备案", promised_days=2, legal_days=10)
    # Both guides ask for their own ID-card material; make the second reuse the first's record.
    shared = first.materials.first().material
    row = second.materials.first()
    row.material, row.copies = shared, 3
    row.save()
    page = factories.bundle([first, second])
    codes = [entry["code"] for entry in page.merged_materials]
    assert codes.count(shared.code) == 1
    merged = next(entry for entry in page.merged_materials if entry["code"] == shared.code)
    assert merged["copies"] == 3
    assert merged["used_by"] == ["企业设立登记", "公章刻制备案"]
    assert page.total_promised_days == 3 and page.total_legal_days == 25
    text = visible_text(client.get(page.url).content.decode())
    assert "企业设立登记" in text and "公章刻制备案" in text and shared.name in text


def test_a_bundle_leaves_out_a_guide_that_is_not_public():
    public = factories.guide(title="公开事项", promised_days=1)
    draft = factories.guide(title="草稿事项", live=False, promised_days=5)
    page = factories.bundle([public, draft])
    assert [g.title for g in page.guides()] == ["公开事项"]
    assert page.total_promised_days == 1


def test_the_catalogue_filters_and_puts_high_frequency_items_first(client):
    tax = factories.department(code="TAX", name="税务局")
    other = factories.department(code="MSR", name="市场监督管理局")
    factories.guide(
        title="普通税务事项", department=tax, high_frequency=False, implementation_code="A-0001"
    )
    factories.guide(
        title="高频税务事项", department=tax, high_frequency=True, implementation_code="A-0002"
    )
    factories.guide(
        title="市场事项", department=other, audience="person", implementation_code="A-0003"
    )
    catalogue = factories.catalogue()

    text = visible_text(client.get(catalogue.url, {"department": "TAX"}).content.decode())
    assert "市场事项" not in text
    assert text.index("高频税务事项") < text.index("普通税务事项")

    text = visible_text(client.get(catalogue.url, {"audience": "person"}).content.decode())
    assert "市场事项" in text and "普通税务事项" not in text

    text = visible_text(
        client.get(catalogue.url, {"flag": "high_frequency", "department": "TAX"}).content.decode()
    )
    assert "高频税务事项" in text and "普通税务事项" not in text

    Theme.objects.create(name="税务", slug="shui-wu")
    assert "市场事项" not in visible_text(
        client.get(catalogue.url, {"theme": "shui-wu"}).content.decode()
    )


def test_a_repealed_policy_stays_readable_with_its_status_shown(client):
    policy = factories.policy(
        title="旧的登记办法",
        validity="repealed",
        validity_note="已被新办法废止",
        body="<p>第一条 旧规定全文。</p>",
    )
    text = visible_text(client.get(policy.url).content.decode())
    assert "已废止" in text and "已被新办法废止" in text and "第一条 旧规定全文。" in text


def test_the_admin_report_lists_guides_citing_a_repealed_policy(client):
    repealed = factories.policy(validity="repealed")
    factories.guide(title="引用废止文件的指南", basis_policy=repealed)
    factories.guide(title="依据有效的指南")
    client.force_login(factories.user("admin", superuser=True))
    html = client.get("/admin/reports/repealed-basis/").content.decode()
    assert "引用废止文件的指南" in html and "依据有效的指南" not in html
    editor_html = client.get(
        f"/admin/pages/{factories.guide(basis_policy=repealed).pk}/edit/"
    ).content.decode()
    assert "已废止" in editor_html


def make_image(collection, title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "#c8102e").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, collection=collection, file=ImageFile(buffer, name=f"{title}.png")
    )


def test_a_gallery_shows_its_collection_with_captions_and_honours(client):
    collection = Collection.get_first_root_node().add_child(name="综合窗口风采")
    plain = make_image(collection, "综合受理窗口工作照")
    flag = make_image(collection, "A01窗口全体人员")
    index = factories.add_page(factories.home(), GalleryIndexPage(title="窗口风采"))
    gallery = GalleryPage(title="综合受理区", collection=collection)
    gallery.honours = [
        GalleryHonour(image=flag, honour="red_flag", citation="2026年10月 流动红旗窗口")
    ]
    gallery = factories.add_page(index, gallery)
    entries = gallery.photo_entries()
    assert [entry[1] for entry in entries] == ["A01窗口全体人员", "综合受理窗口工作照"]
    text = visible_text(client.get(gallery.url).content.decode())
    assert "2026年10月 流动红旗窗口" in text and plain.title in text


def test_a_magazine_issue_groups_its_articles_by_column(client):
    magazine = factories.add_page(factories.home(), MagazinePage(title="政务服务"))
    issue = factories.add_page(
        magazine,
        MagazineIssuePage(
            title="2026年第3期", issue_number=3, published_on=datetime.date(2026, 9, 1)
        ),
    )
    news = MagazineColumn.objects.create(name="改革动态", sort_order=1)
    stars = MagazineColumn.objects.create(name="窗口之星", sort_order=2)
    for title, column in [
        ("星级窗口评选揭晓", stars),
        ("一件事改革提速", news),
        ("帮办代办服务上线", news),
    ]:
        factories.add_page(
            issue,
            MagazineArticlePage(title=title, column=column, body=[("paragraph", "<p>正文</p>")]),
        )
    grouped = [
        (column.name, [a.title for a in articles])
        for column, articles in issue.articles_by_column()
    ]
    assert grouped == [
        ("改革动态", ["一件事改革提速", "帮办代办服务上线"]),
        ("窗口之星", ["星级窗口评选揭晓"]),
    ]
    text = visible_text(client.get(issue.url).content.decode())
    assert text.index("改革动态") < text.index("一件事改革提速") < text.index("窗口之星")


def test_the_home_page_shows_high_frequency_items_and_latest_policies_but_no_drafts(client):
    factories.guide(title="高频的公开事项", high_frequency=True)
    factories.guide(title="高频的草稿事项", high_frequency=True, live=False)
    factories.policy(title="最新的政策文件", issued_on=datetime.date(2026, 11, 1))
    text = visible_text(client.get("/").content.decode())
    assert "高频的公开事项" in text and "最新的政策文件" in text
    assert "高频的草稿事项" not in text
