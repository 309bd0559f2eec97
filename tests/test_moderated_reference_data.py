"""Reference data is moderated like pages: an editor's change to a material (or department,
window, theme) is a draft the site never shows until a reviewer publishes it through the
workflow; then every guide that prints it shows it on the page, the kiosk view and a fresh PDF.
"""

import io
import re

import pypdf
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_q.models import OrmQ
from wagtail.models import Workflow, WorkflowContentType, WorkflowState

from cms.caching import version
from cms.install import EDITORS, REVIEWERS, WORKFLOW_NAME
from cms.models import (
    Department,
    Material,
    OneThingIndexPage,
    OneThingItem,
    OneThingPage,
    Theme,
)
from cms.reference_data import impact
from publications import cache, editions
from tests import factories
from tests.test_same_source_channels import visible_text

pytestmark = pytest.mark.django_db

OLD_NAME = "企业设立登记申请书"
NEW_NAME = "公司登记（备案）申请书"


def url(name, *args):
    return reverse(f"wagtailsnippets_cms_material:{name}", args=args)


def material_form(material, **changes):
    data = {
        "code": material.code,
        "name": material.name,
        "form": material.form,
        "source": material.source,
        "notes": material.notes,
        "blank_form": "",
        "sample": "",
    }
    data.update(changes)
    return data


