"""A list request of the page API costs the same SQL queries whatever the number of pages it
lists: each page type's related rows are fetched for the whole list at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import GuideLegalBasis, GuideMaterial, GuideStep
from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 40


def queries_of(client, url):
    """(queries, response) of `url`, after one request that warms the site-root cache."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def add_guides(count, cited, draft_cited):
    """Guides citing a public and (every other one) an unpublished policy."""
    for n in range(count):
        factories.guide(basis_policy=draft_cited if n % 2 else cited)


def test_a_guide_list_costs_the_same_queries_for_5_and_30_guides(client):
    cited, draft_cited = factories.policy(), factories.policy(live=False)
    url = "/api/v2/pages/?type=cms.ServiceGuidePage&fields=*&limit=100"

    add_guides(5, cited, draft_cited)
    few, data = queries_of(client, url)
    assert data["meta"]["total_count"] == 5

    add_guides(25, cited, draft_cited)
    many, data = queries_of(client, url)
    assert data["meta"]["total_count"] == 30

    assert few == many <= MAX_QUERIES
    # What the fetched rows say is still right: a citation links only a public policy.
    linked = {basis["policy_url"] for item in data["items"] for basis in item["legal_bases"]}
    assert linked == {None, cited.url}
    assert all(len(item["materials"]) == 2 for item in data["items"])


def test_a_guide_detail_costs_the_same_queries_however_many_rows_it_has(client):
    policy = factories.policy()
    small = factories.guide(basis_policy=policy)
    large = factories.guide(basis_policy=policy)
    for n in range(8):
        GuideMaterial.objects.create(guide=large, material=factories.material())
        GuideLegalBasis.objects.create(guide=large, kind="creation", title="依据", policy=policy)
        GuideStep.objects.create(guide=large, name=f"环节{n}")

    small_queries, _ = queries_of(client, f"/api/v2/pages/{small.pk}/")
    large_queries, data = queries_of(client, f"/api/v2/pages/{large.pk}/")

    assert small_queries == large_queries <= MAX_QUERIES
    assert (len(data["materials"]), len(data["legal_bases"]), len(data["steps"])) == (10, 10, 10)


def test_a_policy_list_costs_the_same_queries_for_3_and_12_policies(client):
    url = "/api/v2/pages/?type=cms.PolicyPage&fields=*&limit=100"

    def add_policies(count):
        for _ in range(count):
            policy = factories.policy()
            factories.guide(title=f"引用{policy.pk}", basis_policy=policy)
            factories.guide(title=f"草稿引用{policy.pk}", basis_policy=policy, live=False)

    add_policies(3)
    few, _ = queries_of(client, url)
    add_policies(9)
    many, data = queries_of(client, url)

    assert few == many <= MAX_QUERIES
    for item in data["items"]:
        assert [guide["title"] for guide in item["citing_guides"]] == [f"引用{item['id']}"]
