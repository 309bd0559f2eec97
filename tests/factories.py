"""Builders for test content: each returns saved, published objects with realistic values.

Plain functions rather than factory classes: a reader sees every value a test relies on.
"""

import datetime
import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from cms.choices import Honour
from cms.models import (
    CatalogueIndexPage,
    Department,
    GalleryHonour,
    GalleryIndexPage,
    GalleryPage,
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    HomePage,
    MagazineArticlePage,
    MagazineColumn,
    MagazineIssuePage,
    MagazinePage,
    Material,
    OneThingIndexPage,
    OneThingItem,
    OneThingPage,
    PolicyIndexPage,
    PolicyPage,
    ServiceGuidePage,
    ServiceWindow,
    SpecialStep,
    Theme,
)

_sequence = itertools.count(1)


def home():
    return HomePage.objects.get()


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_page(parent, page, live=True):
    parent.add_child(instance=page)
    if live:
        return publish(page)
    page.live = False
    page.save_revision()
    Page.objects.filter(pk=page.pk).update(live=False)
    page.refresh_from_db()
    return page


def catalogue():
    existing = CatalogueIndexPage.objects.first()
    return existing or add_page(home(), CatalogueIndexPage(title="办事指南"))


def policy_index():
    existing = PolicyIndexPage.objects.first()
    return existing or add_page(home(), PolicyIndexPage(title="政策文件"))


def department(**overrides):
    n = next(_sequence)
    values = {"code": f"D{n:03d}", "name": f"市场监督管理局{n}", "phone": "0535-1234567"}
    values.update(overrides)
    return Department.objects.create(**values)


def window(dept=None, **overrides):
    n = next(_sequence)
    values = {"number": f"A{n:02d}", "name": "商事登记综合窗口", "zone": "A区 商事登记"}
    values.update(overrides)
    obj = ServiceWindow.objects.create(**values)
    if dept:
        obj.departments.add(dept)
        obj.save()  # a cluster relation (cms.models.snippets.ServiceWindow) is written by save()
    return obj


def material(**overrides):
    n = next(_sequence)
    values = {"code": f"M{n:04d}", "name": f"材料{n}", "form": "original", "source": "申请人自备"}
    values.update(overrides)
    return Material.objects.create(**values)


def policy(live=True, **overrides):
    n = next(_sequence)
    values = {
        "title": f"关于深化政务服务改革的通知{n}",
        "document_number": f"示政发〔2024〕{n}号",
        "issuer": "示范市人民政府",
        "issued_on": datetime.date(2024, 3, 1),
        "effective_on": datetime.date(2024, 4, 1),
        "body": "<p>为进一步优化营商环境，现就有关事项通知如下。</p>",
    }
    values.update(overrides)
    return add_page(policy_index(), PolicyPage(**values), live=live)


def user(username, group_name=None, superuser=False):
    model = get_user_model()
    if superuser:
        account = model.objects.create_superuser(
            username, f"{username}@example.gov.cn", "pw-123456"
        )
    else:
        account = model.objects.create_user(username, f"{username}@example.gov.cn", "pw-123456")
    if group_name:
        account.groups.add(Group.objects.get(name=group_name))
    return account


def guide(live=True, parent=None, **overrides):
    """A guide with every standard element filled, two situations and two materials."""
    n = next(_sequence)
    dept = overrides.pop("department", None) or department()
    id_card = material(name="居民身份证", form="original")
    form = material(
        name="企业设立登记申请书", form="original_and_copy", source="窗口领取或网上下载"
    )
    values = {
        "title": f"企业设立登记{n}",
        "basic_code": "000116007000",
        "implementation_code": f"37060000MB-XK-{n:04d}",
        "sub_item": "有限责任公司设立登记",
        "handling_case": "new",
        "popular_names": "开公司、办执照",
        "summary": "申请设立有限责任公司，领取营业执照。",
        "item_type": "permit",
        "exercise_level": "municipal",
        "department": dept,
        "audience": "legal",
        "applicant_scope": "拟设立有限责任公司的投资人",
        "conditions": "<p>名称经申报无重复；有符合章程规定的股东。</p>",
        "refusal_grounds": "申请材料存在虚假内容的，不予受理。",
        "quantity_limit": "无数量限制",
        "online_url": "https://zwfw.example.gov.cn/apply/qysl",
        "app_channel": "“爱山东”App",
        "kiosk_available": True,
        "office_address": "示范市民之家二楼B区",
        "office_hours": "周一至周五 9:00-17:00",
        "saturday_service": True,
        "legal_days": 15,
        "promised_days": 1,
        "charges_fee": True,
        "fee_standard": "工本费10元/本",
        "fee_basis": "《关于核定证照工本费的通知》",
        "result_name": "营业执照",
        "delivery_window": True,
        "delivery_locker": True,
        "delivery_post": True,
        "enquiry_phone": "0535-6661234",
        "complaint_phone": "0535-12345",
        "visits_required": 0,
        "status_url": "https://zwfw.example.gov.cn/status",
        "run_at_most_once": True,
        "zero_visit": True,
        "instant": False,
        "citywide": True,
        "nearby": True,
        "tolerance_acceptance": True,
        "high_frequency": True,
    }
    basis_policy = overrides.pop("basis_policy", None)
    values.update(overrides)
    page = ServiceGuidePage(**values)
    page.legal_bases = [
        GuideLegalBasis(
            kind="creation",
            title="《中华人民共和国公司法》",
            article="第二十九条",
            policy=basis_policy,
        ),
        GuideLegalBasis(
            kind="implementation", title="《中华人民共和国市场主体登记管理条例》", article="第三条"
        ),
    ]
    page.materials = [
        # sort_order as the admin's InlinePanel sets it: rows tied at NULL come back in any
        # order on PostgreSQL.
        GuideMaterial(
            sort_order=0,
            material=id_card,
            copies=1,
            requirement="required",
            legal_basis="《市场主体登记管理条例》第十六条",
        ),
        GuideMaterial(
            sort_order=1,
            material=form,
            copies=2,
            requirement="conditional",
            condition="委托代理人办理时提交",
        ),
    ]
    first = HandlingSituation(
        name="自然人独资设立", description="一名自然人股东", promised_days=0, legal_days=15, fee=""
    )
    first.materials = [id_card]
    second = HandlingSituation(name="委托代理人办理", promised_days=1, fee="工本费10元/本（代理）")
    second.materials = [id_card, form]
    page.situations = [first, second]
    page.steps = [
        GuideStep(
            name="受理", description="窗口核验材料", handler="窗口工作人员", time_limit="即时"
        ),
        GuideStep(
            name="决定", description="作出准予登记决定", handler="审批科", time_limit="1个工作日"
        ),
    ]
    page.special_steps = [
        SpecialStep(name="名称争议处理", days=5, counted_in_limit=False, description="名称有争议时")
    ]
    page.faqs = [GuideFAQ(question="可以全程网上办理吗？", answer="可以，通过网上办理地址提交。")]
    theme, _ = Theme.objects.get_or_create(slug="qiye-kaiban", defaults={"name": "企业开办"})
    page.themes = [theme]
    page.windows = [window(dept)]
    return add_page(parent or catalogue(), page, live=live)


