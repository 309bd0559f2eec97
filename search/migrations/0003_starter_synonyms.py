"""Synonym groups every centre needs on day one; editors add their own in the admin."""

from django.db import migrations

STARTER_GROUPS = [
    ("身份证，居民身份证", "证件的俗称与全称"),
    ("社保，社会保险", ""),
    ("社保卡，社会保障卡", ""),
    ("医保，医疗保险，基本医疗保险", ""),
    ("公积金，住房公积金", ""),
    ("户口，户籍", ""),
    ("驾照，驾驶证，机动车驾驶证", ""),
    ("行驶证，机动车行驶证", ""),
    ("房产证，不动产权证书，不动产权证", "2015 年起房产证改为不动产权证书"),
    ("个体户，个体工商户", ""),
    ("开公司，企业开办，设立登记", ""),
    ("退休，养老保险待遇", ""),
    ("出生证，出生医学证明", ""),
    ("准生证，生育服务证，生育登记", ""),
    ("残疾证，残疾人证", ""),
    ("低保，最低生活保障", ""),
]


def add(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    for terms, note in STARTER_GROUPS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def remove(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in STARTER_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_token_tables")]

    operations = [migrations.RunPython(add, remove)]
