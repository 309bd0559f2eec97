"""The groups created on install get their permissions on the very first migrate."""

import pytest
from django.contrib.auth.models import Group

from cms.install import EDITORS, MANAGERS, REVIEWERS
from tests import factories

pytestmark = pytest.mark.django_db


def test_editors_may_read_but_not_change_reference_data():
    editor = factories.user("xiaoli", EDITORS)
    assert editor.has_perm("cms.view_material")
    assert not editor.has_perm("cms.change_material")
    assert not editor.has_perm("cms.change_department")


def test_reviewers_and_managers_maintain_reference_data():
    assert factories.user("laowang", REVIEWERS).has_perm("cms.change_material")
    assert factories.user("zhuren", MANAGERS).has_perm("cms.delete_servicewindow")


def test_every_group_has_admin_access_and_image_permissions():
    for name in (EDITORS, REVIEWERS, MANAGERS):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
        assert group.collection_permissions.filter(permission__codename="add_image").exists()


def test_an_editor_cannot_open_a_snippets_edit_view(client):
    material = factories.material()
    client.force_login(factories.user("xiaoli", EDITORS))
    response = client.get(f"/admin/snippets/cms/material/edit/{material.pk}/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/snippets/cms/material/").status_code == 200
