"""Channel views: the same guide record rendered for the hall kiosk, for print and as a PDF; the
kiosk's start screen that leads to those guides; a policy's print edition; the PDF editions of a
magazine issue and of a department's guide book. PDFs come from publications.cache, rendered by
publications.pdf. What editors preview of a draft is publications.previews.

Each guide view receives the live page object that Wagtail routed to (drafts and private pages
never get here: Wagtail's serve checks live status and view restrictions first). The kiosk and
print views render only the object they are given, so the admin's previews pass them a draft
too (publications.previews); the PDF views read and fill the cache and never see one. The start
screen is not a page, so it narrows every list with `public_pages` itself.
"""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from wagtail.models import Site

from cms import channels, checklist
from cms.caching.middleware import cache_for_public
from cms.models import (
    Department,
    HomePage,
    KioskSettings,
    MagazineIssuePage,
    OneThingPage,
    PolicyPage,
    ServiceGuidePage,
    Theme,
)
from cms.models.mixins import public_pages
from cms.ratelimits import limit
from publications import cache, editions, tasks
from publications.pdf import PdfUnavailable

HIGH_FREQUENCY_ON_KIOSK = 12
# One screen of touch tiles above the pager dock on a 1080×1920 portrait screen.
KIOSK_GUIDES_PER_PAGE = 8


def kiosk_context(request, guide):
    """What the kiosk shows: the guide and the visitor's situation, and when an idle screen
    goes back to the start screen."""
    idle = {"idle_seconds": KioskSettings.idle_return_seconds_for(request)}
    return {"page": guide} | guide.situation_context(request) | idle


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
    """The printed guide as a PDF, rendered once per printed content and cached.

    `guide` is the live page Wagtail routed to: its fields hold the published content, never a
    draft, and private or unpublished guides are refused before this view runs.
    """
    situation = guide.selected_situation(request)
    return pdf_response(
        request,
        lambda: cache.guide_pdf(guide, situation, on_miss=lambda: limit(request, "pdf-render")),
        filename=f"{guide.title}-办事指南.pdf",
    )


def pdf_response(request, get_pdf, *, filename):
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
    timestamp = int(cached.last_modified.timestamp())
    response = get_conditional_response(request, etag=cached.etag, last_modified=timestamp)
    if response is None:
        response = FileResponse(cached.file, content_type="application/pdf", filename=filename)
        # The next visitor of this address is sent the same file (cms.caching).
        cache_for_public(response, file=cached.file.name)
    else:
        cached.file.close()
    response["ETag"] = cached.etag
    response["Last-Modified"] = http_date(timestamp)
    # Revalidate on every view: a republished guide must never be read from an old copy.
    response["Cache-Control"] = "no-cache"
    return response


@channels.register("checklist_pdf", OneThingPage)
def bundle_checklist_pdf(request, bundle):
    """A visitor's checklist for a bundle as a PDF, for the choice in the query string.

    Made for each request and kept nowhere: choices multiply (five items of three situations
    and "not sure" make a thousand lists) and nothing of a visitor's is stored, so every render
    counts against the client's PDF rate. A choice the bundle does not have gets the checklist
    page's 400, never a PDF of something else.
    """
    try:
        picks = checklist.choose(bundle.bundled_guides, request.GET)
    except checklist.InvalidChoice:
        return bundle.checklist_response(request)
    limit(request, "pdf-render")
    try:
        rendered = editions.checklist_pdf(bundle, checklist.merge(picks))
    except PdfUnavailable as error:
        return HttpResponse(
            f"PDF 暂时无法生成：{error}", status=503, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(rendered.data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{bundle.title}-材料清单.pdf"
    )
    # Neither the page cache nor a browser keeps it (cms.caching.middleware skips no-store).
    response["Cache-Control"] = "no-store"
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
    context = start_screen(root, request.GET)
    # A theme's pages return to the start screen when idle; the start screen has nowhere to go.
    if "theme" in context:
        context["idle_seconds"] = KioskSettings.idle_return_seconds_for(request)
    return TemplateResponse(request, "publications/kiosk_home.html", context)


# --- policies -------------------------------------------------------------------------


@channels.register("print", PolicyPage)
def policy_print(request, policy):
    """The policy document laid out for A4 paper, printed from the browser."""
    context = editions.policy_context(policy, for_pdf=False)
    return TemplateResponse(request, "publications/policy_print.html", context)


# --- the magazine ---------------------------------------------------------------------


@channels.register("pdf", MagazineIssuePage)
def magazine_issue_pdf(request, issue):
    """The whole issue as one PDF, cached until the issue, its magazine or an article changes."""
    magazine = issue.get_parent().specific
    return pdf_response(
        request,
        lambda: cache.issue_pdf(issue, on_miss=lambda: limit(request, "pdf-render")),
        filename=f"{magazine.title}-{issue.issue_label}.pdf",
    )


# --- a department's guide book ----------------------------------------------------------

BOOK_RETRY_SECONDS = 60


def department_guide_book(request, code):
    """Every public guide of a department in one PDF with contents (办事指南汇编).

    A large department's book takes minutes to lay out, longer than a web request may run:
    the view only serves a rendered book. On a miss it queues the render for the worker and
    answers 503 with Retry-After; publishing a guide queues its department's book as well.
    """
    department = get_object_or_404(Department, code=code)
    guides = list(editions.department_guides(department))
    if not guides:
        raise Http404("该部门暂无公开的办事指南")
    record, key = cache.book_record(department), cache.book_key(department, guides)
    cached = cache.lookup(record, key)
    if cached is None:
        tasks.queue_department_book(department)
        catalogue = guides[0].get_parent()
        response = TemplateResponse(
            request,
            "publications/book_pending.html",
            {
                "department": department,
                "retry_after": BOOK_RETRY_SECONDS,
                "catalogue_url": f"{catalogue.url}?department={department.code}",
            },
            status=503,
        )
        response["Retry-After"] = str(BOOK_RETRY_SECONDS)
        return response
    return pdf_response(request, lambda: cached, filename=f"{department.name}-办事指南汇编.pdf")
