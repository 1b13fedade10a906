"""Reads for the portfolio pages: programme status, overview across cities, versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet

from meirim.budget.models import BudgetLine
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.participation.models import Activity
from meirim.planning.models import Action
from meirim.portfolio import steps
from meirim.portfolio.models import Portfolio, PortfolioVersion, PublicComment, StepFeedback

OVERVIEW_PAGE_SIZE = 50


@dataclass(frozen=True)
class Status:
    code: str

    @property
    def label(self) -> str:
        return steps.status_label(self.code)


def latest_version(municipality: Municipality) -> PortfolioVersion | None:
    return (
        PortfolioVersion.objects.filter(portfolio__municipality=municipality)
        .order_by("-number")
        .first()
    )


def public_status(municipality: Municipality) -> tuple[Status, PortfolioVersion | None]:
    """The city's status and its latest submitted version (public; never a draft)."""
    programme = steps.programme(municipality)
    return Status(programme.status), latest_version(municipality)


def portfolio_find(municipality: Municipality) -> Portfolio | None:
    return Portfolio.objects.filter(municipality=municipality).first()


def versions(municipality: Municipality) -> QuerySet[PortfolioVersion]:
    return PortfolioVersion.objects.filter(portfolio__municipality=municipality).order_by("-number")


def version_get(municipality: Municipality, number: int) -> PortfolioVersion | None:
    return (
        PortfolioVersion.objects.select_related("portfolio")
        .filter(portfolio__municipality=municipality, number=number)
        .first()
    )


def feedback_of(version: PortfolioVersion) -> list[StepFeedback]:
    return list(version.feedback.order_by("step", "id"))


def comments_of(version: PortfolioVersion, *, moderator: bool) -> list[PublicComment]:
    qs = version.public_comments.order_by("created_at", "id")
    if not moderator:
        qs = qs.filter(state=PublicComment.State.PUBLISHED)
    return list(qs)


@dataclass(frozen=True)
class Overview:
    page: Page[Any]
    programmes: list[steps.Programme]
    counts: dict[str, int]


def overview(
    places: QuerySet[Municipality], *, status: str = "", region: str = "", page: Any = 1
) -> Overview:
    """Every municipality in scope with its status and steps, filtered and paged; the counts
    per status are of the whole scope (before the status filter). Statuses come from one
    query; the steps are worked out only for the page shown."""
    qs = places.order_by("region__code", "code")
    if region:
        qs = qs.filter(region__code=region)
    enrolled = steps.statuses(qs)
    counts = dict.fromkeys(steps.STATUSES, 0)
    for value in enrolled.values():
        counts[value] += 1
    counts[steps.NOT_ENROLLED] = qs.count() - len(enrolled)
    rows = qs
    if status == steps.NOT_ENROLLED:
        rows = qs.exclude(steps.enrolled())
    elif status in steps.STATUSES:
        rows = qs.filter(pk__in=[pk for pk, value in enrolled.items() if value == status])
    current = Paginator(rows, OVERVIEW_PAGE_SIZE).get_page(page)
    shown = Municipality.objects.filter(pk__in=[m.pk for m in current.object_list])
    programmes = steps.programmes(shown.order_by("region__code", "code"))
    return Overview(page=current, programmes=programmes, counts=counts)


def feedback_item(municipality: Municipality, pk: str) -> StepFeedback | None:
    if not str(pk).isdigit():
        return None
    return (
        StepFeedback.objects.select_related("version")
        .filter(version__portfolio__municipality=municipality, pk=int(pk))
        .first()
    )


def has_demo_content(municipality: Municipality) -> bool:
    """Whether the city's Phase 1 workspaces hold demonstration content (one query)."""
    return (
        Municipality.objects.filter(pk=municipality.pk)
        .filter(
            Exists(Facility.objects.filter(municipality=OuterRef("pk"), is_demo=True))
            | Exists(Action.objects.filter(municipality=OuterRef("pk"), is_demo=True))
            | Exists(Activity.objects.filter(municipality=OuterRef("pk"), is_demo=True))
            | Exists(BudgetLine.objects.filter(municipality=OuterRef("pk"), is_demo=True))
        )
        .exists()
    )
