"""`manage.py check` says when the configured search backend cannot work."""

from django.core.checks import Warning, register


@register("search", deploy=True)
def search_backends_work(app_configs, **kwargs):
    from django.conf import settings

    from search.backends import InvalidSearchBackendError, load_backend

    messages = []
    for alias in settings.PORTAL_SEARCH_BACKENDS:
        try:
            problems = load_backend(alias).problems()
        except InvalidSearchBackendError as error:
            problems = [str(error)]
        except Exception as error:  # a database not migrated yet, a cluster unreachable
            problems = [f"{type(error).__name__}: {error}"]
        messages += [
            Warning(problem, obj=f"PORTAL_SEARCH_BACKENDS[{alias!r}]", id="search.W001")
            for problem in problems
        ]
    return messages


@register("search")
def lexicon_files_read(app_configs, **kwargs):
    """A malformed line in search/lexicon/*.txt is reported by `check` (and so by migrate and
    every deploy) with its file and line, not at the first search."""
    from django.core.checks import Error
    from django.core.exceptions import ImproperlyConfigured

    from search import lexicon

    try:
        lexicon.shipped()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="search.E001")]
    return []
