"""What search keeps in the database: editors' synonyms, the daily search statistics, hot
queries and their blocked words, the pages hidden since their sync, the text read from
attached files, and the embedded backend's index.

The log of answered queries and the editors' best bets are Wagtail's own
(wagtail.contrib.search_promotions: Query, QueryDailyHits, SearchPromotion).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from search import text

SYNONYM_SEPARATORS = re.compile(r"[,，、;；\s]+")


class Synonym(models.Model):
    """A group of words that mean the same to a visitor (社保，社会保险): a search for any one
    also finds the others. Applied when searching, so a change works at once, without
    rebuilding the index."""

    terms = models.CharField(
        "同义词组",
        max_length=500,
        help_text="两个或更多个意思相同的词，用逗号或顿号分隔，如：社保，社会保险",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["terms"]

    def __str__(self):
        return "，".join(self.words)

    @property
    def words(self) -> list[str]:
        """The group's words, normalised as queries are (search.text.normalise_query)."""
        words = (text.normalise_query(w) for w in SYNONYM_SEPARATORS.split(self.terms or ""))
        return list(dict.fromkeys(w for w in words if w))

    def clean(self):
        words = self.words
        if len(words) < 2:
            raise ValidationError({"terms": "至少填写两个不同的词。"})
        unusable = [w for w in words if not text.Term(w)]
        if unusable:
            raise ValidationError(
                {"terms": f"这些词不含汉字、字母或数字，无法检索：{'、'.join(unusable)}"}
            )


class ServiceTerm(models.Model):
    """An editor's group of the service lexicon (search/lexicon): the everyday ways of saying
    one standard item name. A group with the standard name of a shipped one replaces it;
    with no phrasings it switches the shipped group off."""

    standard_name = models.CharField(
        "标准事项名称",
        max_length=200,
        unique=True,
        help_text="事项目录中的标准名称，如：犬只登记",
    )
    phrasings = models.TextField(
        "俗称与口语说法",
        blank=True,
        help_text="群众怎么说，用顿号或逗号分隔，如：养狗、办狗证、狗证。"
        "与产品自带词组同名时替换该词组；留空则停用该词组。",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    panels = [FieldPanel("standard_name"), FieldPanel("phrasings"), FieldPanel("note")]

    class Meta:
        verbose_name = "俗称词条"
        verbose_name_plural = "俗称词库"
        ordering = ["standard_name"]

    def __str__(self):
        return self.standard_name

    @property
    def group(self):
        from search.lexicon import Group, normalised_name, split_phrasings

        standard = normalised_name(self.standard_name)
        return Group(standard, tuple(split_phrasings(self.phrasings)), "编辑")

    def clean(self):
        from search.lexicon import shipped

        self.standard_name = " ".join((self.standard_name or "").split())
        if not text.Term(text.normalise_query(self.standard_name)):
            raise ValidationError({"standard_name": "标准事项名称须含汉字、字母或数字。"})
        group = self.group
        too_short = [p for p in group.phrasings if len(p) < 2]
        if too_short:
            raise ValidationError({"phrasings": f"俗称至少两个字：{'、'.join(too_short)}"})
        if not group.phrasings and group.standard not in {g.standard for g in shipped()}:
            raise ValidationError(
                {"phrasings": "请至少填写一个俗称（留空只用于停用产品自带的同名词组）。"}
            )


class SearchDay(models.Model):
    """One query on one day (Asia/Shanghai): how many visitors asked it, how many of those
    it answered with nothing, how many saw results on the search page and how many of those
    clicked one (search/stats.py). Counts only: nothing about a visitor is kept."""

    query_string = models.CharField("搜索词", max_length=100)
    date = models.DateField("日期")
    searches = models.PositiveIntegerField("搜索次数", default=0)
    zero_results = models.PositiveIntegerField("无结果次数", default=0)
    # On the search page only: its result links count clicks (/search/go/), the API's cannot.
    impressions = models.PositiveIntegerField("搜索页展示结果次数", default=0)
    clicks = models.PositiveIntegerField("点击次数", default=0)

    class Meta:
        verbose_name = "搜索统计"
        verbose_name_plural = "搜索统计"
        constraints = [
            models.UniqueConstraint(fields=["query_string", "date"], name="one_search_day")
        ]
        # The reports and the pruning read a window of days.
        indexes = [models.Index(fields=["date"], name="search_day_date")]

    def __str__(self):
        return f"{self.query_string} {self.date}"


class HotQuery(models.Model):
    """A query that found results: shown under 热门搜索 on the search page once enough distinct
    visitors asked it (search/hot.py), unless an editor hides it or it holds a blocked word."""

    query_string = models.CharField("搜索词", max_length=100, unique=True)
    hidden = models.BooleanField(
        "隐藏", default=False, help_text="隐藏后不在搜索页的“热门搜索”中显示，访客仍可搜索。"
    )
    first_searched_at = models.DateTimeField("首次搜索", auto_now_add=True)

    panels = [FieldPanel("hidden")]

    class Meta:
        verbose_name = "热门搜索词"
        verbose_name_plural = "热门搜索词"

    def __str__(self):
        return self.query_string


class HotQueryVisitor(models.Model):
    """One visitor who asked a query on one day, known only by a keyed hash of that day, their
    address and their browser (search.hot.visitor_key): never the address itself, and no key
    links one day to another. Kept for the days hot queries count (HOT_QUERY_DAYS)."""

    query = models.ForeignKey(HotQuery, on_delete=models.CASCADE, related_name="visitors")
    day = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "day", "visitor"], name="one_visit_a_day")
        ]
        indexes = [models.Index(fields=["day"], name="hot_query_visitor_day")]

    def __str__(self):
        return f"{self.query} {self.day}"


