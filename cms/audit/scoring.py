"""Scores of the guide audit: a guide's is the weighted share of the rules it passes, a
department's the mean of its guides' (docs/audit.md has the weights and an example).

The whole catalogue's audit (`catalogue_audits`) is kept in the cache for the state of the
content it read, so the reports' pages, sorts, filters and exports audit once between changes.
It is kept in the "pages" cache, which every web process shares (files on the embedded
default, Redis at scale): the default cache is each process's own memory there, and the
editors' home, which only reads the audit, would find it in one worker and not the next.
"""

from dataclasses import dataclass, field
from functools import cached_property
from statistics import mean

from django.core.cache import caches
from django.db.models import Count, Max

from cms.audit.links import dead_links, guide_links
from cms.audit.rules import RULES
from cms.caching import version
from cms.models import LinkCheck, ServiceGuidePage

TOTAL_WEIGHT = sum(rule.weight for rule in RULES.values())

# The rows the rules read, fetched with the guides: one query per relation, not per guide.
# (Windows are read only when a guide has no other way to apply: rare enough to ask then.)
AUDIT_ROWS = (
    "steps",
    "legal_bases__policy__superseded_by",
    "materials__material",
    "situations__materials",
)
CACHE_SECONDS = 3600


def score(failed_rules):
    """100 × (weight of the rules passed) / (weight of all rules), to one decimal."""
    lost = sum(RULES[code].weight for code in failed_rules)
    return round(100 * (TOTAL_WEIGHT - lost) / TOTAL_WEIGHT, 1)


@dataclass(frozen=True)
class AuditedGuide:
    """What the reports show of an audited guide: a few values, not the page and its rows, so
    a catalogue's audit is small enough to cache."""

    pk: int | None
    title: str
    implementation_code: str
    department: object  # Department
    live: bool
    has_unpublished_changes: bool

    @classmethod
    def of(cls, page):
        return cls(
            page.pk,
            page.title,
            page.implementation_code,
            page.department,
            page.live,
            page.has_unpublished_changes,
        )

    @property
    def status(self):
        if not self.live:
            return "草稿"
        return "已发布（有待发布的修改）" if self.has_unpublished_changes else "已发布"


@dataclass
class GuideAudit:
    guide: AuditedGuide
    findings: list

    @cached_property
    def failed_rules(self):
        return {finding.rule for finding in self.findings}

    @cached_property
    def score(self):
        return score(self.failed_rules)

    @property
    def finding_count(self):
        return len(self.findings)

    @property
    def findings_text(self):
        """One line a finding, for spreadsheets."""
        return "\n".join(str(finding) for finding in self.findings)

    def findings_by_rule(self):
        """[(Rule, [findings])] for the rules that found something, in the rules' order."""
        return [
            (rule, [f for f in self.findings if f.rule == code])
            for code, rule in RULES.items()
            if code in self.failed_rules
        ]


@dataclass
class DepartmentAudit:
    department: object  # Department
    audits: list = field(default_factory=list)

    @property
    def in_order(self):
        """The departments' own order (Department.Meta.ordering), as a sort key."""
        return (self.department.sort_order, self.department.code)

    @property
    def guide_count(self):
        return len(self.audits)

    @cached_property
    def score(self):
        return round(mean(audit.score for audit in self.audits), 1)

    @property
    def finding_count(self):
        return sum(audit.finding_count for audit in self.audits)

    @property
    def failing_count(self):
        """Guides with at least one finding."""
        return sum(1 for audit in self.audits if audit.findings)

    def failing_for(self, code):
        return sum(1 for audit in self.audits if code in audit.failed_rules)


def audit_guide(guide, links=None):
    """The audit of one guide: a saved page or a draft rebuilt from its revision. `links` maps
    dead addresses to their LinkCheck; read for this guide's addresses when None."""
    if links is None:
        links = dead_links(url for _element, url in guide_links(guide))
    findings = []
    for rule in RULES.values():
        findings += rule.check(guide, links)
    return GuideAudit(AuditedGuide.of(guide), findings)


def audit_guides(guides, chunk_size=500):
    """GuideAudit of each guide of a queryset, fetched in chunks with the rows the rules read."""
    links = dead_links()
    rows = guides.select_related("department").prefetch_related(*AUDIT_ROWS)
    return [audit_guide(guide, links) for guide in rows.iterator(chunk_size=chunk_size)]


def content_state():
    """A stamp of everything the audit reads: the content version (any publish, and any save of
    a material, department, document or policy: cms.caching), the guides there are (a new
    draft publishes nothing) and the link checks."""
    checks = LinkCheck.objects.aggregate(n=Count("pk"), at=Max("checked_at"))
    guides = ServiceGuidePage.objects.count()
    return f"{version.current()}:{guides}:{checks['n']}:{checks['at']}"


def catalogue_audits(compute=True):
    """The audit of every guide, from the cache while the content is unchanged; None if it is
    not cached and not `compute` (the editors' home, which must not take seconds to open)."""
    key = f"guide-audit:{content_state()}"
    audits = caches["pages"].get(key)
    if audits is None and compute:
        audits = audit_guides(ServiceGuidePage.objects.all())
        caches["pages"].set(key, audits, CACHE_SECONDS)
    return audits


def by_department(audits):
    """DepartmentAudit per department that has guides among `audits`, in the departments' order."""
    departments = {}
    for audit in audits:
        department = audit.guide.department
        departments.setdefault(department.pk, DepartmentAudit(department)).audits.append(audit)
    return sorted(departments.values(), key=lambda row: row.in_order)


def summary(audits):
    """The figures docs/audit.md quotes: guides, mean score, and per rule the guides failing
    it and its findings."""
    return {
        "guides": len(audits),
        "mean_score": round(mean(a.score for a in audits), 1) if audits else None,
        "perfect": sum(1 for a in audits if not a.findings),
        "findings": sum(a.finding_count for a in audits),
        "rules": {
            code: {
                "label": rule.label,
                "weight": rule.weight,
                "guides": sum(1 for a in audits if code in a.failed_rules),
                "findings": sum(1 for a in audits for f in a.findings if f.rule == code),
            }
            for code, rule in RULES.items()
        },
    }
