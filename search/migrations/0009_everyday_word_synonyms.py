"""Everyday words for the words guides use, added to the starter groups of 0003: a citizen
says 车子, 小孩, 房子 and 领养 where a guide writes 机动车, 子女, 房屋 and 收养. Editors change
or delete them in the admin like any synonym."""

from django.db import migrations

STARTER_GROUPS = [
    ("车子，车辆，机动车", "日常说法与指南用语"),
    ("小孩，孩子，子女，儿童", "日常说法与指南用语"),
    ("老婆，妻子，配偶", "日常说法与指南用语"),
    ("老公，丈夫，配偶", "日常说法与指南用语"),
    ("房子，房屋，住房", "日常说法与指南用语"),
    ("狗，犬只", "日常说法与指南用语"),
    ("户口本，户口簿", "日常说法与指南用语"),
    ("上学，入学", "日常说法与指南用语"),
    ("领养，收养", "日常说法与指南用语"),
    ("看病，就医", "日常说法与指南用语"),
    ("买房，购房", "日常说法与指南用语"),
    ("租房，租赁住房", "日常说法与指南用语"),
    ("退休金，养老金", "日常说法与指南用语"),
    ("外地，异地", "日常说法与指南用语"),
    ("老人，老年人", "日常说法与指南用语"),
    ("工资，劳动报酬", "日常说法与指南用语"),
]


def add(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    for terms, note in STARTER_GROUPS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def remove(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in STARTER_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0008_service_terms")]

    operations = [migrations.RunPython(add, remove)]
