"""The reference data the end-to-end test starts from (tests/test_end_to_end.py), built inside
the running site's own database: `manage.py shell -c "from tests.e2e_data import build; build()"`.

The demo's own builders, minus its 300 guides (load_demo takes minutes; this a few seconds):
the demo logins, departments, windows and themes, the material catalogue, the section pages
(the catalogue 办事指南 among them), two weeks of hall data for the daily bulletin, and two
subscribers to it. No guide: the test writes the only one, in the admin.
"""

import datetime
import json

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.models import Department, HomePage, Material
from demo.hall import generate_hall_data
from demo.site.builder import DemoBuilder
from supervision.choices import BulletinKind
from supervision.models import Subscription

# Who gets the daily bulletin: the demo manager, and the admin (a second address, so "one mail
# per address" is about more than one).
SUBSCRIBERS = {
    "manager": "manager@zwfw.example.gov.cn",
    "admin": "director@zwfw.example.gov.cn",
}


def build():
    builder = DemoBuilder(verbosity=0)
    builder.home = HomePage.objects.first()
    for step in (
        builder.ensure_users,
        builder.ensure_reference_data,
        builder.ensure_materials,
        builder.ensure_indexes,
    ):
        with transaction.atomic():
            step()

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with transaction.atomic():
        generate_hall_data(
            yesterday - datetime.timedelta(days=13),
            yesterday,
            evaluations_per_day=40,
            cases_per_day=40,
            findings_per_month=20,
        )

    users = get_user_model().objects
    for username, address in SUBSCRIBERS.items():
        user = users.get(username=username)
        user.email = address
        user.save(update_fields=["email"])
        Subscription.objects.get_or_create(user=user, kind=BulletinKind.DAILY)

    # What the test needs to know to fill the admin form: printed for it to read.
    department = Department.objects.order_by("sort_order", "code").first()
    materials = list(Material.objects.filter(code__startswith="CL-").order_by("code")[:3])
    print(
        json.dumps(
            {
                "department": department.name,
                "materials": [m.name for m in materials],
                "subscribers": sorted(SUBSCRIBERS.values()),
            },
            ensure_ascii=False,
        )
    )
