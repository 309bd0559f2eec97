"""Creates the demo centre through Wagtail, one section at a time.

Every record is looked up by its natural key first (department code, window number, material
code, theme name, username, implementation code, a page's title under its parent) and only
created when missing; nothing that exists is changed. So a second run creates nothing, and a
run interrupted half-way (each section is one transaction) is completed by the next one.

Pages go through the editorial path a person would take: `parent.add_child()`, then
`save_revision()` by the editor and `publish()` by the reviewer, so each page is live with one
revision and one publish log entry.
"""

import datetime
import hashlib
import io
import sys
from collections import Counter

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from tqdm import tqdm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import LogContext
from wagtail.models import Collection, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.models import (
    GalleryHonour,
    GalleryPage,
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    HomePage,
    MagazineArticlePage,
    MagazineIssuePage,
    MagazinePage,
    OneThingItem,
    OneThingPage,
    PolicyAttachment,
    PolicyPage,
    ServiceGuidePage,
    SpecialStep,
)
from cms.models.mixins import pinyin_slug
from demo.site import data, images, specs
from demo.site.catalogue import BUNDLES
from demo.site.content import (
    ANNEXES,
    COVERS_COLLECTION,
    FLOWCHART_COLLECTION,
    FLOWCHARTS,
    INDEX_MODELS,
    PDF_ANNEXES,
    POLICY_COLLECTION,
    SAMPLES_COLLECTION,
    annex_pdf_html,
    annex_workbook,
    article_block,
    basis_title,
    honour_citation,
    policy_body,
)
from demo.site.reference import ReferenceData
from demo.site.texts import GALLERIES, MAGAZINE_ISSUES, POLICIES
from publications.pdf import PdfUnavailable, html_to_pdf


