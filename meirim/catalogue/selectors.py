"""Reads for the national index catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from meirim.accounts import access
from meirim.catalogue.models import (
    BaselineSection,
    CatalogueItem,
    CatalogueVersion,
    Category,
    GovernanceSection,
    Indicator,
    SubDomain,
)


def latest_published_version() -> CatalogueVersion | None:
    return (
        CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED)
        .order_by("-published_at", "-id")
        .first()
    )


def versions_visible_to(user: Any) -> QuerySet[CatalogueVersion]:
    """Published versions for everyone; drafts only for those who maintain the catalogue."""
    qs = CatalogueVersion.objects.select_related("based_on")
    if access.may(user, "catalogue.edit"):
        return qs
    return qs.filter(status=CatalogueVersion.Status.PUBLISHED)


def category_tree(version: CatalogueVersion) -> QuerySet[Category]:
    """Categories → sub-domains → indicators, in three queries."""
    indicators = Indicator.objects.order_by("order")
    subdomains = SubDomain.objects.order_by("order").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return (
        Category.objects.filter(version=version)
        .order_by("order")
        .prefetch_related(Prefetch("subdomains", queryset=subdomains))
    )


def baseline_sections(version: CatalogueVersion) -> QuerySet[BaselineSection]:
    return (
        BaselineSection.objects.filter(version=version)
        .order_by("order")
        .prefetch_related("figures")
    )


def governance_sections(version: CatalogueVersion) -> QuerySet[GovernanceSection]:
    return (
        GovernanceSection.objects.filter(version=version, parent__isnull=True)
        .order_by("order")
        .prefetch_related("subsections__subsection_questions", "questions")
    )


def catalogue_items(version: CatalogueVersion) -> QuerySet[CatalogueItem]:
    return CatalogueItem.objects.filter(version=version).order_by("list", "order")


def indicator_get(version: CatalogueVersion, code: str) -> Indicator:
    return Indicator.objects.select_related("subdomain__category", "version").get(
        version=version, code=code
    )
