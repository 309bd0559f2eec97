"""Thousands of synthetic guides in minutes, for benchmarks (`load_demo --guides N`).

Creating a page through Wagtail costs a few dozen queries (tree insert, two saves, revision,
log entry, search index); 40,000 guides that way take an hour. Here the rows are written
directly, in batches of one transaction each:

1. Page paths are computed as treebeard would: each child's path is the parent's path plus
   one step of `Page.steplen` (4) characters in `Page.alphabet` (0-9A-Z), numbered after the
   parent's last child (`Page._get_path`, as `MP_AddChildHandler` does). The parent row is
   locked first (select_for_update), as treebeard locks it, so nothing else adds a child
   between reading the last path and writing ours.
2. The wagtailcore_page rows go in with `Page.objects.bulk_create`, which returns their ids.
3. Django refuses `bulk_create` for a multi-table-inherited model, so the cms_serviceguidepage
   rows go in with one `executemany`, built from the model's own local concrete fields and
   their `get_db_prep_save`, exactly the values `Model.save()` would write.
4. The child rows (materials, situations and their materials, legal bases, steps, special
   steps, FAQ, themes, windows) use ordinary `bulk_create`.
5. The parent's `numchild` grows by the batch size in the same transaction, so the tree is
   valid (`Page.find_problems()` is empty) after every committed batch.

What is deliberately skipped: revisions and log entries (the pages are live without a
revision, as pages created by a migration are; the editor's first save creates one), and
Wagtail's search index and reference index, which `manage.py update_index` and
`manage.py rebuild_references_index` fill when a benchmark needs them.

Bulk guides get implementation codes BENCH-<type>-<number>, numbered on from the highest
existing one, so every run adds new guides and never collides with the demo's own codes.
"""

import random
import re

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.models import (
    CatalogueIndexPage,
    Department,
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    Material,
    PolicyIndexPage,
    PolicyPage,
    ServiceGuidePage,
    ServiceWindow,
    SpecialStep,
    Theme,
)
from cms.models.mixins import pinyin_slug
from demo.site import data, specs
from demo.site.catalogue import GENERIC_SITUATIONS, ITEM_TYPES
from demo.site.content import FLOWCHARTS, policy_body

DEFAULT_BATCH_SIZE = 2000
CODE_PREFIX = "BENCH"
CODE_PATTERN = re.compile(rf"^{CODE_PREFIX}-[A-Z]{{2}}-(\d+)$")
ABBREVIATIONS = {key: abbr for abbr, key in ITEM_TYPES.items()}
# Fields of the wagtailcore_page row; the id comes back from the insert.
PAGE_FIELDS = [field for field in Page._meta.concrete_fields if not field.primary_key]
GUIDE_FIELDS = ServiceGuidePage._meta.local_concrete_fields
POLICY_FIELDS = PolicyPage._meta.local_concrete_fields
GENERIC_NAMES = {
    situation.name.format(applicant=word)
    for situations in GENERIC_SITUATIONS.values()
    for situation in situations
    for word in map(specs.applicant_word, ("person", "legal", "both"))
}


class References:
    """Ids of the records bulk guides point at, looked up once by natural key."""

    def __init__(self):
        catalogue = specs.material_catalogue()
        material_ids = dict(Material.objects.values_list("code", "pk"))
        self.materials = {key: material_ids[spec.code] for key, spec in catalogue.items()}
        department_ids = dict(Department.objects.values_list("code", "pk"))
        self.departments = {
            key: department_ids[dept.code] for key, dept in specs.departments().items()
        }
        self.themes = dict(Theme.objects.values_list("name", "pk"))
        self.windows = dict(ServiceWindow.objects.values_list("number", "pk"))
        policy_ids = dict(PolicyPage.objects.values_list("title", "pk"))
        self.policies = {key: policy_ids.get(p.title) for key, p in specs.policies().items()}
        titles = {title: kind for kind, (title, _steps) in FLOWCHARTS.items()}
        charts = get_image_model().objects.filter(title__in=titles).values_list("title", "pk")
        self.flowcharts = dict.fromkeys(FLOWCHARTS) | {titles[title]: pk for title, pk in charts}


