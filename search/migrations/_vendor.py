"""SQL that differs by database, for the migrations that need it (FTS5 tables, GIN and
byte-order indexes). Django's migration loader skips modules starting with an underscore."""

from django.db import migrations


def vendor_sql(forwards: dict, backwards: dict) -> migrations.RunPython:
    """A RunPython running the statements listed for the database in use."""

    def run(statements):
        def apply(apps, schema_editor):
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forwards), run(backwards))
