"""The scoring rules keep their versions (one row each, frozen once a bulletin used it) and are
moderated inside them: a proposed version or an edit is a draft that no month uses until it is
published, and nothing published can change a version a bulletin has followed."""

from datetime import date as D
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowContentType

from cms.install import MANAGERS
from supervision.install import RULES_WORKFLOW_NAME
from supervision.models import ScoringRules
from tests import factories
from tests.hall import rules

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_our_rules():
    ScoringRules.objects.all().delete()  # the migration's first version


def url(name, *args):
    return reverse(f"wagtailsnippets_supervision_scoringrules:{name}", args=args)


def test_a_proposed_version_counts_only_once_published():
    first = rules(effective_from=D(2026, 1, 1))
    proposed = ScoringRules(name="2026年11月起细则", effective_from=D(2026, 11, 1))
    proposed.live = False
    proposed.save()
    revision = proposed.save_revision()
    assert ScoringRules.in_force(D(2026, 11, 1)) == first
    revision.publish()
    assert ScoringRules.in_force(D(2026, 11, 1)) == proposed


def test_an_edit_is_a_draft_until_published():
    version = rules(base_score=Decimal(100))
    version.base_score = Decimal(120)
    revision = version.save_revision()
    assert ScoringRules.in_force(D(2026, 10, 1)).base_score == Decimal(100)
    revision.publish()
    assert ScoringRules.in_force(D(2026, 10, 1)).base_score == Decimal(120)


def test_a_draft_older_than_the_first_bulletin_cannot_change_the_used_version():
    version = rules(base_score=Decimal(100))
    version.base_score = Decimal(120)
    revision = version.save_revision()
    used_at = timezone.now()
    ScoringRules.objects.filter(pk=version.pk).update(first_used_at=used_at)
    with pytest.raises(ValidationError, match="复制为新版本"):
        revision.publish()
    version.refresh_from_db()
    assert version.base_score == Decimal(100) and version.first_used_at == used_at
    with pytest.raises(ValidationError, match="复制为新版本"):
        version.save_revision()  # and no new draft either


def test_the_rules_have_a_review_workflow_of_their_own():
    content_type = ContentType.objects.get_by_natural_key("supervision", "scoringrules")
    workflow = WorkflowContentType.objects.get(content_type=content_type).workflow
    assert workflow.name == RULES_WORKFLOW_NAME
    task = workflow.tasks.specific().get()
    assert [group.name for group in task.groups.all()] == [MANAGERS]


def test_a_manager_sees_what_a_version_will_govern_and_compares_its_revisions(client):
    version = rules(effective_from=D(2026, 11, 1))
    first = version.save_revision()
    first.publish()
    version.base_score = Decimal(110)
    second = version.save_revision()
    client.force_login(factories.user("zhuren", MANAGERS))
    response = client.get(url("edit", version.pk))
    assert response.status_code == 200
    assert "发布后，2026年11月起的月度考评、排名与简报按本版本计算" in response.content.decode()
    assert client.get(url("revisions_compare", version.pk, first.pk, second.pk)).status_code == 200
