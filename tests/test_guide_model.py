"""The guide record itself: slugs, validation and the data every channel reads."""

import pytest
from django.core.exceptions import ValidationError

from cms.models import ServiceGuidePage
from cms.models.mixins import pinyin_slug
from tests import factories

pytestmark = pytest.mark.django_db


def test_pinyin_slug_is_readable_ascii_for_a_chinese_title():
    assert pinyin_slug("不动产登记") == "bu-dong-chan-deng-ji"
    assert pinyin_slug("营业执照2024版") == "ying-ye-zhi-zhao-2024-ban"
    assert pinyin_slug("🙂！") == ""


def test_a_chinese_titled_page_gets_a_pinyin_url():
    policy = factories.policy(title="关于优化营商环境的若干措施")
    assert policy.slug == "guan-yu-you-hua-ying-shang-huan-jing-de-ruo-gan-cuo-shi"
    assert policy.url.endswith("/guan-yu-you-hua-ying-shang-huan-jing-de-ruo-gan-cuo-shi/")


def test_two_pages_with_the_same_chinese_title_get_distinct_slugs():
    first = factories.policy(title="工作通知")
    second = factories.policy(title="工作通知")
    assert first.slug == "gong-zuo-tong-zhi"
    assert second.slug == "gong-zuo-tong-zhi-2"


def test_a_guide_url_is_its_implementation_code():
    guide = factories.guide(implementation_code="37060000MB-XK-0042")
    assert guide.slug == "37060000mb-xk-0042"


def test_promised_days_may_not_exceed_legal_days():
    guide = factories.guide()
    guide.promised_days = guide.legal_days + 1
    with pytest.raises(ValidationError) as error:
        guide.full_clean()
    assert "promised_days" in error.value.message_dict


def test_a_guide_that_charges_must_state_the_fee():
    guide = factories.guide()
    guide.charges_fee, guide.fee_standard = True, ""
    with pytest.raises(ValidationError) as error:
        guide.full_clean()
    assert "fee_standard" in error.value.message_dict


def test_compression_rate_is_the_share_of_the_legal_limit_saved():
    guide = factories.guide(legal_days=20, promised_days=1)
    assert guide.compression_rate == 95.0
    assert guide.promised_days_label == "1个工作日"
    assert ServiceGuidePage(legal_days=0, promised_days=0).promised_days_label == "当场办结"


def test_a_situation_shows_only_its_own_materials():
    guide = factories.guide()
    first, second = guide.situations.all()
    assert [row.name for row in guide.materials_for(first)] == ["居民身份证"]
    assert [row.name for row in guide.materials_for(second)] == ["居民身份证", "企业设立登记申请书"]
    assert len(guide.materials_for(None)) == 2


def test_a_guide_citing_a_repealed_policy_is_flagged():
    repealed = factories.policy(validity="repealed", validity_note="已被新规废止")
    guide = factories.guide(basis_policy=repealed)
    assert [basis.title for basis in guide.repealed_legal_bases] == ["《中华人民共和国公司法》"]
    assert factories.guide().repealed_legal_bases == []


def test_script_in_rich_text_is_removed_on_save():
    guide = factories.guide(
        conditions='<p>条件</p><script>alert(1)</script><a href="javascript:x()">链接</a>'
    )
    guide.refresh_from_db()
    assert "<script" not in guide.conditions
    assert "javascript:" not in guide.conditions
    assert "条件" in guide.conditions


def test_a_material_code_with_spaces_is_refused():
    from cms.models import Material

    with pytest.raises(ValidationError):
        Material(code="M 01", name="身份证").full_clean()


def test_a_legal_basis_links_only_to_a_policy_the_public_can_open():
    hidden = factories.policy(title="未发布的文件", live=False)
    public = factories.policy(title="已发布的文件")
    assert factories.guide(basis_policy=hidden).legal_bases.first().policy_url is None
    assert factories.guide(basis_policy=public).legal_bases.first().policy_url == public.url


def test_a_situation_reports_its_own_compression_rate():
    guide = factories.guide(legal_days=20, promised_days=2)
    first, second = guide.situations.all()  # first: 0 of 15 days, second: 1 of the guide's 20
    assert first.compression_rate == 100.0
    assert second.compression_rate == 95.0
