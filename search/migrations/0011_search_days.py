"""Daily search statistics (SearchDay) replace the running total of unanswered queries
(UnansweredQuery), which had no dates and could not say "the last 30 days".

Each old total is carried over as one day, the centre's date of its last search: the only
date it has. So the first reports after upgrading count a query's earlier searches on that
day; once it is older than the report's window, the history is per day."""

import re

from django.db import migrations, models
from django.utils import timezone

# search.stats.PERSONAL_NUMBER as this migration was written: a query holding a phone or ID
# card number is not carried over (the statistics record none).
PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:(?:0086|86)?1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?!\d)")
NUMBER_SEPARATORS = re.compile(r"[\s\-.+()（）·—_/]")


def carry_over(apps, schema_editor):
    UnansweredQuery = apps.get_model("portal_search", "UnansweredQuery")
    SearchDay = apps.get_model("portal_search", "SearchDay")
    SearchDay.objects.bulk_create(
        SearchDay(
            query_string=old.query_string,
            date=timezone.localtime(old.last_searched_at).date(),
            searches=old.searches,
            zero_results=old.searches,
        )
        for old in UnansweredQuery.objects.iterator()
        if not PERSONAL_NUMBER.search(NUMBER_SEPARATORS.sub("", old.query_string))
    )


def carry_back(apps, schema_editor):
    UnansweredQuery = apps.get_model("portal_search", "UnansweredQuery")
    SearchDay = apps.get_model("portal_search", "SearchDay")
    totals = (
        SearchDay.objects.filter(zero_results__gt=0)
        .values("query_string")
        .annotate(searches=models.Sum("zero_results"))
    )
    UnansweredQuery.objects.bulk_create(
        UnansweredQuery(query_string=row["query_string"], searches=row["searches"])
        for row in totals
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0010_names_and_materials_tables"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query_string", models.CharField(max_length=100, verbose_name="搜索词")),
                ("date", models.DateField(verbose_name="日期")),
                ("searches", models.PositiveIntegerField(default=0, verbose_name="搜索次数")),
                ("zero_results", models.PositiveIntegerField(default=0, verbose_name="无结果次数")),
                (
                    "impressions",
                    models.PositiveIntegerField(default=0, verbose_name="搜索页展示结果次数"),
                ),
                ("clicks", models.PositiveIntegerField(default=0, verbose_name="点击次数")),
            ],
            options={
                "verbose_name": "搜索统计",
                "verbose_name_plural": "搜索统计",
            },
        ),
        migrations.AddIndex(
            model_name="searchday",
            index=models.Index(fields=["date"], name="search_day_date"),
        ),
        migrations.AddConstraint(
            model_name="searchday",
            constraint=models.UniqueConstraint(
                fields=("query_string", "date"), name="one_search_day"
            ),
        ),
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(
            name="UnansweredQuery",
        ),
    ]
