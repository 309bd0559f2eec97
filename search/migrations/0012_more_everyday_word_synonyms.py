"""More everyday words beside those of 0009: certificates and plates by their street names
(医保卡 is the 社会保障卡 in most cities, 车牌 the 机动车号牌), and plain words for the terms
guides use (个税, 过世, 辞职, 大学生). Editors change or delete them like any synonym."""

from django.db import migrations

STARTER_GROUPS = [
    ("医保卡，社保卡，社会保障卡", "日常说法与指南用语"),
    ("车牌，车牌照，号牌，机动车号牌", "日常说法与指南用语"),
    ("临牌，临时号牌，临时行驶车号牌", "日常说法与指南用语"),
    ("个税，个人所得税", "日常说法与指南用语"),
    ("去世，过世，死亡，身故", "日常说法与指南用语"),
    ("辞职，离职", "日常说法与指南用语"),
    ("大学生，高校毕业生", "日常说法与指南用语"),
    ("电动车，电动自行车", "日常说法与指南用语"),
]


def add(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    for terms, note in STARTER_GROUPS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def remove(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in STARTER_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0011_search_days")]

    operations = [migrations.RunPython(add, remove)]