class DemoBuilder(ReferenceData):
    def __init__(self, stdout=None, verbosity=1):
        self.stdout = stdout or sys.stdout
        self.verbosity = verbosity
        self.created = Counter()

    # --- helpers ---------------------------------------------------------------------

    def say(self, message, level=1):
        if self.verbosity >= level:
            self.stdout.write(message)

    def progress(self, items, description):
        return tqdm(
            items,
            desc=description,
            disable=self.verbosity < 1 or not items,
            mininterval=0.5,
            leave=False,
            unit="页",
            file=sys.stderr,
        )

    def publish_child(self, parent, page):
        """Add a page under its parent, save a revision as the editor and publish it as the
        reviewer: the same records an editor and a reviewer leave in the admin.

        Wagtail re-indexes a page's references on every save of every child row (a guide
        has ~30), which is half the load time; we index each page once instead, after it
        is published, with the same function the signal handler calls.
        """
        with disable_reference_index_auto_update():
            with LogContext(user=self.editor):  # Page.save() logs "wagtail.create"
                parent.add_child(instance=page)
            page.save_revision(user=self.editor).publish(user=self.reviewer)
        ReferenceIndex.create_or_update_for_object(page)
        self.created[type(page).__name__] += 1
        return page

    def collection(self, name):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=name).first()
        if existing:
            return existing
        self.created["Collection"] += 1
        return root.add_child(name=name)

    def document(self, title, filename, content, collection):
        Document = get_document_model()
        existing = Document.objects.filter(title=title, collection=collection).first()
        if existing:
            return existing
        document = Document(title=title, collection=collection, uploaded_by_user=self.editor)
        document.file.save(filename, ContentFile(content), save=False)
        document.file_size = len(content)
        document.file_hash = hashlib.sha1(content).hexdigest()
        document.save()
        self.created["Document"] += 1
        return document

    def image(self, title, filename, content, collection):
        Image = get_image_model()
        existing = Image.objects.filter(title=title, collection=collection).first()
        if existing:
            return existing
        width, height = PILImage.open(io.BytesIO(content)).size
        image = Image(title=title, collection=collection, uploaded_by_user=self.editor)
        image.file.save(filename, ContentFile(content), save=False)
        # Set after the file: assigning it resets the dimension fields.
        image.width, image.height = width, height
        image.file_size = len(content)
        image.file_hash = hashlib.sha1(content).hexdigest()
        image.save()
        self.created["Image"] += 1
        return image

    # --- the run ---------------------------------------------------------------------

    def build(self):
        self.home = HomePage.objects.first()
        if self.home is None:
            raise CommandError("找不到站点首页（HomePage）。请先运行 `manage.py migrate`。")
        steps = (
            ("用户", self.ensure_users),
            ("部门、窗口、主题", self.ensure_reference_data),
            ("材料目录", self.ensure_materials),
            ("栏目页", self.ensure_indexes),
            ("政策文件", self.ensure_policies),
            ("办事指南", self.ensure_guides),
            ("一件事", self.ensure_bundles),
            ("窗口风采", self.ensure_galleries),
            ("电子刊物", self.ensure_magazine),
            ("首页", self.ensure_home),
            ("编辑待办", self.ensure_pending_work),
        )
        for label, step in steps:
            self.say(f"· {label}", level=2)
            with transaction.atomic():
                step()
        return self.created

    def ensure_indexes(self):
        self.indexes = {}
        for model_name, (title, intro) in data.INDEXES.items():
            model = INDEX_MODELS[model_name]
            page = model.objects.child_of(self.home).first()
            if page is None:
                page = model(title=title, intro=intro)
                if model is MagazinePage:
                    page.sponsor = data.MAGAZINE_SPONSOR
                self.publish_child(self.home, page)
            self.indexes[model_name] = page

    def ensure_policies(self):
        index = self.indexes["PolicyIndexPage"]
        pages = {page.title: page for page in PolicyPage.objects.child_of(index)}
        by_key = {policy.key: policy for policy in POLICIES}
        # Documents that replace others first, so `superseded_by` can point at a live page.
        ordered = sorted(POLICIES, key=lambda policy: bool(policy.superseded_by))
        missing = [policy for policy in ordered if policy.title not in pages]
        for policy in self.progress(missing, "政策文件"):
            superseded_by = (
                pages.get(by_key[policy.superseded_by].title) if policy.superseded_by else None
            )
            page = PolicyPage(
                title=policy.title,
                document_number=policy.number,
                issuer=policy.issuer,
                issued_on=policy.issued,
                effective_on=policy.effective,
                validity=policy.validity,
                validity_note=policy.note,
                superseded_by=superseded_by,
                summary=policy.summary,
                body=policy_body(policy),
            )
            if policy.key in ANNEXES:
                collection = self.collection(POLICY_COLLECTION)
                document = self.document(
                    f"{policy.title}{ANNEXES[policy.key][2:]}",
                    f"{pinyin_slug(policy.number) or policy.key}-annex.xlsx",
                    annex_workbook(policy.key),
                    collection,
                )
                page.attachments = [PolicyAttachment(title=ANNEXES[policy.key], document=document)]
            if policy.key in PDF_ANNEXES:
                page.attachments = self.pdf_annexes(policy)
            pages[policy.title] = self.publish_child(index, page)
        self.policies = {policy.key: pages[policy.title] for policy in POLICIES}

    def pdf_annexes(self, policy):
        """The policy's PDF annex, laid out by the product's PDF renderer; none where this
        machine cannot render (no WeasyPrint libraries or CJK font: `manage.py check` says
        which), so the demo still loads."""
        try:
            rendered = html_to_pdf(
                annex_pdf_html(policy.key), base_url=settings.WAGTAILADMIN_BASE_URL
            )
        except PdfUnavailable as error:
            self.say(f"  未生成 PDF 附件：{error}", level=1)
            return []
        document = self.document(
            f"{policy.title}{PDF_ANNEXES[policy.key][2:]}",
            f"{pinyin_slug(policy.number) or policy.key}-annex.pdf",
            rendered.data,
            self.collection(POLICY_COLLECTION),
        )
        return [PolicyAttachment(title=PDF_ANNEXES[policy.key], document=document)]

    def ensure_guides(self):
        index = self.indexes["CatalogueIndexPage"]
        all_specs = specs.guide_specs()
        existing = set(
            ServiceGuidePage.objects.filter(
                implementation_code__in=[s.implementation_code for s in all_specs]
            ).values_list("implementation_code", flat=True)
        )
        missing = [spec for spec in all_specs if spec.implementation_code not in existing]
        if missing:
            charts = self.collection(FLOWCHART_COLLECTION)
            self.flowcharts = {
                kind: self.image(title, f"flowchart-{kind}.png", images.flowchart(steps, i), charts)
                for i, (kind, (title, steps)) in enumerate(FLOWCHARTS.items())
            }
            self.result_samples = {}
        for spec in self.progress(missing, "办事指南"):
            self.publish_child(index, self.guide_page(spec))

    def result_sample(self, result_name):
        if result_name not in self.result_samples:
            collection = self.collection(SAMPLES_COLLECTION)
            self.result_samples[result_name] = self.document(
                f"{result_name}（样本）",
                f"sample-{pinyin_slug(result_name)[:40]}.pdf",
                images.certificate_sample(result_name),
                collection,
            )
        return self.result_samples[result_name]

    def guide_page(self, spec):
        materials = self.materials
        if spec.special_steps:
            flowchart = self.flowcharts["special"]
        else:
            flowchart = self.flowcharts["instant" if spec.instant else "standard"]
        return ServiceGuidePage(
            title=spec.title,
            implementation_code=spec.implementation_code,
            basic_code=spec.basic_code,
            handling_case=spec.handling_case,
            popular_names=spec.popular_names,
            summary=spec.summary,
            item_type=spec.item_type,
            department=self.departments[spec.department],
            audience=spec.audience,
            applicant_scope=spec.applicant_scope,
            conditions=spec.conditions,
            refusal_grounds=spec.refusal_grounds,
            flowchart=flowchart,
            online_url=spec.online_url,
            app_channel=data.APP_CHANNEL if spec.zero_visit else "“示范通”App预约取号",
            kiosk_available=spec.kiosk_available,
            office_address=spec.office_address,
            office_hours=spec.office_hours,
            saturday_service=spec.saturday_service,
            legal_days=spec.legal_days,
            promised_days=spec.promised_days,
            charges_fee=spec.charges_fee,
            fee_standard=spec.fee_standard,
            fee_basis=spec.fee_basis,
            result_name=spec.result_name,
            result_sample=self.result_sample(spec.result_name) if spec.high_frequency else None,
            delivery_window=True,
            delivery_locker=spec.delivery_locker,
            delivery_post=spec.delivery_post,
            enquiry_phone=spec.enquiry_phone,
            complaint_phone=specs.COMPLAINT_PHONE,
            visits_required=spec.visits_required,
            status_url=f"{data.ONLINE_BASE}/progress",
            run_at_most_once=spec.run_at_most_once,
            zero_visit=spec.zero_visit,
            instant=spec.instant,
            citywide=spec.citywide,
            nearby=spec.nearby,
            tolerance_acceptance=spec.tolerance_acceptance,
            high_frequency=spec.high_frequency,
            themes=[self.themes[name] for name in spec.themes],
            windows=[self.windows[number] for number in spec.windows],
            materials=[
                GuideMaterial(
                    material=materials[key],
                    copies=copies,
                    requirement=requirement,
                    condition=condition,
                    legal_basis=basis,
                )
                for key, copies, requirement, condition, basis in spec.materials
            ],
            situations=[
                HandlingSituation(
                    name=name,
                    description=description,
                    materials=[materials[key] for key in keys],
                    promised_days=promised,
                    legal_days=legal,
                    fee=fee,
                )
                for name, description, keys, promised, legal, fee in spec.situations
            ],
            legal_bases=[
                GuideLegalBasis(
                    kind=kind,
                    title=basis_title(self.policies[key]),
                    article=specs.policies()[key].article,
                    policy=self.policies[key],
                )
                for kind, key in spec.bases
            ],
            steps=[
                GuideStep(name=name, description=description, handler=handler, time_limit=limit)
                for name, description, handler, limit in spec.steps
            ],
            special_steps=[
                SpecialStep(name=name, days=days, counted_in_limit=counted, description=text)
                for name, days, counted, text in spec.special_steps
            ],
            faqs=[GuideFAQ(question=q, answer=a) for q, a in spec.faqs],
        )

    def ensure_bundles(self):
        index = self.indexes["OneThingIndexPage"]
        existing = set(OneThingPage.objects.child_of(index).values_list("title", flat=True))
        guides = {
            page.title: page
            for page in ServiceGuidePage.objects.filter(
                implementation_code__in=[s.implementation_code for s in specs.guide_specs()]
            )
        }
        for title, event, audience, window_note, guide_titles, paragraphs in BUNDLES:
            if title in existing:
                continue
            missing = [t for t in guide_titles if t not in guides]
            if missing:
                raise CommandError(f"“{title}”引用的事项不存在：{'、'.join(missing)}")
            body = "".join(f"<p>{text}</p>" for text in paragraphs)
            self.publish_child(
                index,
                OneThingPage(
                    title=title,
                    life_event=event,
                    audience=audience,
                    window_note=window_note,
                    body=body,
                    items=[OneThingItem(guide=guides[t]) for t in guide_titles],
                ),
            )

    def ensure_galleries(self):
        index = self.indexes["GalleryIndexPage"]
        pages = {page.title: page for page in GalleryPage.objects.child_of(index)}
        self.galleries = []
        for number, (title, collection_name, intro, photos) in enumerate(GALLERIES, start=1):
            if title in pages:
                self.galleries.append(pages[title])
                continue
            collection = self.collection(collection_name)
            honours = []
            for position, (caption, honour, window, awarded_on) in enumerate(photos, start=1):
                image = self.image(
                    caption,
                    f"gallery-{number}-{position}.jpg",
                    images.window_photo(caption, window, seed=number * 100 + position),
                    collection,
                )
                if honour:
                    honours.append(
                        GalleryHonour(
                            image=image,
                            honour=honour,
                            window=self.windows.get(window),
                            awarded_on=awarded_on,
                            citation=honour_citation(honour, awarded_on),
                        )
                    )
            page = GalleryPage(title=title, collection=collection, intro=intro, honours=honours)
            self.galleries.append(self.publish_child(index, page))

    def ensure_magazine(self):
        magazine = self.indexes["MagazinePage"]
        issues = {page.title: page for page in MagazineIssuePage.objects.child_of(magazine)}
        covers = None
        for title, number, total, published_on, note, articles in MAGAZINE_ISSUES:
            issue = issues.get(title)
            if issue is None:
                covers = covers or self.collection(COVERS_COLLECTION)
                cover = self.image(
                    f"《示范政务》{title}封面",
                    f"cover-{published_on:%Y}-{number}.jpg",
                    images.magazine_cover("示范政务", title, seed=total),
                    covers,
                )
                issue = self.publish_child(
                    magazine,
                    MagazineIssuePage(
                        title=title,
                        issue_number=number,
                        total_number=total,
                        published_on=published_on,
                        cover=cover,
                        editors_note=note,
                    ),
                )
            existing = set(
                MagazineArticlePage.objects.child_of(issue).values_list("title", flat=True)
            )
            for position, (column, article_title, author, summary, blocks) in enumerate(articles):
                if article_title in existing:
                    continue
                body = [article_block(block) for block in blocks]
                if position == 0 and self.galleries:
                    # The lead article shows a photo from the window galleries.
                    gallery = self.galleries[total % len(self.galleries)]
                    photo = gallery.images().order_by("pk").first()
                    if photo:
                        body.insert(1, ("image", {"image": photo, "caption": photo.title}))
                self.publish_child(
                    issue,
                    MagazineArticlePage(
                        title=article_title,
                        column=self.columns[column],
                        author=author,
                        summary=summary,
                        body=body,
                    ),
                )

    def ensure_home(self):
        """Fill the home page's empty fields only: an editor's own text is never overwritten,
        and a second run saves no new revision."""
        home = HomePage.objects.get(pk=self.home.pk)
        changed = False
        for name, value in data.HOME.items():
            if not getattr(home, name):
                setattr(home, name, value)
                changed = True
        if home.featured_gallery_id is None and self.galleries:
            home.featured_gallery = self.galleries[-1]
            changed = True
        if changed:
            home.save_revision(user=self.editor).publish(user=self.reviewer)
            self.created["HomePage"] += 1

    def ensure_pending_work(self):
        """What the demo editor and reviewer find on their admin home: a draft of the
        editor's, a draft the editor sent for review, and guides past their review date
        (定期复核; published 13 months ago). The last guides of the catalogue, which no other
        part of the demo points at. Once: with any draft of a guide there, nothing is done."""
        if ServiceGuidePage.objects.filter(has_unpublished_changes=True).exists():
            return
        # Bulk guides (load_demo --guides) have no revision: not theirs.
        guides = list(
            ServiceGuidePage.objects.live()
            .filter(live_revision__isnull=False)
            .order_by("-path")[:4]
        )
        if len(guides) < 4:
            return
        draft, in_review, *due = guides
        for guide, note in ((draft, "编辑草稿"), (in_review, "待审核")):
            guide.promised_days = max(1, guide.promised_days - 1)  # 承诺时限压缩一天
            guide.save_revision(user=self.editor, log_action=True)
            self.created[f"{note}指南"] += 1
        in_review.get_workflow().start(in_review, self.editor)
        long_ago = timezone.now() - datetime.timedelta(days=400)
        ServiceGuidePage.objects.filter(pk__in=[g.pk for g in due]).update(
            last_published_at=long_ago
        )
