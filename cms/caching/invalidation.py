"""What changes the site's content version (cms.caching.version).

Pages: publishing, unpublishing (also on expiry and before deletion), moving, deleting, and
view restrictions. A draft saved changes nothing the public sees and keeps the cache.
Reference data (departments, windows, themes, materials): publishing a change, or writing a
live record directly (cms.reference_data.reference_published) — a renamed department reaches
every cached guide, a draft of the rename reaches none. Other records: every save or delete of
a model the public pages print (the other snippets and child rows in cms, sites, images,
documents and their privacy, search synonyms and best bets). Records no public page shows (logs,
counters, the job queue, supervision data) are left out, or every search would empty the
cache.

The stamp changes at once and again when the transaction commits: a visitor who read the
old rows in between cached them under the first new stamp, which the second one retires.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.caching import frontend, version
from cms.reference_data import moderated_models, reference_published

# Models outside cms whose rows public pages, the API or search answers show.
SHOWN_ELSEWHERE = [
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailcore.Collection",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "wagtailsearchpromotions.SearchPromotion",
    "portal_search.Synonym",
    "portal_search.ServiceTerm",
]


def content_changed(**kwargs):
    version.bump()
    transaction.on_commit(version.bump)
    transaction.on_commit(frontend.queue_purge)


# Models of cms that no public page shows: the guide audit's link checks, rewritten nightly,
# and the editors' confirmations of a guide's periodic review (定期复核).
SHOWN_NOWHERE = ["cms.LinkCheck", "cms.GuideReview"]


def shown_models():
    """Every model of cms that is not a page (pages change through the signals above) and not
    in SHOWN_NOWHERE, and the models named in SHOWN_ELSEWHERE."""
    hidden = {apps.get_model(label) for label in SHOWN_NOWHERE}
    models = [
        m
        for m in apps.get_app_config("cms").get_models()
        if not issubclass(m, Page) and m not in hidden
    ]
    return models + [apps.get_model(label) for label in SHOWN_ELSEWHERE]


def connect():
    uid = "cms.caching"
    page_published.connect(content_changed, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(content_changed, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(content_changed, dispatch_uid=f"{uid}.moved")
    reference_published.connect(content_changed, dispatch_uid=f"{uid}.reference")
    moderated = moderated_models()
    for model in [Page, *shown_models()]:
        # Page's post_delete covers a draft page deleted (a live one is unpublished first).
        if model is not Page and model not in moderated:
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}.deleted")
