"""From public pages to search documents: one builder per content type.

Only what `cms.models.mixins.public_pages` lets through is ever built (live, unexpired, not
private, not under a hidden page), so drafts and private content never reach an index. A
page's database row is its live version (Wagtail keeps drafts in revisions), so building from
the row never leaks an unpublished edit either.
"""

import multiprocessing
from collections.abc import Iterable, Iterator
from html import unescape as unescape_entities

from django.db import connection, connections
from django.db.models import Prefetch
from django.utils.html import strip_tags
from wagtail.models import Page

from cms.choices import GUIDE_FLAGS, Audience, ItemType
from cms.models import (
    GalleryPage,
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    MagazineArticlePage,
    OneThingPage,
    PolicyAttachment,
    PolicyPage,
    ServiceGuidePage,
    SpecialStep,
)
from cms.models.mixins import public_pages
from search import attachments, text
from search.documents import (
    FIELDS,
    FOLLOW_UP,
    FOLLOW_UP_BOOST,
    HIGH_FREQUENCY_BOOST,
    PortalDocument,
)

# Suggestion weights: what a visitor most likely means comes first.
WEIGHTS = {"guide": 20, "bundle": 25, "policy": 8, "article": 4, "gallery": 2}
HIGH_FREQUENCY_WEIGHT = 30
START_OF_TITLE_WEIGHT = 10
ALIAS_SEPARATORS = "、，,；;/ "


def plain(html: str) -> str:
    """Rich text as the words a visitor reads."""
    return " ".join(unescape_entities(strip_tags(html or "")).split())


def joined(*parts) -> str:
    return "\n".join(str(part) for part in parts if part)


def aliases(names: str) -> list[str]:
    """开公司、办执照 → ["开公司", "办执照"]."""
    for separator in ALIAS_SEPARATORS[1:]:
        names = (names or "").replace(separator, ALIAS_SEPARATORS[0])
    return [name.strip() for name in names.split(ALIAS_SEPARATORS[0]) if name.strip()]


def suggestion(titles: Iterable[str], weight: int, inside: bool = True) -> list[dict]:
    """The completion entries: each title as typed, as full pinyin and as pinyin initials,
    weighted up by START_OF_TITLE_WEIGHT; then (`inside`) the first title's initials from
    each later character, at the document's weight."""
    starts, insides = [], []
    for number, title in enumerate(titles):
        key = text.suggestion_key(title)
        if key:
            full, initials = text.pinyin_keys(title)
            starts.extend([key, full, initials])
            if number == 0 and inside:
                # So the words a visitor knows find a longer official name: sfz → 居民身份证换领
                # (jmsfzhl). Typed from the start is still what they more likely mean.
                insides.extend(initials[start:] for start in range(1, len(initials) - 1))
    starts = list(dict.fromkeys(i for i in starts if i))
    insides = [i for i in dict.fromkeys(insides) if i and i not in starts]
    entries = [{"input": starts, "weight": weight + START_OF_TITLE_WEIGHT}]
    return entries + ([{"input": insides, "weight": weight}] if insides else [])


class UrlCache:
    """Stands in for the request in Page.get_url(request=...): Wagtail keeps the site root
    paths on it (and the current site, which building a document has none of). Without it
    every get_url reads them again: 0.8 ms a page, a third of building a guide's document."""

    _wagtail_site = None


class Source:
    """How one page type becomes a document. Subclasses say which model, which related rows
    to fetch in bulk, and what goes in each field."""

    model: type[Page]
    kind: str
    # Whether suggestions also come from initials inside the title (sfz → 居民身份证换领): for
    # service items, which visitors call by a part of their name. A policy's long title would
    # add twenty keys for initials nobody types.
    inside_title_keys = False

    def queryset(self):
        return public_pages(self.model.objects.all())

    def document(self, page, expire_at, urls=None) -> PortalDocument:
        doc = PortalDocument(page_id=page.pk, kind=self.kind)
        doc.url = page.get_url(request=urls) or ""
        doc.expire_at = expire_at
        doc.high_frequency = False
        doc.theme, doc.flags = [], []
        doc.department = doc.audience = doc.item_type = ""
        self.fill(doc, page)
        doc.boost = (HIGH_FREQUENCY_BOOST if doc.high_frequency else 1.0) * (
            FOLLOW_UP_BOOST if FOLLOW_UP.search(page.title) else 1.0
        )
        weight = WEIGHTS[self.kind] + (HIGH_FREQUENCY_WEIGHT if doc.high_frequency else 0)
        titles = [page.title, *self.suggestion_aliases(page)]
        doc.suggest = suggestion(titles, weight, inside=self.inside_title_keys)
        return doc

    def fill(self, doc, page):
        raise NotImplementedError

    def suggestion_aliases(self, page) -> list[str]:
        return []


