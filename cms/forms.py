"""Admin form behaviour shared by every page type."""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.models import Page


class PinyinSlugPageForm(WagtailAdminPageForm):
    """The slug may be left blank: it is filled from the title's pinyin (or the guide's
    implementation code) and made unique among its siblings, as the model does on save.

    Wagtail's slug widget slugifies Chinese titles to nothing when unicode slugs are off,
    and the field would otherwise be required.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "留空则按标题拼音自动生成"

    def clean(self):
        cleaned = self.cleaned_data
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            probe = self.instance.__class__(
                title=cleaned["title"],
                **{
                    name: cleaned[name]
                    for name in ("implementation_code",)
                    if name in cleaned and hasattr(self.instance, name)
                },
            )
            base = probe.get_slug_base()
            if base:
                slug, suffix = base, 1
                while not Page._slug_is_available(slug, self.parent_page, self.instance):
                    suffix += 1
                    slug = f"{base}-{suffix}"
                cleaned["slug"] = slug
        return super().clean()


class ServiceGuidePageForm(PinyinSlugPageForm):
    """Cross-row rules of a guide that no single inline form can check:
    each material appears once and is published, and a situation asks only for the guide's
    own materials."""

    def is_valid(self):
        # modelcluster validates the child formsets after the page form's clean(), so the
        # rows can only be compared once every formset has been cleaned.
        return super().is_valid() and self._rows_are_consistent()

    def clean(self):
        cleaned = super().clean()
        # A department, window or theme never published holds its first, unreviewed draft in
        # its row (cms.reference_data): a guide citing it would print that draft.
        for name in ("department", "windows", "themes"):
            value = cleaned.get(name)
            records = [value] if hasattr(value, "pk") else list(value or [])
            drafts = [str(record) for record in records if not getattr(record, "live", True)]
            if drafts:
                self.add_error(name, f"“{'、'.join(drafts)}”尚未审核发布，发布后才能在指南中引用。")
        return cleaned

    def _rows_are_consistent(self):
        materials = self.formsets.get("materials")
        situations = self.formsets.get("situations")
        if materials is None or situations is None:
            return True
        ok = True
        listed = set()
        for form in self._kept_forms(materials):
            material = form.cleaned_data.get("material")
            if material is None:
                continue
            if material.pk in listed:
                form.add_error("material", f"材料“{material.name}”已在本指南中列出。")
                ok = False
            if not material.live:
                # A material never published holds its first draft in its row: a guide
                # citing it would print what no reviewer has approved.
                form.add_error(
                    "material", f"材料“{material.name}”尚未审核发布，发布后才能在指南中引用。"
                )
                ok = False
            listed.add(material.pk)
        for form in self._kept_forms(situations):
            extra = [m for m in form.cleaned_data.get("materials") or [] if m.pk not in listed]
            if extra:
                names = "、".join(m.name for m in extra)
                form.add_error("materials", f"请先在“申请材料”中列出：{names}")
                ok = False
        return ok

    @staticmethod
    def _kept_forms(formset):
        return [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]


class GuideCopyForm(CopyForm):
    """Wagtail's copy form for a guide (ServiceGuidePage.copy_form_class): the copy is always a
    draft, never published at once nor an alias.

    The copy's code, "<code>-副本", is a placeholder until an editor enters the new item's own
    code and a reviewer publishes it. An alias mirrors every field of its original, the unique
    implementation code too, so it could never be saved.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
        self.fields.pop("alias", None)
        # The original's slug is taken among its siblings; offer the copy code's instead.
        guide = self.page.specific
        copy_code = guide.copy_code()
        self.fields["new_slug"].initial = type(guide)(implementation_code=copy_code).get_slug_base()
