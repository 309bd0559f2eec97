"""`manage.py load_demo`: a complete, realistic demo centre, idempotent; `--guides N` adds
valid, servable pages in bulk.

The real default demo is loaded once for the module (it takes most of this file's run time)
inside a transaction that is rolled back at the end, so other test modules start from an
empty catalogue as usual. Each test runs in its own savepoint on top of it.
"""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageLogEntry, Revision, WorkflowState

from cms.audit.scoring import audit_guides, summary
from cms.choices import Validity
from cms.models import (
    CatalogueIndexPage,
    Department,
    GalleryPage,
    GuideLegalBasis,
    GuideMaterial,
    HandlingSituation,
    HomePage,
    MagazineArticlePage,
    MagazineIssuePage,
    MagazinePage,
    Material,
    OneThingPage,
    PolicyPage,
    ServiceGuidePage,
    ServiceWindow,
    Theme,
)
from demo.site import data, images
from demo.site.content import annex_pdf_html
from publications.pdf import html_to_pdf
from search import index
from search import query as search_query
from search.backends import get_search_backend
from search.query import SearchRequest

IMPLEMENTATION_CODE = re.compile(r"^\d{10}-[A-Z]{2}-\d{4}$")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", verbosity=1, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def demo_guides():
    return ServiceGuidePage.objects.exclude(implementation_code__startswith="BENCH-")