class GuideSource(Source):
    model = ServiceGuidePage
    kind = "guide"
    inside_title_keys = True

    def queryset(self):
        return (
            super()
            .queryset()
            .select_related("department")
            .prefetch_related(
                # In the editor's order, with ties (sort_order left blank, as bulk-made
                # guides have it) broken by id: the same document from every process.
                *(
                    Prefetch(name, queryset=related.order_by("sort_order", "pk"))
                    for name, related in (
                        ("materials", GuideMaterial.objects.select_related("material")),
                        ("situations", HandlingSituation.objects.all()),
                        ("steps", GuideStep.objects.all()),
                        ("special_steps", SpecialStep.objects.all()),
                        ("faqs", GuideFAQ.objects.all()),
                        ("legal_bases", GuideLegalBasis.objects.all()),
                    )
                ),
                "themes",
            )
        )

    def fill(self, doc, page):
        flags = [name for name in GUIDE_FLAGS if getattr(page, name)]
        themes = list(page.themes.all())
        doc.title = page.title
        doc.keywords = joined(
            *aliases(page.popular_names),
            page.sub_item,
            page.result_name,
            page.implementation_code,
            page.basic_code,
            *(situation.name for situation in page.situations.all()),
            page.department.name,
            page.department.short_name,
            *(theme.name for theme in themes),
            *(GUIDE_FLAGS[flag] for flag in flags),
            page.get_item_type_display(),
        )
        rows = list(page.materials.all())
        doc.materials = joined(*(row.material.name for row in rows))
        doc.body = joined(
            page.summary,
            page.applicant_scope,
            plain(page.conditions),
            page.refusal_grounds,
            *(joined(step.name, step.description) for step in page.steps.all()),
            *(joined(step.name, step.description) for step in page.special_steps.all()),
            *(joined(faq.question, faq.answer) for faq in page.faqs.all()),
            page.fee_text,
            *(joined(basis.title, basis.article) for basis in page.legal_bases.all()),
            page.office_address,
            *(row.material.code for row in rows),
        )
        doc.summary = page.summary or page.search_description or plain(page.conditions)[:200]
        doc.department = page.department.code
        doc.theme = [theme.slug for theme in themes]
        doc.audience = page.audience
        doc.item_type = page.item_type
        doc.flags = flags
        doc.high_frequency = page.high_frequency
        doc.date = page.last_published_at
        doc.details = {
            "department": page.department.name,
            "code": page.implementation_code,
            "promised": page.promised_days_label,
            "visits": page.visits_required,
            "flags": [GUIDE_FLAGS[flag] for flag in flags if flag != "high_frequency"],
        }

    def suggestion_aliases(self, page):
        return aliases(page.popular_names)


class BundleSource(Source):
    model = OneThingPage
    kind = "bundle"
    inside_title_keys = True

    def fill(self, doc, page):
        guides = page.bundled_guides
        doc.title = page.title
        doc.keywords = joined(page.life_event, *(guide.title for guide in guides))
        doc.materials = joined(*(row["name"] for row in page.merged_materials))
        doc.body = joined(plain(page.body), page.window_note)
        doc.summary = page.life_event or page.search_description
        doc.audience = page.audience
        doc.date = page.last_published_at
        doc.details = {"guides": len(guides), "promised_days": page.total_promised_days}


class PolicySource(Source):
    model = PolicyPage
    kind = "policy"

    def queryset(self):
        return (
            super()
            .queryset()
            .prefetch_related(
                Prefetch(
                    "attachments",
                    queryset=PolicyAttachment.objects.select_related(
                        "document__collection"
                    ).order_by("sort_order", "pk"),
                )
            )
        )

    def fill(self, doc, page):
        doc.title = page.title
        doc.keywords = joined(page.document_number, page.issuer)
        doc.materials = ""
        doc.body = joined(page.summary, plain(page.body), page.validity_note)
        doc.summary = page.summary or plain(page.body)[:200]
        doc.date = page.issued_on
        doc.details = {
            "document_number": page.document_number,
            "issuer": page.issuer,
            "issued_on": page.issued_on.isoformat(),
            "validity": page.validity,
            "validity_label": page.get_validity_display(),
        }
        # The text of its attached files (实施细则, 申报指南, 附表), after its own: a term only
        # they mention finds the policy, and the snippet names the file.
        attachments.append(doc, list(page.attachments.all()))


class ArticleSource(Source):
    model = MagazineArticlePage
    kind = "article"

    def queryset(self):
        return super().queryset().select_related("column")

    def fill(self, doc, page):
        body_text = page.body.stream_block.get_searchable_content(page.body)
        doc.title = page.title
        doc.keywords = joined(page.column.name, page.author)
        doc.materials = ""
        doc.body = joined(page.summary, *(plain(part) for part in body_text))
        doc.summary = page.summary
        doc.date = page.first_published_at
        doc.details = {"column": page.column.name, "author": page.author}


class GallerySource(Source):
    model = GalleryPage
    kind = "gallery"

    def fill(self, doc, page):
        entries = page.photo_entries()
        doc.title = page.title
        doc.keywords = joined(*(honour.label for _, _, honours in entries for honour in honours))
        doc.materials = ""
        # The captions are what a visitor looks for: a window, a name, an honour.
        doc.body = joined(page.intro, *(caption for _, caption, _ in entries))
        doc.summary = page.intro
        doc.date = page.last_published_at
        doc.details = {"photos": len(entries)}


