"""Search migrations carry their own copy of what they run (SQL, tokenising): one that
imported the backend would silently do something else once the backend changed."""

import ast

from django.conf import settings


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_search_migrations_import_nothing_of_the_application_but_their_own_helpers():
    migrations = sorted((settings.BASE_DIR / "search" / "migrations").glob("0*.py"))
    assert len(migrations) >= 7
    for path in migrations:
        application = [
            name
            for name in imported_modules(path)
            if name.split(".")[0] in ("search", "cms", "publications", "supervision")
            and not name.startswith("search.migrations")
        ]
        assert application == [], f"{path.name} imports {application}"
