"""Output channels of a page other than its web page (kiosk, print, PDF, feeds), and the
admin's previews of them.

The page types live here in cms/; the renderers live in publications/ and register
themselves when that app loads. cms never imports publications, so data flows one way
(editors → cms → publications) and a channel with no renderer is simply a 404.

Two registries: the public renderers, which Wagtail's routing reaches with the live page, and
the preview renderers, which a page's `serve_preview` reaches with the draft the admin built
(from the edit form or the latest revision). A channel that caches (the PDF) has a preview
renderer of its own that draws the draft and stores nothing; one that only renders the object
it is given (kiosk, print) registers the same view in both.
"""

from django.http import Http404

# The URL suffix of each channel under the page's own URL.
SUFFIXES = {"kiosk": "kiosk/", "print": "print/", "pdf": "pdf/", "rss": "rss/", "atom": "atom/"}

_renderers = {}
_previews = {}


def _registrar(registry, channel, model):
    def decorator(view):
        registry[(channel, model)] = view
        return view

    return decorator


def register(channel, model):
    """Decorator: `@register("kiosk", ServiceGuidePage)` on a view(request, page)."""
    return _registrar(_renderers, channel, model)


def register_preview(channel, model):
    """Decorator: `@register_preview("pdf", ServiceGuidePage)` on a view(request, draft) that
    renders the draft it is given and writes no cache."""
    return _registrar(_previews, channel, model)


def _find(registry, model, channel):
    for klass in model.__mro__:
        view = registry.get((channel, klass))
        if view is not None:
            return view
    return None


def renderer(model, channel):
    """The view registered for `channel` on `model` or one of its bases, or None."""
    return _find(_renderers, model, channel)


def previewer(model, channel):
    """The preview view registered for `channel` on `model` or one of its bases, or None."""
    return _find(_previews, model, channel)


def serve(request, page, channel):
    view = renderer(type(page), channel)
    if view is None:
        raise Http404(f"该内容没有{channel}版本")
    return view(request, page)


def preview(request, page, channel):
    view = previewer(type(page), channel)
    if view is None:
        raise Http404(f"该内容没有{channel}预览")
    return view(request, page)