def next_code_number():
    codes = ServiceGuidePage.objects.filter(
        implementation_code__startswith=f"{CODE_PREFIX}-"
    ).values_list("implementation_code", flat=True)
    numbers = [int(m.group(1)) for code in codes if (m := CODE_PATTERN.match(code))]
    return max(numbers, default=0) + 1


def exercise_level(district):
    return "township" if district.endswith(("镇", "街道")) else "county"


def synthetic_guide(template, number, rng, refs, content_type_id, locale_id, now):
    """An unsaved ServiceGuidePage made from a demo guide, moved to a district: varied
    titles, sub-items and addresses for search benchmarks; the same structure otherwise."""
    district = rng.choice(data.DISTRICTS)
    # A situation that names a real variant (赠与, 餐饮服务...) becomes the sub-item, and
    # sometimes part of the title; generic ones (委托代理人办理) do not.
    variants = [s[0] for s in template.situations if s[0] not in GENERIC_NAMES]
    sub_item = rng.choice(variants) if variants else ""
    if sub_item and rng.random() < 0.4:
        title = f"{template.title}（{sub_item}·{district}）"
    else:
        title = f"{district}{template.title}"
    code = f"{CODE_PREFIX}-{ABBREVIATIONS[template.item_type]}-{number:06d}"
    promised = min(
        template.legal_days, max(0, template.promised_days + rng.choice((0, 0, 0, 1, -1)))
    )
    if template.special_steps:
        flowchart = refs.flowcharts["special"]
    else:
        flowchart = refs.flowcharts["instant" if promised == 0 else "standard"]
    return ServiceGuidePage(
        content_type_id=content_type_id,
        locale_id=locale_id,
        title=title,
        draft_title=title,
        slug=pinyin_slug(code),
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        search_description=template.summary,
        implementation_code=code,
        basic_code=template.basic_code,
        sub_item=sub_item,
        handling_case=template.handling_case,
        popular_names=template.popular_names,
        summary=f"{district}：{template.summary}",
        item_type=template.item_type,
        exercise_level=exercise_level(district),
        department_id=refs.departments[template.department],
        audience=template.audience,
        applicant_scope=template.applicant_scope,
        conditions=template.conditions,
        refusal_grounds=template.refusal_grounds,
        flowchart_id=flowchart,
        online_url=template.online_url.replace(template.implementation_code, code),
        app_channel=data.APP_CHANNEL if template.zero_visit else "“示范通”App预约取号",
        kiosk_available=template.kiosk_available,
        office_address=f"示范市{district}政务服务中心 {template.office_address.split(' ', 1)[-1]}",
        office_hours=template.office_hours,
        saturday_service=template.saturday_service,
        legal_days=template.legal_days,
        promised_days=promised,
        charges_fee=template.charges_fee,
        fee_standard=template.fee_standard,
        fee_basis=template.fee_basis,
        result_name=template.result_name,
        delivery_locker=template.delivery_locker,
        delivery_post=template.delivery_post,
        enquiry_phone=template.enquiry_phone,
        complaint_phone=specs.COMPLAINT_PHONE,
        visits_required=template.visits_required,
        status_url=f"{data.ONLINE_BASE}/progress",
        run_at_most_once=template.run_at_most_once,
        zero_visit=template.zero_visit,
        instant=promised == 0,
        citywide=template.citywide,
        nearby=template.nearby,
        tolerance_acceptance=template.tolerance_acceptance,
        high_frequency=template.high_frequency and rng.random() < 0.2,
    )


def insert_specific_rows(model, fields, pages):
    """The rows of a page type's own table, written as `Model.save()` would write them."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    rows = [
        [field.get_db_prep_save(field.pre_save(page, True), connection) for field in fields]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def m2m_rows(model, field_name, pairs):
    """Rows of a (parental) many-to-many table from (source id, target id) pairs."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_column_name(), field.m2m_reverse_name()
    return through, [through(**{source: a, target: b}) for a, b in pairs]


