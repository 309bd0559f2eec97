"""On SQLite, the ranking tiers' FTS5 table (title, keywords, materials) becomes two: the
titles and keywords (where items are named) and the materials. A tier test or a lexicon
item name then reads the names' tokens only, not every materials list's (search/backends/
embedded/sqlite.py). The live generation's tokens are copied, so nothing needs rebuilding."""

from django.db import migrations


def split_tiers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    tables = set(schema_editor.connection.introspection.table_names())
    for parity in (0, 1):
        tiers = f"portal_search_tiers_{parity}"
        if tiers not in tables:
            continue
        names, materials = f"portal_search_names_{parity}", f"portal_search_materials_{parity}"
        for statement in (
            f"DROP TABLE IF EXISTS {names}",
            f"DROP TABLE IF EXISTS {materials}",
            f"CREATE VIRTUAL TABLE {names} USING fts5(title, keywords, columnsize=0)",
            f"CREATE VIRTUAL TABLE {materials} USING fts5(materials, columnsize=0)",
            f"INSERT INTO {names} (rowid, title, keywords) SELECT rowid, title, keywords FROM {tiers}",
            f"INSERT INTO {materials} (rowid, materials) "
            f"SELECT rowid, materials FROM {tiers} WHERE materials <> ''",
            f"DROP TABLE {tiers}",
        ):
            schema_editor.execute(statement)


def join_tiers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    tables = set(schema_editor.connection.introspection.table_names())
    for parity in (0, 1):
        names, materials = f"portal_search_names_{parity}", f"portal_search_materials_{parity}"
        if names not in tables:
            continue
        tiers = f"portal_search_tiers_{parity}"
        for statement in (
            f"CREATE VIRTUAL TABLE {tiers} USING fts5(title, keywords, materials, columnsize=0)",
            f"INSERT INTO {tiers} (rowid, title, keywords, materials) "
            f"SELECT n.rowid, n.title, n.keywords, coalesce(m.materials, '') FROM {names} n "
            f"LEFT JOIN {materials} m ON m.rowid = n.rowid",
            f"DROP TABLE {names}",
            f"DROP TABLE IF EXISTS {materials}",
        ):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0009_everyday_word_synonyms")]

    operations = [migrations.RunPython(split_tiers, join_tiers)]
