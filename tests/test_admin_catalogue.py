"""The project's Chinese catalogues (locale/): compiled as written, complete for the installed
apps, and faithful to every placeholder and tag of the English they translate."""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.translation import trans_real

from tests import factories

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
# The catalogues whose English the admin shows: Wagtail's, and the Django apps whose forms and
# pages an admin user meets (the password form, the Django admin at /django-admin/).
CHECKED_APPS = ("wagtail", "django.contrib.admin", "django.contrib.auth")


def read_po(path):
    """The entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr, msgstr[0]...
    (obsolete #~ entries skipped). Enough of the format for gettext's own output and ours."""
    entries, entry, keyword = [], {}, None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in entry:
                entries.append(entry)
                entry = {}
            if line.startswith("#,"):
                entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgid" in entry:
            entries.append(entry)
            entry = {}
        entry[keyword] = ast.literal_eval(value)
    if "msgid" in entry:
        entries.append(entry)
    return entries


def catalogue_key(entry):
    """The key gettext files a message under (a context joins its msgid with EOT)."""
    if "msgctxt" in entry:
        return f"{entry['msgctxt']}\x04{entry['msgid']}"
    return entry["msgid"]


def translated(entry):
    """What a compiled catalogue holds for a translated, non-fuzzy entry, as gettext keys it."""
    if "fuzzy" in entry.get("flags", ()) or not entry["msgid"]:
        return {}
    if "msgid_plural" in entry:
        forms = sorted(key for key in entry if key.startswith("msgstr["))
        pairs = {(catalogue_key(entry), int(key[7:-1])): entry[key] for key in forms}
        return pairs if all(pairs.values()) else {}
    return {catalogue_key(entry): entry["msgstr"]} if entry["msgstr"] else {}


def english_catalogues(domain):
    for app in apps.get_app_configs():
        if app.name.startswith(CHECKED_APPS):
            path = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                yield app.name, read_po(path)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_files_are_compiled_from_the_po_files(domain):
    expected = {}
    for entry in read_po(LOCALE / f"{domain}.po"):
        expected.update(translated(entry))
    with open(LOCALE / f"{domain}.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    # The header (msgid "") is metadata, not a message.
    compiled_messages = {key: value for key, value in catalogue.items() if key != ""}
    assert compiled_messages == expected, (
        f"locale/zh_Hans/LC_MESSAGES/{domain}.mo is stale: recompile it (locale/README.md)"
    )


def test_every_admin_message_of_the_installed_apps_has_chinese():
    """Wagtail's zh_Hans catalogue or ours translates each message of the English catalogue.
    After a Wagtail upgrade this lists what to add to locale/zh_Hans/LC_MESSAGES/django.po."""
    catalogue = trans_real.translation("zh-hans")._catalog
    missing = [
        f"{app}: {entry['msgid']!r}"
        for app, entries in english_catalogues("django")
        for entry in entries
        if entry["msgid"]
        and ((catalogue_key(entry), 0) if "msgid_plural" in entry else catalogue_key(entry))
        not in catalogue
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_has_every_message_in_chinese(client):
    """Wagtail's /admin/jsi18n/ (Django's JavaScriptCatalog) reads LOCALE_PATHS too."""
    client.force_login(factories.user("editor", superuser=True))
    script = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    served = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert served["Autosave in progress…"] == "正在自动保存…"
    missing = [
        entry["msgid"]
        for app, entries in english_catalogues("djangojs")
        if app == "wagtail.admin"
        for entry in entries
        if entry["msgid"] and catalogue_key(entry) not in served
    ]
    assert not missing, "\n".join(missing)


# %(name)s, %s and %d (python-format), {name} (python-brace-format), and HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}|<[^>]+>")


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_translation_keeps_the_placeholders_and_markup_of_its_english(domain):
    wrong = []
    for entry in read_po(LOCALE / f"{domain}.po"):
        if not entry["msgid"]:
            continue
        # zh has one plural form, which speaks of the plural's numbers.
        english = entry.get("msgid_plural", entry["msgid"])
        chinese = entry.get("msgstr[0]", entry.get("msgstr"))
        if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(chinese)):
            wrong.append(f"{entry['msgid']!r} → {chinese!r}")
    assert not wrong, "\n".join(wrong)