def counts():
    models = (
        Page,
        Revision,
        PageLogEntry,
        Department,
        ServiceWindow,
        Theme,
        Material,
        GuideMaterial,
        HandlingSituation,
        Collection,
        get_image_model(),
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_default_demo_has_the_required_counts(demo):
    assert Department.objects.count() >= 12
    assert ServiceWindow.objects.count() == 56
    assert ServiceWindow.objects.values("zone").distinct().count() == 10
    assert Theme.objects.count() >= 12
    assert demo_guides().live().count() >= 300
    assert OneThingPage.objects.live().count() >= 10
    assert PolicyPage.objects.live().count() >= 40
    assert PolicyPage.objects.filter(validity=Validity.REPEALED).exists()
    assert PolicyPage.objects.filter(validity=Validity.AMENDED).exists()
    assert GalleryPage.objects.live().count() == 3
    assert MagazinePage.objects.live().count() == 1
    assert MagazineIssuePage.objects.live().count() == 3


@pytest.mark.django_db
def test_index_pages_sit_under_the_home_page(demo):
    home = HomePage.objects.get()
    titles = set(home.get_children().values_list("title", flat=True))
    assert titles == {"办事指南", "一件事一次办", "政策文件", "窗口风采", "电子刊物"}
    catalogue = CatalogueIndexPage.objects.get()
    assert demo_guides().child_of(catalogue).count() == demo_guides().count()


@pytest.mark.django_db
def test_materials_are_one_record_shared_by_many_guides(demo):
    def guides_asking_for(name):
        return GuideMaterial.objects.filter(material__name=name).values("guide").distinct().count()

    assert Material.objects.filter(name="居民身份证").count() == 1
    assert guides_asking_for("居民身份证") >= 50
    assert guides_asking_for("营业执照") >= 30
    assert guides_asking_for("不动产权证书") >= 10
    assert GuideMaterial.objects.count() > 3 * Material.objects.count()


@pytest.mark.django_db
def test_every_guide_has_situations_materials_steps_and_policy_bases(demo):
    guides = demo_guides().annotate(
        n_situations=Count("situations", distinct=True),
        n_bases=Count("legal_bases", distinct=True),
        n_steps=Count("steps", distinct=True),
        n_faqs=Count("faqs", distinct=True),
    )
    assert not guides.filter(n_situations__lt=2).exists()
    assert not guides.filter(n_situations__gt=4).exists()
    assert not guides.filter(n_bases__lt=2).exists()
    assert not guides.filter(n_steps__lt=4).exists()
    assert not guides.filter(n_faqs=0).exists()
    assert not GuideLegalBasis.objects.filter(policy__isnull=True).exists()
    assert (
        not demo_guides().filter(Q(conditions="") | Q(refusal_grounds="") | Q(summary="")).exists()
    )
    # A situation asks only for materials its guide lists, and each material is listed once.
    for guide in demo_guides().prefetch_related("materials", "situations__materials"):
        listed = [row.material_id for row in guide.materials.all()]
        assert len(listed) == len(set(listed)), guide.title
        for situation in guide.situations.all():
            asked = {material.pk for material in situation.materials.all()}
            assert asked and asked <= set(listed), (guide.title, situation.name)


@pytest.mark.django_db
def test_flags_and_time_limits_have_believable_shares(demo):
    guides = demo_guides()
    total = guides.count()
    rows = list(guides.values_list("legal_days", "promised_days"))
    assert all(promised <= legal for legal, promised in rows)
    compression = 1 - sum(p for _, p in rows) / sum(legal for legal, _ in rows)
    assert compression >= 0.9
    assert 0.4 <= guides.filter(instant=True).count() / total <= 0.85
    assert guides.filter(run_at_most_once=True).count() / total >= 0.85
    assert 0.35 <= guides.filter(zero_visit=True).count() / total <= 0.65
    assert 20 <= guides.filter(high_frequency=True).count() <= 80
    assert all(
        IMPLEMENTATION_CODE.match(code)
        for code in guides.values_list("implementation_code", flat=True)
    )
    # Each handling case is its own guide with its own name (新办/变更/延续/注销).
    assert guides.values("title").distinct().count() == total


@pytest.mark.django_db
def test_the_audit_finds_the_gaps_the_demo_keeps_on_purpose(demo):
    audits = audit_guides(demo_guides())
    failing = {a.guide.implementation_code: sorted(a.failed_rules) for a in audits if a.findings}
    assert failing == {
        "3799015001-XK-0004": ["elements", "materials"],  # demo/site/gaps.py
        "3799016001-XK-0009": ["elements", "legal_bases"],
        "3799002001-QR-0015": ["fees", "time_limits"],
        "3799006001-GG-0005": ["legal_bases"],  # cite a repealed regulation
        "3799009001-XK-0005": ["legal_bases"],
        "3799009001-XK-0006": ["legal_bases"],
        "3799009001-XK-0007": ["legal_bases"],
    }
    assert summary(audits)["mean_score"] == 99.5


@pytest.mark.django_db
def test_every_demo_page_is_live_with_a_published_revision(demo):
    pages = Page.objects.filter(depth__gt=1)
    assert not pages.filter(live=False).exists()
    assert not pages.filter(live_revision__isnull=True).exists()
    # The demo editor's pending work (DemoBuilder.ensure_pending_work): two drafts of guides,
    # one of them in review.
    drafts = pages.filter(has_unpublished_changes=True)
    assert drafts.count() == 2
    assert {page.latest_revision.user.username for page in drafts} == {"editor"}
    assert WorkflowState.objects.active().count() == 1


@pytest.mark.django_db
def test_the_demo_editor_and_reviewer_find_their_pending_work_on_the_admin_home(demo, client):
    drafts = ServiceGuidePage.objects.filter(has_unpublished_changes=True)
    in_review = WorkflowState.objects.active().get().content_object
    draft = drafts.exclude(pk=in_review.pk).get()
    client.force_login(get_user_model().objects.get(username="editor"))
    editors_home = client.get("/admin/").content.decode()
    assert "我的草稿（1）" in editors_home and draft.title in editors_home
    assert in_review.title in editors_home  # my pages in review
    assert "逾期未复核的指南（2）" in editors_home
    client.force_login(get_user_model().objects.get(username="reviewer"))
    reviewers_home = client.get("/admin/").content.decode()
    assert "等待你的审查" in reviewers_home and in_review.title in reviewers_home


@pytest.mark.django_db
def test_bundles_policies_galleries_and_magazine_are_filled(demo):
    for bundle in OneThingPage.objects.all():
        assert bundle.items.count() >= 3, bundle.title
        assert bundle.merged_materials
    repealed = PolicyPage.objects.filter(validity=Validity.REPEALED, superseded_by__isnull=False)
    assert repealed.exists()
    policies = PolicyPage.objects.all()
    assert all(policy.body and policy.issuer and policy.issued_on for policy in policies)
    # Every document has a number (文号) except laws passed before numbering, like the 1958
    # household registration regulations.
    assert policies.filter(document_number="").count() <= 1
    collections = set()
    for gallery in GalleryPage.objects.all():
        collections.add(gallery.collection_id)
        assert gallery.images().count() >= 4
        assert gallery.honours.filter(window__isnull=False).exists()
    assert len(collections) == 3
    for issue in MagazineIssuePage.objects.all():
        assert issue.cover_id
        columns = issue.articles_by_column()
        assert len(columns) >= 3
    article = MagazineArticlePage.objects.first()
    assert [block.block_type for block in article.body].count("paragraph") >= 2
    home = HomePage.objects.get()
    assert home.hall_address and home.hall_hours and home.notice and home.hero_subtitle
    assert home.featured_gallery_id is not None


@pytest.mark.django_db
def test_a_demo_policy_is_found_by_a_word_only_its_pdf_annex_says(demo):
    policy = PolicyPage.objects.get(document_number="示医保规〔2022〕12号")
    document = policy.attachments.get().document
    assert document.file_extension == "pdf"
    assert "尿毒症" not in policy.body + policy.summary
    # The module's demo wrote its files under the first test's MEDIA_ROOT: the same PDF here.
    rendered = html_to_pdf(annex_pdf_html("mtb"), base_url=settings.WAGTAILADMIN_BASE_URL)
    document.file.storage.save(document.file.name, ContentFile(rendered.data))
    index.sync([policy.pk])
    results = get_search_backend().search(SearchRequest(search_query.parse("尿毒症透析")))
    assert not results.relaxed and [hit.title for hit in results.hits] == [policy.title]
    assert results.hits[0].highlight.startswith("附件《门诊慢特病病种目录及认定标准》：")


@pytest.mark.django_db
def test_demo_users_log_in_with_the_printed_passwords(demo, client):
    for user in data.USERS:
        assert f"用户名 {user.username}" in demo and user.password in demo
        # django-axes checks every authentication against its request (the login form has one).
        assert client.login(request=HttpRequest(), username=user.username, password=user.password)
        account = get_user_model().objects.get(username=user.username)
        assert account.last_name and account.first_name
        if user.group:
            assert account.groups.filter(name=user.group).exists()
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_a_second_run_creates_and_changes_nothing(demo):
    before = counts()
    home_revision = HomePage.objects.get().latest_revision_id
    out = io.StringIO()
    call_command("load_demo", verbosity=1, stdout=out)
    assert counts() == before
    assert HomePage.objects.get().latest_revision_id == home_revision
    assert "未作改动" in out.getvalue()


@pytest.mark.django_db
def test_demo_pages_serve(demo, client):
    for page in (
        HomePage.objects.get(),
        demo_guides().get(title="不动产转移登记"),
        OneThingPage.objects.first(),
        PolicyPage.objects.filter(validity=Validity.REPEALED).first(),
        GalleryPage.objects.first(),
        MagazineArticlePage.objects.first(),
    ):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()


@pytest.mark.django_db
def test_bulk_guides_are_added_with_a_valid_tree_and_serve(demo, client):
    catalogue = CatalogueIndexPage.objects.get()
    before = ServiceGuidePage.objects.count()
    revisions = Revision.objects.count()

    call_command("load_demo", guides=200, batch_size=64, verbosity=0)

    assert ServiceGuidePage.objects.count() == before + 200
    assert Revision.objects.count() == revisions  # bulk guides have no revisions
    assert Page.find_problems() == ([], [], [], [], [])
    catalogue.refresh_from_db()
    assert catalogue.numchild == catalogue.get_children().count()
    bulk = ServiceGuidePage.objects.filter(implementation_code__startswith="BENCH-")
    assert bulk.count() == 200
    assert bulk.values("title").distinct().count() > 100
    guide = bulk.order_by("path").last()
    assert guide.situations.count() >= 2 and guide.materials.exists()
    assert guide.legal_bases.filter(policy__isnull=False).exists()
    assert all(situation.materials.exists() for situation in guide.situations.all())
    response = client.get(guide.url)
    assert response.status_code == 200
    assert guide.title in response.content.decode()

    # A second bulk run numbers on: new codes, still a valid tree.
    call_command("load_demo", guides=20, verbosity=0)
    assert bulk.count() == 220
    assert bulk.values("implementation_code").distinct().count() == 220
    assert Page.find_problems() == ([], [], [], [], [])


def test_pictures_are_drawn_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(images, "FONT_DIRS", ())
    images.cjk_font_path.cache_clear()
    images.font.cache_clear()
    try:
        assert not images.has_cjk_font()
        assert images.window_photo("窗口风采", "A01").startswith(b"\xff\xd8")
        assert images.flowchart(["受理", "审查", "决定", "送达"]).startswith(b"\x89PNG")
        assert images.certificate_sample("营业执照").startswith(b"%PDF")
    finally:
        images.cjk_font_path.cache_clear()
        images.font.cache_clear()