SOURCES = [GuideSource(), BundleSource(), PolicySource(), ArticleSource(), GallerySource()]
INDEXED_MODELS = tuple(source.model for source in SOURCES)


def source_for(page) -> Source | None:
    for source in SOURCES:
        if isinstance(page, source.model):
            return source
    return None


class Expiries:
    """The earliest expire_at of a page and its ancestors, from one query for the whole run:
    an expired section hides everything under it (cms.models.mixins.hidden_filter)."""

    def __init__(self):
        self.by_path = dict(
            Page.objects.filter(expire_at__isnull=False).values_list("path", "expire_at")
        )

    def of(self, page):
        steps = range(Page.steplen, len(page.path) + 1, Page.steplen)
        dates = [self.by_path[page.path[:end]] for end in steps if page.path[:end] in self.by_path]
        return min(dates, default=None)


def count_public_documents() -> int:
    return sum(source.queryset().count() for source in SOURCES)


def public_documents(chunk_size=500, jobs=1, prepare=None) -> Iterator[list[PortalDocument]]:
    """Every public page as a document, in lists of at most `chunk_size`, built in `jobs`
    forked processes when more than one (building is CPU-bound: a guide's document reads some
    twenty related rows into model instances, about 1.5 ms). `prepare(doc)`, a backend's
    own per-document work (tokenising, its rows: BaseSearchBackend.prepare), then runs in
    those processes too: where it returns something, the backend receives documents holding
    only page_id and, in `doc.prepared`, what its prepare returned, so the texts cross the
    pipe once."""
    specs = [
        (number, pks[start : start + chunk_size])
        for number, source in enumerate(SOURCES)
        for pks in [list(source.queryset().order_by("path").values_list("pk", flat=True))]
        for start in range(0, len(pks), chunk_size)
    ]
    # Expiries are read once per rebuild (build_chunk), not kept from an earlier one: a
    # process that rebuilds twice would otherwise write the first rebuild's expiries.
    _expiries.clear()
    if jobs <= 1 or len(specs) < 2 or connection.in_atomic_block:
        # In a transaction (a test, an atomic caller) forked processes could not see its rows.
        for spec in specs:
            yield build_chunk(spec)
        return
    _worker["prepare"] = prepare  # inherited by the forked processes
    # Each process opens its own connection: a connection shared across fork is corrupted.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        for chunk in pool.imap(build_chunk_data, specs):
            yield [PortalDocument(**data, prepared=prepared) for data, prepared in chunk]


def build_chunk_data(spec) -> list[tuple[dict, object]]:
    """build_chunk in a worker process, as plain data for the pipe back."""
    prepare = _worker["prepare"]
    data = []
    for doc in build_chunk(spec):
        prepared = prepare(doc) if prepare else None
        if prepared is None:  # nothing prepared: the whole document goes back
            data.append(({name: getattr(doc, name) for name in FIELDS}, None))
        else:
            data.append(({"page_id": doc.page_id}, prepared))
    return data


_expiries = {}
_worker = {"prepare": None}


def build_chunk(spec) -> list[PortalDocument]:
    number, pks = spec
    source = SOURCES[number]
    # Read once per rebuild in each process: a rebuild takes a minute, expiries change rarely.
    expiries = _expiries.setdefault("current", Expiries())
    pages = source.queryset().filter(pk__in=pks).order_by("path")
    urls = UrlCache()
    return [source.document(page, expiries.of(page), urls) for page in pages]


def pages_with_attachments() -> set[int]:
    """The policies that attach a document, public or not."""
    return set(PolicyAttachment.objects.values_list("policy_id", flat=True).distinct())


def public_page_ids() -> set[int]:
    """Every page the index should hold now."""
    return {pk for source in SOURCES for pk in source.queryset().values_list("pk", flat=True)}


def documents_for(page_ids) -> dict[int, PortalDocument | None]:
    """The current document of each page, or None where the page is no longer public (or
    not of an indexed type): the caller removes those."""
    wanted = set(page_ids)
    result: dict[int, PortalDocument | None] = dict.fromkeys(wanted)
    expiries, urls = Expiries(), UrlCache()
    for source in SOURCES:
        for page in source.queryset().filter(pk__in=wanted):
            result[page.pk] = source.document(page, expiries.of(page), urls)
    return result


def facet_labels() -> dict[str, dict[str, str]]:
    """Display labels of the facet values, for the search page and the API."""
    from cms.models import Department, Theme
    from search.documents import KINDS

    return {
        "type": dict(KINDS),
        "department": dict(Department.objects.values_list("code", "name")),
        "theme": dict(Theme.objects.values_list("slug", "name")),
        "audience": {Audience.PERSON: "个人", Audience.LEGAL: "法人"},
        "item_type": dict(ItemType.choices),
        "flag": dict(GUIDE_FLAGS),
    }
