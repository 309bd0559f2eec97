"""Output channels of a page other than its web page (kiosk, print, PDF).

The page types live here in cms/; the renderers live in publications/ and register
themselves when that app loads. cms never imports publications, so data flows one way
(editors → cms → publications) and a channel with no renderer is simply a 404.
"""

from django.http import Http404

# The URL suffix of each channel under the page's own URL.
SUFFIXES = {"kiosk": "kiosk/", "print": "print/", "pdf": "pdf/"}

_renderers = {}


def register(channel, model):
    """Decorator: `@register("kiosk", ServiceGuidePage)` on a view(request, page)."""

    def decorator(view):
        _renderers[(channel, model)] = view
        return view

    return decorator


def renderer(model, channel):
    """The view registered for `channel` on `model` or one of its bases, or None."""
    for klass in model.__mro__:
        view = _renderers.get((channel, klass))
        if view is not None:
            return view
    return None


def serve(request, page, channel):
    view = renderer(type(page), channel)
    if view is None:
        raise Http404(f"该内容没有{channel}版本")
    return view(request, page)
