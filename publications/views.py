"""Channel views: the same guide record rendered for the hall kiosk, for print and as a PDF, and
the kiosk's start screen that leads to those guides.

Each guide view receives the live page object that Wagtail routed to (drafts and private pages
never get here: Wagtail's serve checks live status and view restrictions first). The start
screen is not a page, so it narrows every list with `public_pages` itself.
"""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from wagtail.models import Site

from cms import channels
from cms.models import (
    Department,
    HomePage,
    MagazineIssuePage,
    OneThingPage,
    ServiceGuidePage,
    Theme,
)
from cms.models.mixins import public_pages
from publications import cache, editions
from publications.pdf import PdfUnavailable

HIGH_FREQUENCY_ON_KIOSK = 12
# One screen of touch tiles above the pager dock on a 1080×1920 portrait screen.
KIOSK_GUIDES_PER_PAGE = 8


def kiosk_context(request, guide):
    """What the kiosk shows: the guide and the visitor's situation."""
    return {"page": guide} | guide.situation_context(request)


@channels.register("kiosk", ServiceGuidePage)
def guide_kiosk(request, guide):
    """A 1080×1920 hall screen: large type, touch-sized targets, no site chrome."""
    return TemplateResponse(request, "publications/guide_kiosk.html", kiosk_context(request, guide))


@channels.register("print", ServiceGuidePage)
def guide_print(request, guide):
    """A print-styled page (A4), the HTML the PDF edition is rendered from."""
    context = editions.guide_context(guide, guide.selected_situation(request), for_pdf=False)
    return TemplateResponse(request, "publications/guide_print.html", context)


@channels.register("pdf", ServiceGuidePage)
def guide_pdf(request, guide):
    """The printed guide as a PDF, rendered once per published revision and cached.

    `guide` is the live page Wagtail routed to: its fields hold the published content, never a
    draft, and private or unpublished guides are refused before this view runs.
    """
    situation = guide.selected_situation(request)
    return pdf_response(
        request,
        lambda: cache.guide_pdf(guide, situation),
        filename=f"{guide.title}-办事指南.pdf",
        last_modified=guide.last_published_at,
    )


def pdf_response(request, get_pdf, *, filename, last_modified):
    """Serve a cached PDF inline, answering If-None-Match / If-Modified-Since with 304.

    A machine without the Chinese font or Pango answers 503 with what to install, never a
    PDF of empty boxes.
    """
    try:
        cached = get_pdf()
    except PdfUnavailable as error:
        return HttpResponse(
            f"PDF 暂时无法生成：{error}", status=503, content_type="text/plain; charset=utf-8"
        )
    # Whole seconds: HTTP dates have no fractions, so If-Modified-Since must compare equal.
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=cached.etag, last_modified=timestamp)
    if response is None:
        response = FileResponse(
            cached.path.open("rb"), content_type="application/pdf", filename=filename
        )
    response["ETag"] = cached.etag
    if timestamp:
        response["Last-Modified"] = http_date(timestamp)
    # Revalidate on every view: a republished guide must never be read from an old copy.
    response["Cache-Control"] = "no-cache"
    return response


def start_screen(root, params):
    """What the kiosk start screen shows for the site whose home is `root`.

    With `?theme=<slug>` of a theme that has public guides, one page of that theme's guides;
    otherwise the start screen itself. Unknown themes and page numbers never fail: a stale or
    mistyped link shows the start screen, `page=abc` the first page, `page=999` the last.
    """

    def public(model):
        pages = model.objects.descendant_of(root) if root else model.objects.all()
        return public_pages(pages)

    guides = public(ServiceGuidePage).select_related("department")
    counts = dict(
        guides.filter(themes__isnull=False)
        .values_list("themes")
        .annotate(total=Count("pk", distinct=True))
        .order_by()
    )
    themes = [theme for theme in Theme.objects.all() if counts.get(theme.pk)]
    for theme in themes:
        theme.guide_count = counts[theme.pk]

    # Matched against the themes in memory, so a raw query value never reaches the database.
    chosen = next((theme for theme in themes if theme.slug == params.get("theme")), None)
    if chosen:
        in_theme = guides.filter(themes=chosen).order_by("-high_frequency", "implementation_code")
        return {
            "theme": chosen,
            "guides": Paginator(in_theme, KIOSK_GUIDES_PER_PAGE).get_page(params.get("page")),
        }
    return {
        "hall": root if isinstance(root, HomePage) else None,
        "high_frequency": guides.filter(high_frequency=True).order_by("implementation_code")[
            :HIGH_FREQUENCY_ON_KIOSK
        ],
        "themes": themes,
        "bundles": public(OneThingPage).order_by("path"),
    }


def kiosk_home(request):
    """The hall kiosk's start screen (1080×1920 portrait touch screen), where "返回" leads."""
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    return TemplateResponse(
        request, "publications/kiosk_home.html", start_screen(root, request.GET)
    )


# --- the magazine ---------------------------------------------------------------------

# Imported here rather than at the top only because this section was appended to the file.


@channels.register("pdf", MagazineIssuePage)
def magazine_issue_pdf(request, issue):
    """The whole issue as one PDF, rendered once per published state and cached.

    The PDF prints the issue, its magazine's title and sponsor, and every public article
    under it with its column, so the cache key holds each of their revisions: republishing,
    publishing or unpublishing any one of them renders a new edition.
    """
    magazine = issue.get_parent().specific
    articles = list(
        issue.articles().values_list("pk", "live_revision_id", "last_published_at", "column__name")
    )
    parts = (
        issue.live_revision_id,
        magazine.live_revision_id,
        issue.cover.file.name if issue.cover else None,
        tuple(articles),
        issue.get_full_url(),
    )
    published = [issue.last_published_at] + [row[2] for row in articles]
    return pdf_response(
        request,
        lambda: cache.get_or_render(
            f"issue-{issue.pk}", parts, lambda: editions.magazine_issue_pdf(issue).data
        ),
        filename=f"{magazine.title}-{issue.issue_label}.pdf",
        last_modified=max((when for when in published if when), default=None),
    )


# --- a department's guide book ----------------------------------------------------------

# Imported here rather than at the top only because this section was appended to the file.


def department_guide_book(request, code):
    """Every public guide of a department in one PDF with contents (办事指南汇编), cached.

    The key holds each printed guide's published revision, so publishing, unpublishing or
    expiring any of them makes a new edition; also what the cover and header print.
    """
    department = get_object_or_404(Department, code=code)
    guides = editions.department_guides(department)
    published = list(guides.values_list("pk", "live_revision_id", "last_published_at"))
    if not published:
        raise Http404("该部门暂无公开的办事指南")
    centre_name, site_root = editions.site_of(guides.first())
    parts = (
        sorted((pk, revision) for pk, revision, _ in published),
        site_root,
        centre_name,
        (department.name, department.phone),
    )
    return pdf_response(
        request,
        lambda: cache.get_or_render(
            f"book-{department.pk}", parts, lambda: editions.department_book_pdf(department).data
        ),
        filename=f"{department.name}-办事指南汇编.pdf",
        last_modified=max((when for _, _, when in published if when), default=None),
    )
