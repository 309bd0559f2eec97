from .catalogue import CatalogueIndexPage, OneThingIndexPage, OneThingItem, OneThingPage
from .galleries import GalleryHonour, GalleryIndexPage, GalleryPage
from .guide_elements import (
    GuideFAQ,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    HandlingSituation,
    SpecialStep,
)
from .guides import ServiceGuidePage
from .home import HomePage
from .links import LinkCheck
from .magazines import MagazineArticlePage, MagazineIssuePage, MagazinePage
from .policies import PolicyAttachment, PolicyIndexPage, PolicyPage
from .reviews import GuideReview
from .site_settings import KioskSettings
from .snippets import Department, MagazineColumn, Material, ServiceWindow, Theme

__all__ = [
    "CatalogueIndexPage",
    "Department",
    "GalleryHonour",
    "GalleryIndexPage",
    "GalleryPage",
    "GuideFAQ",
    "GuideLegalBasis",
    "GuideMaterial",
    "GuideReview",
    "GuideStep",
    "HandlingSituation",
    "HomePage",
    "KioskSettings",
    "LinkCheck",
    "MagazineArticlePage",
    "MagazineColumn",
    "MagazineIssuePage",
    "MagazinePage",
    "Material",
    "OneThingIndexPage",
    "OneThingItem",
    "OneThingPage",
    "PolicyAttachment",
    "PolicyIndexPage",
    "PolicyPage",
    "ServiceGuidePage",
    "ServiceWindow",
    "SpecialStep",
    "Theme",
]
