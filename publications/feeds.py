"""RSS 2.0 and Atom feeds of what a list page lists: the policies of the policy index, the
issues of a magazine (django.contrib.syndication: a `Feed` with `item_*` hooks).

A feed lists what the list page lists, through the same query: `public_pages` (live,
unexpired, not private, not under a hidden page), newest on the site first. The feeds are
served at rss/ and atom/ under the list page (cms.models.mixins.FeedsMixin) by Wagtail's
routing, so the list page's own privacy and expiry apply, and they are cached like the page and
retired with it (cms.caching). Links are absolute, from the Wagtail site's root URL, the
address the QR codes print too.

The site has no notice (通知公告) pages to list: the home page's 通知公告 is one line of text
on the home page, not a series of items.
https://docs.djangoproject.com/en/5.2/ref/contrib/syndication/
"""

import html
import re

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator

from cms import channels
from cms.models import MagazinePage, PolicyIndexPage
from publications.editions import site_of

FEED_ITEMS = 50
DESCRIPTION_CHARACTERS = 200
# XML 1.0 allows no control characters but tab, newline and carriage return; Django's feed
# writer refuses the whole feed for one of them, and an editor can paste one into a summary.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def xml_text(value):
    """`value` as plain text that may stand in an XML document."""
    return CONTROL_CHARACTERS.sub("", str(value or ""))


def plain_text(rich_text):
    """The readable text of rich-text HTML, on one line."""
    return " ".join(html.unescape(strip_tags(rich_text or "")).split())


class PageListFeed(Feed):
    """What every list page's feed shares: the page as the feed, its URLs, its language."""

    language = "zh-cn"  # RSS 2.0 names languages as RFC 1766 codes
    suffix = "rss/"

    def get_object(self, request, page):
        return page  # cms.channels.serve passes the list page Wagtail routed to

    def title(self, page):
        centre_name, _ = site_of(page)
        return xml_text(f"{centre_name} · {page.title}")

    def link(self, page):
        return page.get_full_url()

    def feed_url(self, page):
        return page.get_full_url() + self.suffix

    def author_name(self, page):
        return xml_text(site_of(page)[0])

    def item_title(self, item):
        return xml_text(item.title)

    def item_link(self, item):
        return item.get_full_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at


class PolicyFeed(PageListFeed):
    """政策文件: number, issuer, dates and validity, then the summary (or the text's start)."""

    def description(self, page):
        centre_name, _ = site_of(page)
        return xml_text(
            page.intro or f"{centre_name}发布的政策文件：文号、发文机关、成文日期与效力状态。"
        )

    def items(self, page):
        return page.policies().order_by("-first_published_at", "-pk")[:FEED_ITEMS]

    def item_description(self, policy):
        facts = [
            f"文号：{policy.document_number}" if policy.document_number else "",
            f"发文机关：{policy.issuer}",
            f"成文日期：{policy.issued_on.year}年{policy.issued_on.month}月{policy.issued_on.day}日",
            f"效力状态：{policy.validity_display}",
        ]
        text = policy.summary.strip() or plain_text(policy.body)
        lines = ["；".join(fact for fact in facts if fact) + "。"]
        if text:
            lines.append(Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARACTERS))
        return xml_text("\n".join(lines))

    def item_author_name(self, policy):
        return xml_text(policy.issuer)

    def item_categories(self, policy):
        return [xml_text(policy.validity_display)]


class MagazineFeed(PageListFeed):
    """电子刊物: each issue with its editor's note and its contents."""

    def description(self, magazine):
        return xml_text(magazine.intro or f"{magazine.title}各期目录与卷首语。")

    def author_name(self, magazine):
        return xml_text(magazine.sponsor or super().author_name(magazine))

    def items(self, magazine):
        issues = list(magazine.issues().order_by("-first_published_at", "-pk")[:FEED_ITEMS])
        for issue in issues:  # read once here for the item hooks, which get the issue only
            issue.magazine_title = magazine.title
            issue.columns = issue.articles_by_column()
        return issues

    def item_title(self, issue):
        label = issue.issue_label
        title = label if issue.title in label else f"{label} {issue.title}"
        return xml_text(f"{issue.magazine_title} {title}")

    def item_description(self, issue):
        lines = [" ".join(issue.editors_note.split())] if issue.editors_note.strip() else []
        titles = [article.title for _, articles in issue.columns for article in articles]
        if titles:
            lines.append("本期目录：" + "；".join(titles))
        return xml_text(Truncator("\n".join(lines)).chars(DESCRIPTION_CHARACTERS * 2))

    def item_categories(self, issue):
        return [xml_text(column.name) for column, _ in issue.columns]


class AtomMixin:
    feed_type = Atom1Feed
    suffix = "atom/"

    def subtitle(self, page):
        return self.description(page)


class PolicyAtomFeed(AtomMixin, PolicyFeed):
    pass


class MagazineAtomFeed(AtomMixin, MagazineFeed):
    pass


channels.register("rss", PolicyIndexPage)(PolicyFeed())
channels.register("atom", PolicyIndexPage)(PolicyAtomFeed())
channels.register("rss", MagazinePage)(MagazineFeed())
channels.register("atom", MagazinePage)(MagazineAtomFeed())
