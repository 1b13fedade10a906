"""What a city's public profile shows, read from the apps that own each part.

Only public facts: the programme status and recognition (dates decide, not the daily task),
the index results of approved years (``Scope.public``), the actions of the plan that are not
drafts, the budget years with a total and lines, the published children's suggestions
(suppressed), the submitted portfolio versions and the published decisions. Never a draft,
never a community report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from meirim.budget import selectors as budget_selectors
from meirim.catalogue.selectors import published_version
from meirim.geography.models import Municipality
from meirim.planning import selectors as planning_selectors
from meirim.planning.models import Action
from meirim.portfolio import selectors as portfolio_selectors
from meirim.portfolio.models import PortfolioDocument, PortfolioVersion
from meirim.recognition.models import Application, Decision, Recognition
from meirim.recognition.status import Lifecycle, lifecycle_of
from meirim.reports.selectors.dashboard import dashboard
from meirim.voice import selectors as voice_selectors


@dataclass(frozen=True)
class Results:
    """The index results in plain words."""

    latest_year: int | None
    compared_year: int | None  # the year the changes are counted against
    better: int
    worse: int
    same: int
    reported: int
    total: int
    index_score: float | None
    demo: bool


@dataclass(frozen=True)
class PlanProgress:
    done: int
    in_progress: int
    planned: int

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.planned


@dataclass(frozen=True)
class Profile:
    municipality: Municipality
    status: Lifecycle
    recognition: Recognition | None
    results: Results | None
    plan: PlanProgress
    budget: budget_selectors.ChildrenPage
    voice: dict[str, Any]
    voice_url: str
    box_url: str
    versions: tuple[PortfolioVersion, ...]
    decisions: tuple[Decision, ...]
    document_kinds: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def latest_version(self) -> PortfolioVersion | None:
        return self.versions[0] if self.versions else None


def index_results(municipality: Municipality) -> Results | None:
    """Changes per indicator since the year before the latest (or the first year), and how
    many indicators the latest year reported."""
    version = published_version()
    if version is None:
        return None
    board = dashboard(version=version, municipality=municipality, explained=False)
    if not board.years:
        return None
    if len(board.years) > 1 and board.baseline_year != board.years[-2]:
        board = dashboard(
            version=version,
            municipality=municipality,
            baseline=board.years[-2],
            explained=False,
        )
    changes = [line.progress.change for line in board.indicators]
    latest = board.completeness[-1] if board.completeness else None
    compared = board.baseline_year if board.baseline_year != board.latest_year else None
    return Results(
        latest_year=board.latest_year,
        compared_year=compared,
        better=changes.count("improved"),
        worse=changes.count("worse"),
        same=changes.count("no_change"),
        reported=latest.reported if latest else 0,
        total=latest.total if latest else 0,
        index_score=board.index.latest if board.index else None,
        demo=board.demo,
    )


def plan_progress(municipality: Municipality) -> PlanProgress:
    """The plan's actions: done (or evaluated), in progress, planned. Drafts and dropped
    actions are not part of the public plan."""
    summary = planning_selectors.plan_summary(municipality)
    by = summary.by_status
    return PlanProgress(
        done=by.get(Action.Status.DONE, 0) + by.get(Action.Status.EVALUATED, 0),
        in_progress=by.get(Action.Status.IN_PROGRESS, 0),
        planned=by.get(Action.Status.PLANNED, 0),
    )


def voice_url(municipality: Municipality) -> str:
    """The city's "you said, we did" page."""
    return reverse("voice:public", args=[municipality.code])


def box_url(municipality: Municipality) -> str:
    """The city's suggestion box, where a child writes to it."""
    return reverse("voice:box", args=[municipality.code])


def published_decisions(municipality: Municipality) -> tuple[Decision, ...]:
    return tuple(
        Decision.objects.filter(
            application__municipality=municipality,
            application__state=Application.State.DECIDED,
        )
        .select_related("application", "application__cycle")
        .order_by("-decided_on", "-pk")
    )


def profile(municipality: Municipality) -> Profile:
    status = lifecycle_of(municipality)
    return Profile(
        municipality=municipality,
        status=status,
        recognition=status.recognition,
        results=index_results(municipality),
        plan=plan_progress(municipality),
        budget=budget_selectors.children_page(municipality),
        voice=voice_selectors.public_summary(municipality),
        voice_url=voice_url(municipality),
        box_url=box_url(municipality),
        versions=tuple(portfolio_selectors.versions(municipality)),
        decisions=published_decisions(municipality),
        document_kinds=tuple(PortfolioDocument.Kind.choices),
    )