def insert_children(guides, templates, refs):
    materials, situations, situation_keys, bases, steps, special, faqs = [], [], [], [], [], [], []
    themes, windows = [], []
    for guide, template in zip(guides, templates, strict=True):
        gid = guide.pk
        materials += [
            GuideMaterial(
                guide_id=gid,
                material_id=refs.materials[key],
                copies=copies,
                requirement=requirement,
                condition=condition,
                legal_basis=basis,
                sort_order=order,
            )
            for order, (key, copies, requirement, condition, basis) in enumerate(template.materials)
        ]
        for order, (name, description, keys, promised, legal, fee) in enumerate(
            template.situations
        ):
            situations.append(
                HandlingSituation(
                    guide_id=gid,
                    name=name,
                    description=description,
                    promised_days=min(promised, guide.legal_days),
                    legal_days=legal,
                    fee=fee,
                    sort_order=order,
                )
            )
            situation_keys.append(keys)
        policies = specs.policies()
        bases += [
            GuideLegalBasis(
                guide_id=gid,
                kind=kind,
                title=f"《{policies[key].title}》"
                + (f"（{policies[key].number}）" if policies[key].number else ""),
                article=policies[key].article,
                policy_id=refs.policies[key],
                sort_order=order,
            )
            for order, (kind, key) in enumerate(template.bases)
        ]
        steps += [
            GuideStep(guide_id=gid, name=n, description=d, handler=h, time_limit=t, sort_order=o)
            for o, (n, d, h, t) in enumerate(template.steps)
        ]
        special += [
            SpecialStep(
                guide_id=gid, name=n, days=d, counted_in_limit=c, description=t, sort_order=o
            )
            for o, (n, d, c, t) in enumerate(template.special_steps)
        ]
        faqs += [
            GuideFAQ(guide_id=gid, question=q, answer=a, sort_order=o)
            for o, (q, a) in enumerate(template.faqs)
        ]
        themes += [(gid, refs.themes[name]) for name in template.themes]
        windows += [(gid, refs.windows[number]) for number in template.windows]

    for model, rows in (
        (GuideMaterial, materials),
        (GuideLegalBasis, bases),
        (GuideStep, steps),
        (SpecialStep, special),
        (GuideFAQ, faqs),
    ):
        model.objects.bulk_create(rows)
    # Situations need their ids back for their materials (RETURNING on SQLite ≥ 3.35 and
    # PostgreSQL).
    HandlingSituation.objects.bulk_create(situations)
    pairs = [
        (situation.pk, refs.materials[key])
        for situation, keys in zip(situations, situation_keys, strict=True)
        for key in keys
    ]
    for model, field_name, rows in (
        (HandlingSituation, "materials", pairs),
        (ServiceGuidePage, "themes", themes),
        (ServiceGuidePage, "windows", windows),
    ):
        through, objects = m2m_rows(model, field_name, rows)
        through.objects.bulk_create(objects)


def first_free_step(parent, count):
    """The path step of the first of `count` new children of `parent` (locked by the caller)."""
    last = parent.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    last_step = first_step + count - 1
    if len(Page._int2str(last_step)) > Page.steplen:
        raise CommandError(
            f"目录页下最多容纳 {len(Page.alphabet) ** Page.steplen - 1} 个子页面，无法再追加 {count} 条。"
        )
    return first_step


def add_batch(parent_pk, count, first_number, rng, refs, content_type_id):
    """One transaction: `count` guides appended under the catalogue page."""
    parent = Page.objects.select_for_update().get(pk=parent_pk)
    first_step = first_free_step(parent, count)
    now = timezone.now()
    all_templates = specs.guide_specs()
    templates, guides = [], []
    for i in range(count):
        template = all_templates[rng.randrange(len(all_templates))]
        guide = synthetic_guide(
            template, first_number + i, rng, refs, content_type_id, parent.locale_id, now
        )
        templates.append(template)
        guides.append(guide)
    insert_pages(parent, first_step, guides, GUIDE_FIELDS)
    insert_children(guides, templates, refs)


