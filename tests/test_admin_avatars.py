"""The admin asks nothing of outside services for staff avatars: Wagtail's placeholder, never
gravatar.com (an address's hash sent abroad on every page; unreachable from a hall's intranet,
where the end-to-end test's screenshots showed it as a broken image)."""

import pytest

from cms.install import REVIEWERS
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_admin_never_asks_gravatar_for_a_staff_avatar(client):
    client.force_login(factories.user("reviewer", REVIEWERS))
    html = client.get("/admin/").content.decode()
    assert "default-user-avatar" in html
    assert "gravatar" not in html