class HotQueryBlockedWord(models.Model):
    """A word no hot query may hold: the contact details and offers (微信, 加群, 代办, 贷款…)
    that people post into public search boxes. The query still searches as usual."""

    word = models.CharField(
        "屏蔽词",
        max_length=50,
        unique=True,
        help_text="含有此词的搜索词不会出现在“热门搜索”中（不影响搜索本身）。",
    )

    panels = [FieldPanel("word")]

    class Meta:
        verbose_name = "热门搜索屏蔽词"
        verbose_name_plural = "热门搜索屏蔽词"
        ordering = ["word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = text.normalise_query(self.word or "").replace(" ", "")
        if not self.word:
            raise ValidationError({"word": "请填写屏蔽词。"})


class HiddenPage(models.Model):
    """A page that stopped being public and may still be in an index, because the task that
    removes it has not run yet (search/hidden.py). Every search leaves it out."""

    page_id = models.PositiveIntegerField("页面", unique=True)
    noted_at = models.DateTimeField("下线时间", auto_now_add=True)

    class Meta:
        verbose_name = "待移出检索的页面"
        verbose_name_plural = "待移出检索的页面"

    def __str__(self):
        return str(self.page_id)


class AttachmentText(models.Model):
    """The plain text of one document's file as search indexes it (search/attachments.py),
    kept under the file's SHA-1 so a rebuild reads only the files that changed. Replacing a
    document's file keeps its row and changes its hash: the next sync reads it again.

    Kept in backups (unlike the index): a restore's rebuild then reads no file again."""

    document = models.OneToOneField(
        "wagtaildocs.Document",
        verbose_name="文件",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_hash = models.CharField("文件摘要", max_length=40)
    text = models.TextField("文字", blank=True)
    extracted_at = models.DateTimeField("读取时间", auto_now=True)

    class Meta:
        verbose_name = "附件文字"
        verbose_name_plural = "附件文字"

    def __str__(self):
        return str(self.document_id)


# --- the embedded backend's index (search/backends/embedded/) ------------------------------


class IndexState(models.Model):
    """Which generation of the embedded index the site reads, and which one a rebuild is
    writing. A rebuild fills a new generation beside the live one and switches over in one
    transaction, so searches never see a half-built index."""

    live_generation = models.PositiveIntegerField(default=1)
    building_generation = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "索引状态"

    def __str__(self):
        return f"live {self.live_generation}, building {self.building_generation}"


class IndexedDocument(models.Model):
    """One search document (search.documents.PortalDocument) of one generation.

    The text columns hold the original text, for highlighting. Matching uses tokens stored
    beside it, in tables of the embedded backend's own per generation: FTS5 tables on SQLite
    (rowid = this id), a table of tsvectors on PostgreSQL (id = this id).
    """

    generation = models.PositiveIntegerField()
    page_id = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    # Every facet value in one column, "|kind=guide|department=D01|theme=t1|theme=t2|…|":
    # counting facets is one GROUP BY over it (grouping six columns over 26,000 matches took
    # four times as long), and a filter is one instr() (search/backends/embedded/rows.py).
    facets = models.TextField(blank=True)
    high_frequency = models.BooleanField(default=False)
    boost = models.FloatField(default=1.0)
    title_length = models.PositiveSmallIntegerField(default=0)  # ties go to the shorter title
    date = models.DateField(null=True)
    expire_at = models.DateTimeField(null=True)
    # What a search reads for every matching row (id, generation, expire_at, boost,
    # title_length, page_id, facets) is also in one SQLite index (migration 0004), so only
    # the page of hits shown reads these texts.
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    details = models.JSONField(default=dict)
    keywords = models.TextField(blank=True)
    materials = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["generation", "page_id"], name="one_document_per_page")
        ]
        indexes = [models.Index(fields=["page_id"], name="indexed_document_page")]

    def __str__(self):
        return f"{self.title} ({self.generation})"


class SuggestionKey(models.Model):
    """One way of typing the start of a document's title or alias: as written, as full
    pinyin, as initials. Its weight ranks it: the document's kind and high frequency, and
    whether the key is typed from the start of the title (search.sources.suggestion)."""

    generation = models.PositiveIntegerField()
    page_id = models.PositiveIntegerField()
    key = models.CharField(max_length=255)
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        # Replacing or removing a page's keys finds them by page.
        indexes = [models.Index(fields=["page_id", "generation"], name="suggestion_page")]

    def __str__(self):
        return self.key

    # Its prefix index, (generation, weight, key) with keys in byte order, is made per database
    # by migration 0004: PostgreSQL needs COLLATE "C" for a prefix range to use it.
