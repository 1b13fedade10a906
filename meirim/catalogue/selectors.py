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
    ScoringMethod,
    SubDomain,
)
from meirim.common import rows


def latest_published_version() -> CatalogueVersion | None:
    # Read on every results page and answer: a plain SELECT, not a query built each time.
    return rows.first(
        CatalogueVersion,
        "status = %s",
        [CatalogueVersion.Status.PUBLISHED],
        order_by=_LATEST_FIRST,
    )


#: Newest publication first (the same order as ``order_by("-published_at", "-id")``).
_LATEST_FIRST = "published_at DESC, id DESC"


def published_version_by_code(code: str) -> CatalogueVersion | None:
    return rows.first(
        CatalogueVersion, "status = %s AND code = %s", [CatalogueVersion.Status.PUBLISHED, code]
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


def scoring_method(version: CatalogueVersion) -> ScoringMethod:
    """The version's scoring method (the defaults, unsaved, for a version without one)."""
    return ScoringMethod.objects.filter(version=version).first() or ScoringMethod(version=version)


def scoring_tree(version: CatalogueVersion) -> list[Category]:
    """Categories → sub-domains → indicators with their weights and goalposts, in three queries."""
    return list(category_tree(version))


def goalposts(version: CatalogueVersion) -> QuerySet[Indicator]:
    """Every indicator of the version, with its place in the tree, in catalogue order."""
    return (
        Indicator.objects.filter(version=version)
        .select_related("subdomain__category")
        .order_by("order", "code")
    )


def published_version(code: str | None = None) -> CatalogueVersion | None:
    """The published version ``code``, or the latest published one."""
    if code:
        return published_version_by_code(code)
    return latest_published_version()