def pdf_text(client, guide):
    response = client.get(f"{guide.url}pdf/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def public_text(client, guide, suffix=""):
    response = client.get(guide.url + suffix)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def queued():
    return [entry.task["func"] for entry in OrmQ.objects.all()]


def bundle(guides):
    index = OneThingIndexPage.objects.first() or factories.add_page(
        factories.home(), OneThingIndexPage(title="一件事一次办")
    )
    page = OneThingPage(title="开办企业一件事", life_event="从领执照到刻章、开户")
    page.items = [OneThingItem(guide=guide) for guide in guides]
    return factories.add_page(index, page)


def guide_material(guide, name=OLD_NAME):
    return next(row.material for row in guide.materials.all() if row.material.name == name)


def test_the_editorial_workflow_moderates_the_reference_data():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    for model in ("department", "servicewindow", "theme", "material"):
        content_type = ContentType.objects.get_by_natural_key("cms", model)
        assert WorkflowContentType.objects.get(content_type=content_type).workflow == workflow


def test_a_renamed_material_reaches_the_site_only_when_a_reviewer_publishes_it(
    client, django_capture_on_commit_callbacks, run_queued_tasks
):
    guide = factories.guide()
    material = guide_material(guide)
    anonymous = client
    assert OLD_NAME in public_text(anonymous, guide)
    assert OLD_NAME in pdf_text(anonymous, guide)

    # The editor renames it and submits the change for review.
    editor = factories.user("xiaoli", EDITORS)
    OrmQ.objects.all().delete()
    stamp = version.current()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.force_login(editor)
        response = anonymous.post(
            url("edit", material.pk),
            material_form(material, name=NEW_NAME, **{"action-submit": "1"}),
        )
        assert response.status_code == 302, response.content[:500]
    anonymous.logout()
    material.refresh_from_db()
    assert material.name == OLD_NAME and material.has_unpublished_changes
    assert material.latest_revision.as_object().name == NEW_NAME
    state = material.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # Nothing the public sees changed, and nothing was refreshed.
    assert version.current() == stamp
    assert queued() == []
    for suffix in ("", "kiosk/"):
        text = public_text(anonymous, guide, suffix)
        assert OLD_NAME in text and NEW_NAME not in text
    text = pdf_text(anonymous, guide)
    assert OLD_NAME in text and NEW_NAME not in text

    # The reviewer approves: the workflow publishes the revision.
    reviewer = factories.user("laowang", REVIEWERS)
    anonymous.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(
            url("workflow_action", material.pk, "approve", state.current_task_state.pk),
            {"comment": "同意"},
        )
        assert response.status_code in (200, 302)
    anonymous.logout()
    material.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert material.name == NEW_NAME and not material.has_unpublished_changes
    assert version.current() != stamp
    # The guide's PDF was queued; the worker renders the new edition before anyone asks.
    assert "publications.tasks.render_guide_pdf" in run_queued_tasks("publications.")
    for suffix in ("", "kiosk/"):
        text = public_text(anonymous, guide, suffix)
        assert NEW_NAME in text and OLD_NAME not in text
    text = pdf_text(anonymous, guide)
    assert NEW_NAME in text and OLD_NAME not in text


def test_an_editor_cannot_publish_a_material(client):
    material = factories.material(name=OLD_NAME)
    client.force_login(factories.user("xiaoli", EDITORS))
    client.post(
        url("edit", material.pk), material_form(material, name=NEW_NAME, **{"action-publish": "1"})
    )
    material.refresh_from_db()
    assert material.name == OLD_NAME
    response = client.get(url("edit", material.pk))
    assert response.status_code == 200
    assert b'name="action-publish"' not in response.content
    assert b'name="action-submit"' in response.content


def test_an_editor_cannot_create_a_live_material(client):
    client.force_login(factories.user("xiaoli", EDITORS))
    data = material_form(Material(code="M-NEW-1", name="新材料", form="original", source=""))
    client.post(url("add"), {**data, "action-publish": "1"})
    assert client.post(url("add"), {**data, "code": "M-NEW-2"}).status_code == 302
    assert not Material.objects.filter(live=True, code__startswith="M-NEW").exists()
    assert Material.objects.get(code="M-NEW-2").latest_revision is not None  # a draft


def test_the_impact_counts_public_guides_and_bundles_that_print_the_material(client):
    shared = factories.material(name="营业执照")
    guides = [factories.guide() for _ in range(3)]
    draft = factories.guide(live=False)
    for guide in [*guides, draft]:
        row = guide.materials.first()
        row.material = shared
        row.save()
    bundle(guides[:2])
    assert str(impact(shared)) == "影响 3 篇指南、1 个一件事"

    client.force_login(factories.user("xiaoli", EDITORS))
    response = client.get(url("edit", shared.pk))
    assert "影响 3 篇指南、1 个一件事" in response.content.decode()


def test_the_impact_of_a_department_counts_its_guides():
    department = factories.department()
    factories.guide(department=department)
    factories.guide(department=department)
    assert str(impact(department)) == "影响 2 篇指南、0 个一件事"
    assert str(impact(Department.objects.create(code="EMPTY", name="空部门"))) == (
        "影响 0 篇指南、0 个一件事"
    )


def test_a_draft_refreshes_nothing_and_publishing_refreshes_caches_pdfs_and_index(
    django_capture_on_commit_callbacks,
):
    guide = factories.guide()
    material = guide_material(guide)
    OrmQ.objects.all().delete()
    stamp = version.current()
    with django_capture_on_commit_callbacks(execute=True):
        material.name = NEW_NAME
        revision = material.save_revision()
    assert version.current() == stamp
    assert queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert version.current() != stamp
    assert "publications.tasks.render_guide_pdf" in queued()
    assert "publications.tasks.render_department_book" in queued()
    assert any(func.startswith("search.") for func in queued())


def test_publishing_a_material_makes_a_new_edition_of_the_department_book():
    guide = factories.guide()
    material = guide_material(guide)
    guides = list(editions.department_guides(guide.department))
    before = cache.book_key(guide.department, guides)
    material.name = NEW_NAME
    revision = material.save_revision()
    assert cache.book_key(guide.department, guides) == before
    revision.publish()
    assert cache.book_key(guide.department, guides) != before


def test_a_direct_write_of_a_live_record_refreshes_as_before(django_capture_on_commit_callbacks):
    # Importers, the demo loader and the shell write rows directly: they reach the site at once.
    guide = factories.guide()
    material = guide_material(guide)
    OrmQ.objects.all().delete()
    stamp = version.current()
    with django_capture_on_commit_callbacks(execute=True):
        material.name = NEW_NAME
        material.save()
    assert version.current() != stamp
    assert "publications.tasks.render_guide_pdf" in queued()


def test_a_window_keeps_its_departments_in_the_draft():
    window = factories.window(factories.department())
    other = factories.department()
    window.departments.add(other)
    revision = window.save_revision()
    assert window.__class__.objects.get(pk=window.pk).departments.count() == 1
    revision.publish()
    assert window.__class__.objects.get(pk=window.pk).departments.count() == 2


def test_a_locked_material_cannot_be_edited_by_another_editor(client):
    material = factories.material(name=OLD_NAME)
    client.force_login(factories.user("laowang", REVIEWERS))
    assert client.post(url("lock", material.pk)).status_code == 302
    material.refresh_from_db()
    assert material.locked

    client.force_login(factories.user("xiaoli", EDITORS))
    client.post(url("edit", material.pk), material_form(material, name=NEW_NAME))
    material.refresh_from_db()
    assert material.latest_revision is None  # no draft was saved
    client.post(url("unlock", material.pk))  # someone else's lock: not the editor's to lift
    material.refresh_from_db()
    assert material.locked


def test_the_revisions_of_a_material_can_be_compared(client):
    material = factories.material(name=OLD_NAME)
    first = material.save_revision()
    first.publish()
    material.name = NEW_NAME
    second = material.save_revision()
    client.force_login(factories.user("xiaoli", EDITORS))
    response = client.get(url("revisions_compare", material.pk, first.pk, second.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert OLD_NAME in text and NEW_NAME in text
    assert client.get(url("history", material.pk)).status_code == 200


def test_a_new_theme_is_offered_to_visitors_only_once_published(client):
    catalogue = factories.catalogue()
    theme = Theme(name="婚育服务", slug="hunyu")
    theme.live = False
    theme.save()
    revision = theme.save_revision()
    for page in (factories.home(), catalogue):
        assert "婚育服务" not in public_text(client, page)
    revision.publish()
    for page in (factories.home(), catalogue):
        assert "婚育服务" in public_text(client, page)
