"""Admin form behaviour shared by every page type."""

from wagtail.admin.forms import WagtailAdminPageForm
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
