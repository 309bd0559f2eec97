"""What each printed edition contains: the template and context for a content type.

Models hold no rendering code; the views, the export command and supervision's bulletins come
here for the HTML and go through publications.pdf for the PDF.
"""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string

from cms.models import ServiceGuidePage
from cms.models.guides import guide_rows
from cms.models.mixins import public_pages
from publications.pdf import html_to_pdf, render_pdf


def site_of(page):
    """(centre name, root URL without trailing slash) of the site a page belongs to."""
    site = page.get_site() if page else None
    if site is None:
        return settings.WAGTAIL_SITE_NAME, settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.site_name or settings.WAGTAIL_SITE_NAME, site.root_url.rstrip("/")


def guide_context(guide, situation=None, *, for_pdf):
    """The printed guide, whole or for one handling situation."""
    centre_name, site_root = site_of(guide)
    online_url = guide.get_full_url() or site_root + guide.url
    if situation is not None:
        online_url += f"?situation={situation.pk}"
    return {
        "page": guide,
        "situation": situation,
        "shown_materials": guide.materials_for(situation),
        "centre_name": centre_name,
        "site_root": site_root,
        "online_url": online_url,
        # The edition is dated by the publication it prints, not by the day it was rendered.
        "edition_date": guide.last_published_at or guide.first_published_at,
        "for_pdf": for_pdf,
    }


def guide_html(guide, situation=None):
    """(HTML, base URL) of the printed guide: what its PDF is rendered from and keyed by."""
    context = guide_context(guide, situation, for_pdf=True)
    return render_to_string("publications/guide_print.html", context), context["site_root"] + "/"


def guide_pdf(guide, situation=None):
    html, base_url = guide_html(guide, situation)
    return html_to_pdf(html, base_url=base_url)


def checklist_context(bundle, checklist):
    """A visitor's checklist for a one-thing bundle (cms.checklist), printed: the items with the
    chosen situations, the merged materials, time, fees and windows, and a QR code that opens
    the same choice online."""
    centre_name, site_root = site_of(bundle)
    published = [page.last_published_at for page in (bundle, *bundle.bundled_guides)]
    return {
        "page": bundle,
        "checklist": checklist,
        "centre_name": centre_name,
        "site_root": site_root,
        "online_url": bundle.checklist_url(checklist.picks),
        # Dated by the newest publication it lists, like a printed guide.
        "edition_date": max((when for when in published if when), default=None),
        "for_pdf": True,
    }


def checklist_pdf(bundle, checklist):
    context = checklist_context(bundle, checklist)
    return render_pdf(
        "publications/checklist_print.html", context, base_url=context["site_root"] + "/"
    )


def policy_context(policy, *, for_pdf):
    """The printed policy document: its fields, and the online address it was printed from."""
    centre_name, site_root = site_of(policy)
    return {
        "page": policy,
        "centre_name": centre_name,
        "site_root": site_root,
        "online_url": policy.get_full_url() or site_root + (policy.url or ""),
        "for_pdf": for_pdf,
    }


def magazine_issue_context(issue, *, for_pdf):
    """The printed issue: cover, editor's note, contents by column, then every public article."""
    centre_name, site_root = site_of(issue)
    columns = issue.articles_by_column()
    return {
        "page": issue,
        "issue": issue,
        "magazine": issue.get_parent().specific,
        "columns": columns,
        "articles": [article for _, articles in columns for article in articles],
        # Editors type the note in a plain text box, one paragraph a line.
        "editors_note": [line.strip() for line in issue.editors_note.splitlines() if line.strip()],
        "centre_name": centre_name,
        "site_root": site_root,
        "online_url": issue.get_full_url() or site_root + issue.url,
        "for_pdf": for_pdf,
    }


def magazine_issue_pdf(issue):
    context = magazine_issue_context(issue, for_pdf=True)
    return render_pdf(
        "publications/magazine_issue_print.html", context, base_url=context["site_root"] + "/"
    )


# --- a department's guide book --------------------------------------------------------


def department_guides(department):
    """The department's guides the public may see, in the book's order (implementation code)."""
    guides = ServiceGuidePage.objects.filter(department=department)
    return public_pages(guides).order_by("implementation_code")


def department_book_context(department, guides, *, for_pdf):
    """The guide book of `department`: a cover, contents, then each of `guides` in order."""
    guides = list(guides)
    # Every row _guide_sections.html reads, once for all the guides of the book rather than
    # once per guide and table (thousands of queries for a large department).
    prefetch_related_objects(guides, *guide_rows())
    centre_name, site_root = site_of(guides[0] if guides else None)
    published = [guide.last_published_at or guide.first_published_at for guide in guides]
    return {
        "department": department,
        # anchor prefixes the ids of one guide's sections, so the book's links stay unique.
        "entries": [
            {"page": guide, "anchor": f"g{guide.pk}-", "shown_materials": guide.materials_for()}
            for guide in guides
        ],
        "centre_name": centre_name,
        "site_root": site_root,
        # Dated by the newest publication it prints, like a single guide's edition.
        "edition_date": max((when for when in published if when), default=None),
        "for_pdf": for_pdf,
    }


def department_book_pdf(department):
    context = department_book_context(department, department_guides(department), for_pdf=True)
    return render_pdf(
        "publications/department_guide_book.html", context, base_url=context["site_root"] + "/"
    )
