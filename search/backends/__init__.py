"""The portal's search backends, chosen in settings the way Django chooses caches:

    PORTAL_SEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends.embedded"},
        "es": {"BACKEND": "search.backends.elasticsearch", "URL": "http://es:9200", "INDEX": "zhengwu"},
    }

BACKEND names a module with a `SearchBackend` class; the other keys are its parameters.
"""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class InvalidSearchBackendError(ImproperlyConfigured):
    pass


def load_backend(alias="default", **overrides):
    """A new backend instance from the settings entry `alias` (parameters overridable)."""
    try:
        params = dict(settings.PORTAL_SEARCH_BACKENDS[alias])
    except KeyError:
        raise InvalidSearchBackendError(
            f"PORTAL_SEARCH_BACKENDS 中没有名为 {alias!r} 的检索后端"
        ) from None
    params.update(overrides)
    path = params.pop("BACKEND")
    try:
        backend_class = import_module(path).SearchBackend
    except (ImportError, AttributeError) as error:
        raise InvalidSearchBackendError(f"无法载入检索后端 {path!r}：{error}") from error
    return backend_class(alias, params)


@cache
def get_search_backend(alias="default"):
    """The backend of `alias`, one instance per process (it holds its client and caches)."""
    return load_backend(alias)
