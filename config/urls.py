from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control, never_cache
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import elder_mode
from publications.api import api_router
from publications.files import public_media_path
from search.urls import api_urlpatterns as search_api
from supervision.notice_views import NoticeSitemap
from supervision.urls_public import kiosk_urlpatterns as ranking_notice_kiosk


@never_cache
def healthz(request):
    """The health check of docker-compose and load balancers: this process answers and reaches
    its database. Cheap (one SELECT 1), not rate limited, never cached."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers, feed readers and crawlers ask for whatever a page's
    <link rel="icon"> says: the SVG mark every public template links to. A temporary redirect,
    because its target is the static file's hashed name (ManifestStaticFilesStorage), which
    changes when the mark does; nginx passes the path on to this view (location /)."""
    return HttpResponseRedirect(static("cms/img/favicon.svg"))


urlpatterns = [
    path("healthz", healthz),
    path("favicon.ico", favicon),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/search/", include(search_api)),
    # The site's pages, and the months of the ranking notice (评比公示) in force.
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap, "pingbi": NoticeSitemap}}),
    path("search/", include("search.urls")),
    path("elder-mode/", elder_mode.toggle, name="elder-mode"),
    path("pingbi/", include("supervision.urls_public")),
    path("kiosk/pingbi/", include(ranking_notice_kiosk)),
    path("kiosk/", include("publications.urls")),
    path("publications/", include("publications.urls_editions")),
]


def serve_media(request, path):
    """Wagtail's images and renditions, and nothing else under MEDIA_ROOT.

    An allow list (publications.files.PUBLIC_MEDIA_FOLDERS), so a folder added later is private
    until someone decides otherwise. Documents are served by Wagtail's /documents/ view, which
    checks the collection's privacy (WAGTAILDOCS_SERVE_METHOD = "serve_view"); bulletins live
    outside MEDIA_ROOT altogether.
    """
    relative = public_media_path(path)
    if relative is None:
        raise Http404
    return serve(request, relative, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # django.views.static.serve, without the DEBUG-only guard of static(): a small centre runs
    # without nginx; larger ones set SERVE_MEDIA=0 and let the front server do it.
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]

# Wagtail's page serving last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
