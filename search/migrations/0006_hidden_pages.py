"""Pages hidden since their documents were written, left out of every search until their sync
runs (search/hidden.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal_search', '0005_tokens_table'),
    ]

    operations = [
        migrations.CreateModel(
            name='HiddenPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('page_id', models.PositiveIntegerField(unique=True, verbose_name='页面')),
                ('noted_at', models.DateTimeField(auto_now_add=True, verbose_name='下线时间')),
            ],
            options={
                'verbose_name': '待移出检索的页面',
                'verbose_name_plural': '待移出检索的页面',
            },
        ),
    ]
