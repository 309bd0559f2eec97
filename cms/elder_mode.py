"""The elder-friendly mode (长辈版 / 关怀模式, after GB/T 37668 and the MIIT 适老化 rules):
the same public pages in larger type, larger targets, higher contrast and one column.

A visitor's choice lives in one cookie, `elder_mode=1`, for a year. The server reads it
(`is_on`) and renders `<html class="elder-mode">`, so the mode works without JavaScript; the
CSS under `.elder-mode` in cms/static/cms/css/site.css does the rest. The page cache keys
every answer by the mode (cms.caching.middleware.answer_key): both kinds of visitor are
served from the cache, neither ever gets the other's page. docs/accessibility.md.

The toggle is a small form in the header that posts here; this view sets or clears the
cookie and sends the visitor back to the page they were on.
"""

from django.core.exceptions import BadRequest
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

COOKIE_NAME = "elder_mode"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # remembered for a year
# The form's field: "1" turns the mode on, "0" back to the standard pages.
CHOICES = {"1": True, "0": False}


def is_on(request) -> bool:
    """Whether `request` is for the elder-friendly pages. Only the exact value "1" counts:
    any other value is the standard mode, so a mangled cookie cannot split the page cache."""
    return request.COOKIES.get(COOKIE_NAME) == "1"


# The longest address the switch sends the visitor back to with its query; past it, the
# page without the query (a 60,000-character search would otherwise be written into every
# page's form again: tests/test_search_inputs_bounded.py).
MAX_NEXT_LENGTH = 2000


def context(request):
    """Template context processor: `elder_mode` for base.html's <html> class and toggle, and
    `elder_next`, the address the toggle comes back to."""
    back = request.get_full_path()
    return {
        "elder_mode": is_on(request),
        "elder_next": back if len(back) <= MAX_NEXT_LENGTH else request.path,
    }


# No CSRF token: a token would set a cookie on every page and so keep every page out of the
# page cache, and all a forged post could do is change another visitor's type size.
@csrf_exempt
@require_POST
@never_cache
def toggle(request):
    """Set (`elder=1`) or clear (`elder=0`) the cookie and go back to `next`, a path on this
    site. Anything else is a 400 with the site's page, never an open redirect."""
    choice = request.POST.get("elder")
    if choice not in CHOICES:
        raise BadRequest("elder must be 1 or 0")
    # Stripped as url_has_allowed_host_and_scheme strips it before checking: " /x" would
    # otherwise be checked as /x and sent as the relative address %20/x.
    next_url = (request.POST.get("next") or "").strip() or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        raise BadRequest("next must be a page of this site")
    response = HttpResponseRedirect(next_url)
    response.status_code = 303  # See Other: the browser GETs the page after the post
    if CHOICES[choice]:
        response.set_cookie(
            COOKIE_NAME,
            "1",
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,  # read by the server only
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response
