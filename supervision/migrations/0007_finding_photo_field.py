"""The private photo takes the old field's name. A migration of its own: PostgreSQL refuses to
alter a table in the transaction that updated its rows under deferred constraints (0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0006_finding_photos_private"),
    ]

    operations = [
        migrations.RemoveField(model_name="finding", name="photo"),
        migrations.RenameField(model_name="finding", old_name="photo_file", new_name="photo"),
    ]