def bundle(guides, live=True, **overrides):
    """A one-thing bundle (一件事) of `guides`, in that order."""
    index = OneThingIndexPage.objects.first() or add_page(
        home(), OneThingIndexPage(title="一件事一次办")
    )
    values = {"title": "开办企业一件事", "life_event": "从领执照到刻章、开户、社保登记"}
    values.update(overrides)
    page = OneThingPage(**values)
    page.items = [OneThingItem(sort_order=n, guide=guide) for n, guide in enumerate(guides)]
    return add_page(index, page, live=live)


# --- the e-magazine -------------------------------------------------------------------
# Imported here rather than at the top only because this section was appended to the file.


def image(title="窗口工作照", size=(64, 48), colour="#c8102e"):
    """A saved Wagtail image: a plain PNG of `size` (width, height) in pixels."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    n = next(_sequence)
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"image-{n}.png")
    )


def magazine(**overrides):
    values = {
        "title": "政务服务",
        "intro": "示范市政务服务中心主办的内部刊物。",
        "sponsor": "示范市政务服务管理办公室",
    }
    values.update(overrides)
    return add_page(home(), MagazinePage(**values))


def magazine_column(name, sort_order=100):
    return MagazineColumn.objects.get_or_create(name=name, defaults={"sort_order": sort_order})[0]


def magazine_issue(parent=None, live=True, **overrides):
    """2026年第3期（总第27期）, under `parent` or a new magazine."""
    values = {
        "title": "2026年第3期",
        "issue_number": 3,
        "total_number": 27,
        "published_on": datetime.date(2026, 9, 1),
        "editors_note": "本期聚焦“一件事一次办”改革。\n感谢各窗口同志的辛勤付出。",
    }
    values.update(overrides)
    return add_page(parent or magazine(), MagazineIssuePage(**values), live=live)


def magazine_article(issue, column, live=True, **overrides):
    """An article with a paragraph and a quote; pass `body=[...]` for other blocks."""
    n = next(_sequence)
    values = {
        "title": f"窗口服务提速增效{n}",
        "column": column,
        "author": "本刊记者",
        "summary": "综合受理窗口推行帮办代办，群众办事时间平均缩短一半。",
        "body": [
            ("paragraph", "<p>今年以来，市政务服务中心持续深化“一窗受理”改革。</p>"),
            ("quote", {"text": "现在来大厅办事，一次就办好了。", "source": "办事群众"}),
        ],
    }
    values.update(overrides)
    return add_page(issue, MagazineArticlePage(**values), live=live)


def gallery(photos=3, **overrides):
    """A gallery (窗口风采) showing `photos` images of a collection of its own, the first
    photo with a 服务之星 honour, under the one gallery index."""
    index = GalleryIndexPage.objects.first() or add_page(home(), GalleryIndexPage(title="窗口风采"))
    collection = Collection.get_first_root_node().add_child(name=f"窗口风采{next(_sequence)}")
    pictures = []
    for n in range(photos):
        picture = image(f"窗口工作照{n + 1}")
        picture.collection = collection
        picture.save()
        pictures.append(picture)
    values = {"title": "服务之星风采", "intro": "记录窗口工作人员的日常服务。"}
    values.update(overrides)
    page = GalleryPage(collection=collection, **values)
    if pictures:
        page.honours.add(GalleryHonour(image=pictures[0], honour=Honour.SERVICE_STAR))
    return add_page(index, page)
