"""The embedded backend picks its dialect by the site's database, and refuses any database it
has none for instead of guessing (search/backends/embedded/__init__.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from search.backends import load_backend

pytestmark = pytest.mark.django_db


def test_the_embedded_backend_speaks_the_dialect_of_the_database():
    backend = load_backend("default", BACKEND="search.backends.embedded")
    assert type(backend.dialect).__module__ == f"search.backends.embedded.{connection.vendor}"


def test_another_database_stops_the_embedded_backend_with_an_explanation(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(ImproperlyConfigured) as refused:
        load_backend("default", BACKEND="search.backends.embedded")
    assert "只支持 SQLite 和 PostgreSQL" in str(refused.value)
    assert "mysql" in str(refused.value)
    # The command that would build the index says so too, rather than writing to a dialect
    # it guessed.
    with pytest.raises(CommandError, match="只支持 SQLite 和 PostgreSQL"):
        call_command("rebuild_search_index")
