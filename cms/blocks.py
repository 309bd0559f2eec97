"""StreamField blocks for free-form bodies (magazine articles, notices)."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# One rich-text feature set for every editor-facing field: no raw HTML, no embeds of
# third-party scripts. Headings start at h2 because the page title is the h1.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class CaptionedImageBlock(blocks.StructBlock):
    """A photo with a caption under it, as in a printed magazine."""

    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="图注", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "cms/blocks/captioned_image.html"
        preview_value = {"caption": "窗口工作人员为群众办理业务"}


class QuoteBlock(blocks.StructBlock):
    """A pulled quote, e.g. a citizen's words in an interview."""

    text = blocks.TextBlock(label="引文")
    source = blocks.CharBlock(label="出处", required=False, max_length=100)

    class Meta:
        icon = "openquote"
        label = "引文"
        template = "cms/blocks/quote.html"
        preview_value = {"text": "现在来大厅办事，一次就办好了。", "source": "办事群众"}


class BodyBlock(blocks.StreamBlock):
    """The body of an article: paragraphs, photos and quotes in any order."""

    paragraph = blocks.RichTextBlock(label="正文", features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    quote = QuoteBlock()

    class Meta:
        template = "cms/blocks/body.html"
