"""Hall supervision data, the working-day calendar and the scoring rules.

Windows and departments are the CMS's snippets (cms.ServiceWindow, cms.Department): one
record each, shared by the guides and by supervision.
"""

from supervision.models.bulletins import (
    Bulletin,
    BulletinExtract,
    BulletinSettings,
    DataConfirmation,
    Delivery,
    Subscription,
)
from supervision.models.calendar import CalendarDay
from supervision.models.hall import Case, Evaluation, Finding, InspectionRound, Staff
from supervision.models.imports import ImportRun
from supervision.models.notices import RankingNotice
from supervision.models.rules import ScoringRules

__all__ = [
    "Bulletin",
    "BulletinExtract",
    "BulletinSettings",
    "DataConfirmation",
    "Delivery",
    "Subscription",
    "CalendarDay",
    "Case",
    "Evaluation",
    "Finding",
    "ImportRun",
    "InspectionRound",
    "RankingNotice",
    "ScoringRules",
    "Staff",
]