def insert_pages(parent, first_step, pages, specific_fields):
    """Unsaved pages of one type appended under `parent` (locked by the caller), their tree
    positions numbered from `first_step`: the wagtailcore_page rows, then the type's own."""
    for i, page in enumerate(pages):
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, first_step + i)
        page.url_path = f"{parent.url_path}{page.slug}/"
    rows = Page.objects.bulk_create(
        [
            Page(**{field.attname: getattr(page, field.attname) for field in PAGE_FIELDS})
            for page in pages
        ]
    )
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
    insert_specific_rows(type(pages[0]), specific_fields, pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def add_bulk_guides(count, batch_size=DEFAULT_BATCH_SIZE, seed=2026, verbosity=1):
    catalogue = CatalogueIndexPage.objects.first()
    if catalogue is None:
        raise CommandError("找不到办事指南目录页，请先载入演示数据。")
    refs = References()
    content_type_id = ContentType.objects.get_for_model(ServiceGuidePage).pk
    first_number = next_code_number()
    # Seeded by where the numbering starts: the same command on the same database gives the
    # same guides, and a second run adds different ones.
    rng = random.Random(f"{seed}:{first_number}")
    with tqdm(
        total=count, desc="批量指南", unit="条", disable=verbosity < 1, leave=False, mininterval=0.5
    ) as progress:
        done = 0
        while done < count:
            size = min(batch_size, count - done)
            with transaction.atomic():
                add_batch(catalogue.pk, size, first_number + done, rng, refs, content_type_id)
            done += size
            progress.update(size)
    return count


# --- policies -----------------------------------------------------------------------------
# The other documents of a search benchmark (`load_demo --policies N`): variants of the demo
# policies, issued by district governments over ten years, written the same way as guides.

POLICY_ISSUERS = ("人民政府办公室", "政务服务管理办公室", "行政审批服务局")


def synthetic_policy(template, number, rng, content_type_id, locale_id, now):
    district = rng.choice(data.DISTRICTS)
    year = rng.randrange(2016, 2027)
    title = (
        f"{district}贯彻落实《{template.title.strip('《》')}》的实施意见（{year}年第{number}号）"
    )
    document_number = f"{district[:2]}政办发〔{year}〕{number}号"
    return PolicyPage(
        content_type_id=content_type_id,
        locale_id=locale_id,
        title=title,
        draft_title=title,
        slug=f"bench-policy-{number:06d}",
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        document_number=document_number,
        issuer=f"示范市{district}{rng.choice(POLICY_ISSUERS)}",
        issued_on=template.issued.replace(year=year, day=min(template.issued.day, 28)),
        effective_on=template.issued.replace(year=year, day=min(template.issued.day, 28)),
        validity="effective",
        validity_note="",
        summary=f"{district}结合本地实际，{template.summary}",
        body=policy_body(template),
    )


def add_bulk_policies(count, batch_size=DEFAULT_BATCH_SIZE, seed=2026, verbosity=1):
    index = PolicyIndexPage.objects.first()
    if index is None:
        raise CommandError("找不到政策文件栏目页，请先载入演示数据。")
    templates = list(specs.policies().values())
    content_type_id = ContentType.objects.get_for_model(PolicyPage).pk
    first_number = PolicyPage.objects.filter(slug__startswith="bench-policy-").count() + 1
    rng = random.Random(f"{seed}:policies:{first_number}")
    with tqdm(
        total=count, desc="批量政策文件", unit="篇", disable=verbosity < 1, leave=False
    ) as progress:
        done = 0
        while done < count:
            size = min(batch_size, count - done)
            with transaction.atomic():
                parent = Page.objects.select_for_update().get(pk=index.pk)
                first_step = first_free_step(parent, size)
                now = timezone.now()
                policies = [
                    synthetic_policy(
                        rng.choice(templates),
                        first_number + done + i,
                        rng,
                        content_type_id,
                        parent.locale_id,
                        now,
                    )
                    for i in range(size)
                ]
                insert_pages(parent, first_step, policies, POLICY_FIELDS)
            done += size
            progress.update(size)
    return count
