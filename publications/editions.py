"""What each printed edition contains: the template and context for a content type.

Models hold no rendering code; the views, the export command and supervision's bulletins come
here for the HTML and go through publications.pdf for the PDF.
"""

from django.conf import settings

from publications.pdf import render_pdf


def site_of(page):
    """(centre name, root URL without trailing slash) of the site a page belongs to."""
    site = page.get_site()
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


def guide_pdf(guide, situation=None):
    context = guide_context(guide, situation, for_pdf=True)
    return render_pdf("publications/guide_print.html", context, base_url=context["site_root"] + "/")
