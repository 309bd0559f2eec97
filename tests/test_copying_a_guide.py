"""Copying a guide in the admin gives the copy its own implementation code ("<code>-副本",
"-副本2"...) and makes it a draft, for every role that may copy; never a 500."""

import pytest
from wagtail.models import Page

from cms.install import EDITORS
from cms.models import ServiceGuidePage
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["editor", "admin"]


def log_in(client, role):
    if role == "admin":
        client.force_login(factories.user("admin", superuser=True))
    else:
        client.force_login(factories.user("xiaoli", EDITORS))


def copy_url(page):
    return f"/admin/pages/{page.pk}/copy/"


def post_copy(client, page, slug, **extra):
    data = {
        "new_title": page.title + "（副本）",
        "new_slug": slug,
        "new_parent_page": page.get_parent().pk,
        **extra,
    }
    return client.post(copy_url(page), data)


@pytest.mark.parametrize("role", ROLES)
def test_the_copy_form_offers_a_free_slug_and_neither_publishing_nor_an_alias(client, role):
    guide = factories.guide(implementation_code="37060000MB-XK-0101")
    log_in(client, role)

    response = client.get(copy_url(guide))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["new_slug"].initial == "37060000mb-xk-0101-fu-ben"
    assert "publish_copies" not in form.fields
    assert "alias" not in form.fields


@pytest.mark.parametrize("role", ROLES)
def test_copying_a_guide_in_the_admin_makes_a_draft_with_its_own_code(client, role):
    guide = factories.guide(implementation_code="37060000MB-XK-0102")
    log_in(client, role)

    first = post_copy(client, guide, "copy-1")
    second = post_copy(client, guide, "copy-2", publish_copies="on", alias="on")

    assert first.status_code == second.status_code == 302
    copies = ServiceGuidePage.objects.exclude(pk=guide.pk).order_by("pk")
    assert [c.implementation_code for c in copies] == [
        "37060000MB-XK-0102-副本",
        "37060000MB-XK-0102-副本2",
    ]
    for copy in copies:
        assert not copy.live and copy.alias_of is None
        assert [m.code for m in copy.materials.all()] == [m.code for m in guide.materials.all()]
        # The draft an editor opens holds the copy's code, not the original's.
        assert copy.get_latest_revision_as_object().implementation_code == copy.implementation_code
        assert client.get(f"/admin/pages/{copy.pk}/edit/").status_code == 200
    guide.refresh_from_db()
    assert guide.live and guide.implementation_code == "37060000MB-XK-0102"


def test_a_copy_of_a_guide_with_the_longest_code_still_fits_the_field(client):
    code = "X" * ServiceGuidePage._meta.get_field("implementation_code").max_length
    guide = factories.guide(implementation_code=code)
    log_in(client, "admin")

    assert post_copy(client, guide, "copy-1").status_code == 302

    copy = ServiceGuidePage.objects.exclude(pk=guide.pk).get()
    assert copy.implementation_code == code[:-3] + "-副本"


def test_copying_the_catalogue_with_its_guides_is_refused_without_a_500(client):
    factories.guide()
    catalogue = factories.catalogue()
    log_in(client, "admin")

    response = client.post(
        copy_url(catalogue),
        {
            "new_title": "办事指南（副本）",
            "new_slug": "ban-shi-zhi-nan-fu-ben",
            "new_parent_page": catalogue.get_parent().pk,
            "copy_subpages": "on",
        },
    )

    # The catalogue exists once (max_count = 1): Wagtail's form says so.
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ServiceGuidePage.objects.count() == 1


def test_a_copy_with_subpages_gives_every_copied_guide_its_own_code():
    first = factories.guide(implementation_code="37060000MB-XK-0201")
    second = factories.guide(implementation_code="37060000MB-XK-0202")
    catalogue = factories.catalogue()

    copy = catalogue.copy(
        recursive=True, to=factories.home(), update_attrs={"slug": "copy"}, keep_live=False
    )

    copied = ServiceGuidePage.objects.child_of(Page.objects.get(pk=copy.pk)).order_by("path")
    assert [g.implementation_code for g in copied] == [
        first.implementation_code + "-副本",
        second.implementation_code + "-副本",
    ]
    assert not any(g.live for g in copied)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("parent", ["abc", "99999999999999999999", "-1", "", "999999", "１２"])
def test_a_copy_to_a_malformed_or_missing_parent_is_a_400(client, role, parent):
    guide = factories.guide()
    log_in(client, role)
    response = post_copy(client, guide, "x-copy", new_parent_page=parent)
    assert response.status_code == 400
    assert "请选择有效的目标上级页面" in response.content.decode()
    assert ServiceGuidePage.objects.count() == 1
