"""The groups created on install get their permissions on the very first migrate."""

import pytest
from django.contrib.auth.models import Group

from cms.install import EDITORS, MANAGERS, REVIEWERS
from tests import factories

pytestmark = pytest.mark.django_db


def test_editors_may_propose_but_not_publish_reference_data():
    # Moderated like pages (docs/editorial-workflow.md): drafts and submissions, no publishing.
    editor = factories.user("xiaoli", EDITORS)
    assert editor.has_perm("cms.view_material")
    assert editor.has_perm("cms.change_material")
    assert editor.has_perm("cms.lock_department")
    assert not editor.has_perm("cms.publish_material")
    assert not editor.has_perm("cms.publish_department")
    assert not editor.has_perm("cms.unlock_material")
    assert not editor.has_perm("cms.delete_material")
    assert not editor.has_perm("cms.change_magazinecolumn")  # not moderated: read only


def test_reviewers_and_managers_maintain_and_publish_reference_data():
    assert factories.user("laowang", REVIEWERS).has_perm("cms.change_material")
    assert factories.user("laowang2", REVIEWERS).has_perm("cms.publish_theme")
    assert factories.user("zhuren", MANAGERS).has_perm("cms.delete_servicewindow")
    assert factories.user("zhuren2", MANAGERS).has_perm("cms.publish_servicewindow")


def test_every_group_has_admin_access_and_image_permissions():
    for name in (EDITORS, REVIEWERS, MANAGERS):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
        assert group.collection_permissions.filter(permission__codename="add_image").exists()


def test_an_editor_cannot_open_an_unmoderated_snippets_edit_view(client):
    column = factories.magazine_column("改革动态")
    client.force_login(factories.user("xiaoli", EDITORS))
    response = client.get(f"/admin/snippets/cms/magazinecolumn/edit/{column.pk}/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/snippets/cms/magazinecolumn/").status_code == 200


def test_an_editor_opens_a_materials_edit_view(client):
    material = factories.material()
    client.force_login(factories.user("xiaoli", EDITORS))
    assert client.get(f"/admin/snippets/cms/material/edit/{material.pk}/").status_code == 200
