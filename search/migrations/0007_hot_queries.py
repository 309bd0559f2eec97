"""Hot queries counted per visitor a day, with editors' hide action and blocked words
(search/hot.py). The blocked words a centre starts with: contact details and offers that
people post into public search boxes. Editors add and remove words in the admin: 代办 also
blocks 帮办代办 and 贷款 blocks 公积金贷款 from hot queries (never from search); a centre that
wants those shown removes the word."""

import django.db.models.deletion
from django.db import migrations, models

STARTER_WORDS = [
    "微信", "威信", "薇信", "vx", "v信", "加v", "qq", "扣扣", "加群", "进群", "群号", "私聊",
    "代办", "贷款", "网贷", "套现", "刷单", "返利", "赌", "博彩", "代开", "色情", "裸聊",
]


def add_words(apps, schema_editor):
    BlockedWord = apps.get_model("portal_search", "HotQueryBlockedWord")
    BlockedWord.objects.bulk_create(
        [BlockedWord(word=word) for word in STARTER_WORDS], ignore_conflicts=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ('portal_search', '0006_hidden_pages'),
    ]

    operations = [
        migrations.CreateModel(
            name='HotQuery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query_string', models.CharField(max_length=100, unique=True, verbose_name='搜索词')),
                ('hidden', models.BooleanField(default=False, help_text='隐藏后不在搜索页的“热门搜索”中显示，访客仍可搜索。', verbose_name='隐藏')),
                ('first_searched_at', models.DateTimeField(auto_now_add=True, verbose_name='首次搜索')),
            ],
            options={
                'verbose_name': '热门搜索词',
                'verbose_name_plural': '热门搜索词',
            },
        ),
        migrations.CreateModel(
            name='HotQueryBlockedWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(help_text='含有此词的搜索词不会出现在“热门搜索”中（不影响搜索本身）。', max_length=50, unique=True, verbose_name='屏蔽词')),
            ],
            options={
                'verbose_name': '热门搜索屏蔽词',
                'verbose_name_plural': '热门搜索屏蔽词',
                'ordering': ['word'],
            },
        ),
        migrations.CreateModel(
            name='HotQueryVisitor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('visitor', models.CharField(max_length=32)),
                ('query', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visitors', to='portal_search.hotquery')),
            ],
            options={
                'indexes': [models.Index(fields=['day'], name='hot_query_visitor_day')],
                'constraints': [models.UniqueConstraint(fields=('query', 'day', 'visitor'), name='one_visit_a_day')],
            },
        ),
        migrations.RunPython(add_words, migrations.RunPython.noop),
    ]
