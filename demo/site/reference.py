"""The demo's reference data: users and their groups, departments, hall zones and windows,
themes, magazine columns and the material catalogue with its blank forms and samples."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.models import (
    Department,
    MagazineColumn,
    Material,
    ServiceWindow,
    Theme,
)
from cms.models.mixins import pinyin_slug
from demo.site import data, specs
from demo.site.content import FORMS_COLLECTION, form_workbook
from demo.site.gaps import FORMS_WITHOUT_BLANK
from demo.site.texts import COLUMNS


class ReferenceData:
    """Steps of DemoBuilder that create the records pages refer to (mixed into DemoBuilder)."""

    def ensure_users(self):
        User = get_user_model()
        self.users = {}
        for spec in data.USERS:
            user, created = User.objects.get_or_create(
                username=spec.username,
                defaults={
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": spec.email or f"{spec.username}@zwfw.example.gov.cn",
                    "is_staff": spec.superuser,
                    "is_superuser": spec.superuser,
                },
            )
            if created:
                user.set_password(spec.password)
                user.save(update_fields=["password"])
                if spec.group:
                    user.groups.add(Group.objects.get(name=spec.group))
                self.created["User"] += 1
            self.users[spec.username] = user
        self.editor = self.users["editor"]
        self.reviewer = self.users["reviewer"]

    def ensure_reference_data(self):
        self.departments = {}
        for dept in data.DEPARTMENTS:
            department, created = Department.objects.get_or_create(
                code=dept.code,
                defaults={
                    "name": dept.name,
                    "short_name": dept.short_name,
                    "phone": dept.phone,
                    "complaint_phone": dept.complaint_phone,
                    "address": f"示范市东城区人民大道188号 {dept.address}",
                    "sort_order": dept.sort_order,
                },
            )
            if created:
                self.created["Department"] += 1
            self.departments[dept.key] = department

        # A window serves the departments whose guides name it.
        staffed_by = {}
        for spec in specs.guide_specs():
            for number in spec.windows:
                staffed_by.setdefault(number, set()).add(spec.department)
        self.windows = {}
        for zone, (floor, windows) in data.ZONES.items():
            for number, name, comprehensive in windows:
                window, created = ServiceWindow.objects.get_or_create(
                    number=number,
                    defaults={
                        "name": name,
                        "zone": zone,
                        "floor": floor,
                        "is_comprehensive": comprehensive,
                    },
                )
                if created:
                    keys = sorted(staffed_by.get(number, ()))
                    window.departments.set([self.departments[key] for key in keys])
                    window.save()  # a cluster relation: written by save()
                    self.created["ServiceWindow"] += 1
                self.windows[number] = window

        self.themes = {}
        for order, (name, (audience, description)) in enumerate(data.THEMES.items(), start=1):
            theme, created = Theme.objects.get_or_create(
                name=name,
                defaults={
                    "slug": pinyin_slug(name),
                    "audience": audience,
                    "description": description,
                    "sort_order": order * 10,
                },
            )
            if created:
                self.created["Theme"] += 1
            self.themes[name] = theme

        self.columns = {}
        for order, name in enumerate(COLUMNS, start=1):
            column, created = MagazineColumn.objects.get_or_create(
                name=name, defaults={"sort_order": order * 10}
            )
            if created:
                self.created["MagazineColumn"] += 1
            self.columns[name] = column

    def ensure_materials(self):
        """The material catalogue; every application form gets a blank XLSX form (except
        those demo/site/gaps.py leaves out), and forms of high-frequency items a filled-in
        sample too."""
        catalogue = specs.material_catalogue()
        existing = {
            m.code: m
            for m in Material.objects.filter(code__in=[s.code for s in catalogue.values()])
        }
        sampled = {spec.materials[0][0] for spec in specs.guide_specs() if spec.high_frequency}
        forms = None
        self.materials = {}
        for key, spec in catalogue.items():
            material = existing.get(spec.code)
            if material is None:
                blank = sample = None
                if spec.code.startswith("CL-SQ") and key not in FORMS_WITHOUT_BLANK:
                    forms = forms or self.collection(FORMS_COLLECTION)
                    blank = self.document(
                        f"{spec.name}（空白表格）",
                        f"{spec.code.lower()}-blank.xlsx",
                        form_workbook(spec.name, filled=False),
                        forms,
                    )
                    if key in sampled:
                        sample = self.document(
                            f"{spec.name}（示例样表）",
                            f"{spec.code.lower()}-sample.xlsx",
                            form_workbook(spec.name, filled=True),
                            forms,
                        )
                material = Material.objects.create(
                    code=spec.code,
                    name=spec.name,
                    form=spec.form,
                    source=spec.source,
                    notes=spec.notes,
                    electronic_licence=spec.electronic_licence,
                    blank_form=blank,
                    sample=sample,
                )
                self.created["Material"] += 1
            self.materials[key] = material
