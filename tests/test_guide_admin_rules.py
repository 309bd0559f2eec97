"""Rules across a guide's rows, enforced in the admin form, and copying a guide."""

import pytest
from django.urls import reverse

from cms.models import Department, Material, ServiceGuidePage, ServiceWindow, Theme
from tests import factories
from tests.test_same_source_channels import guide_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_post(client):
    client.force_login(factories.user("admin", superuser=True))
    department = factories.department()
    theme = Theme.objects.create(name="工程建设", slug="gong-cheng-jian-she")
    window = factories.window(department)
    id_card = Material.objects.create(code="M-ID", name="居民身份证")
    form = Material.objects.create(code="M-SG", name="施工许可申请表")
    url = reverse(
        "wagtailadmin_pages:add", args=("cms", "serviceguidepage", factories.catalogue().pk)
    )

    def post(**changes):
        data = guide_form_data(department, theme, window, id_card, form)
        data.update(changes)
        return client.post(url, data)

    return post, id_card, form


def test_a_situation_may_only_ask_for_materials_the_guide_lists(admin_post):
    post, id_card, form = admin_post
    response = post(**{"materials-1-DELETE": "1"})
    assert response.status_code == 200
    assert "请先在“申请材料”中列出：施工许可申请表" in response.content.decode()
    assert not ServiceGuidePage.objects.exists()


def test_a_material_may_be_listed_only_once(admin_post):
    post, id_card, form = admin_post
    response = post(**{"materials-1-material": id_card.pk})
    assert response.status_code == 200
    assert "已在本指南中列出" in response.content.decode()
    assert not ServiceGuidePage.objects.exists()


def test_a_material_never_published_cannot_be_cited_by_a_guide(admin_post):
    post, id_card, form = admin_post
    # An editor's new material waiting for review: its row holds the unreviewed draft.
    Material.objects.filter(pk=form.pk).update(live=False)
    response = post()
    assert response.status_code == 200
    assert "材料“施工许可申请表”尚未审核发布" in response.content.decode()
    assert not ServiceGuidePage.objects.exists()


def test_a_department_or_window_never_published_cannot_be_cited_by_a_guide(admin_post):
    post, id_card, form = admin_post
    Department.objects.update(live=False)
    ServiceWindow.objects.update(live=False)
    response = post()
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("尚未审核发布，发布后才能在指南中引用") == 2
    assert not ServiceGuidePage.objects.exists()


def test_copying_a_guide_gives_the_copy_its_own_code():
    guide = factories.guide(implementation_code="37060000MB-XK-0007")
    copy = guide.copy(update_attrs={"title": guide.title + "（副本）", "slug": "copy-1"})
    again = guide.copy(update_attrs={"title": guide.title + "（副本2）", "slug": "copy-2"})
    assert copy.implementation_code == "37060000MB-XK-0007-副本"
    assert again.implementation_code == "37060000MB-XK-0007-副本2"
    assert [m.code for m in copy.materials.all()] == [m.code for m in guide.materials.all()]
