"""Sanitising rich text that did not come through Wagtail's editor (imports, scripts, API).

Wagtail's Draftail editor only emits whitelisted markup, but rich text can also arrive from a
catalogue import or a management command. Every page runs its rich-text fields through
`sanitise` before validation, so one rule covers every way in.
"""

import nh3

# Wagtail's stored rich-text format: ordinary HTML plus <a linktype=... id=...> and
# <embed embedtype=... />. https://docs.wagtail.org/en/stable/extending/rich_text_internals.html
ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "b",
    "i",
    "strong",
    "em",
    "u",
    "ol",
    "ul",
    "li",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "embed",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitise(html: str) -> str:
    if not html:
        return html
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
