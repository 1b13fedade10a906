"""Reads for the children's strategy and action plan.

For other parts: :func:`actions_for`, :func:`overdue_actions` and :func:`plan_summary`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueItem, CatalogueVersion, GovernanceQuestion, Indicator
from meirim.catalogue.selectors import published_version
from meirim.data import selectors as data_selectors
from meirim.data.models import Observation
from meirim.facilities.models import Availability, Barrier, Facility, FacilityKind
from meirim.geography.models import Municipality
from meirim.governance.models import Answer, AssessmentRound, GovernanceAnswer
from meirim.planning.models import Action, ActionStream, PriorityArea, Strategy
from meirim.reports.selectors import dashboard

#: States in which an action is finished: it is never overdue.
CLOSED_STATUSES = (Action.Status.DONE, Action.Status.EVALUATED, Action.Status.DROPPED)
#: Hart's rungs an action's participation plan may aim at (genuine participation).
TARGET_RUNGS = ("H4", "H5", "H6", "H7", "H8")
#: How many of the index's weakest indicators are offered as candidates.
WEAKEST_SHOWN = 5


# --- Catalogue codes ----------------------------------------------------------------------


def catalogue_version() -> CatalogueVersion | None:
    return published_version()


def indicator_codes(version: CatalogueVersion | None) -> set[str]:
    if version is None:
        return set()
    return set(Indicator.objects.filter(version=version).values_list("code", flat=True))


def question_codes(version: CatalogueVersion | None) -> set[str]:
    if version is None:
        return set()
    return set(GovernanceQuestion.objects.filter(version=version).values_list("code", flat=True))


def list_items(version: CatalogueVersion | None, name: str) -> list[CatalogueItem]:
    """The published catalogue's items of one list (R rights, T types, H rungs…)."""
    if version is None:
        return []
    return list(CatalogueItem.objects.filter(version=version, list=name).order_by("order", "code"))


# --- Strategy --------------------------------------------------------------------------


def strategy_of(municipality: Municipality) -> Strategy | None:
    return (
        Strategy.objects.filter(municipality=municipality)
        .prefetch_related("goals", "priorities")
        .first()
    )


def priorities_of(municipality: Municipality) -> QuerySet[PriorityArea]:
    return PriorityArea.objects.filter(strategy__municipality=municipality).order_by("id")


# --- Actions ----------------------------------------------------------------------------


def actions_for(municipality: Municipality) -> QuerySet[Action]:
    """The city's actions in code order, with their stream and priority area."""
    return (
        Action.objects.filter(municipality=municipality)
        .select_related("stream", "priority_area")
        .order_by("code")
    )


def streams_for(municipality: Municipality) -> QuerySet[ActionStream]:
    return ActionStream.objects.filter(municipality=municipality).order_by("code")


def action_by_code(municipality: Municipality, code: str) -> Action | None:
    return actions_for(municipality).filter(code=code).first()


def is_overdue(action: Action, today: datetime.date) -> bool:
    return (
        action.ends_on is not None
        and action.ends_on < today
        and action.status not in CLOSED_STATUSES
    )


def overdue_actions(municipality: Municipality, today: datetime.date) -> QuerySet[Action]:
    """Actions whose end date has passed while they are not done, evaluated or dropped."""
    return actions_for(municipality).filter(ends_on__lt=today).exclude(status__in=CLOSED_STATUSES)


@dataclass(frozen=True)
class PlanSummary:
    total: int
    by_status: dict[str, int]
    overdue: int


def plan_summary(municipality: Municipality, today: datetime.date | None = None) -> PlanSummary:
    """Counts of the city's actions by status, and how many are overdue."""
    today = today or datetime.date.today()
    counts = Counter(actions_for(municipality).values_list("status", flat=True))
    by_status = {status.value: counts.get(status.value, 0) for status in Action.Status}
    return PlanSummary(
        total=sum(counts.values()),
        by_status=by_status,
        overdue=overdue_actions(municipality, today).count(),
    )


def missing_impact_evidence(action: Action) -> list[str]:
    """What an action lacks to be marked evaluated (R-5.6.2); empty when it has evidence."""
    has_figures = bool(action.impact_before.strip() and action.impact_after.strip())
    if has_figures or action.impact_children_feedback.strip() or action.impact_file:
        return []
    missing = []
    if not action.impact_before.strip():
        missing.append(_("the figure before"))
    if not action.impact_after.strip():
        missing.append(_("the figure after"))
    missing.append(_("or children's feedback"))
    missing.append(_("or an impact evidence file"))
    return missing


@dataclass
class StreamGroup:
    stream: ActionStream | None
    actions: list[Action] = field(default_factory=list)


def grouped_actions(
    municipality: Municipality, actions: list[Action] | None = None
) -> list[StreamGroup]:
    """Streams in code order, each with its actions; actions without a stream last."""
    if actions is None:
        actions = list(actions_for(municipality))
    groups = {s.pk: StreamGroup(s) for s in streams_for(municipality)}
    loose = StreamGroup(None)
    for action in actions:
        group = groups.get(action.stream_id) if action.stream_id else None
        (group or loose).actions.append(action)
    result = list(groups.values())
    if loose.actions:
        result.append(loose)
    return result


# --- Timeline ----------------------------------------------------------------------------

MONTH_WIDTH = 36
LABEL_WIDTH = 72
ROW_HEIGHT = 26
HEADER_HEIGHT = 34
MAX_MONTHS = 72


@dataclass(frozen=True)
class TimelineBar:
    action: Action
    y: int
    x: int
    width: int
    overdue: bool
    header: bool = False
    label: str = ""


@dataclass(frozen=True)
class TimelineMonth:
    x: int
    label: str
    year_start: bool


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    months: tuple[TimelineMonth, ...]
    rows: tuple[TimelineBar, ...]
    today_x: int | None
    undated: tuple[Action, ...]
    label_width: int = LABEL_WIDTH


def _month_index(first: datetime.date, day: datetime.date) -> float:
    months = (day.year - first.year) * 12 + day.month - first.month
    return months + (day.day - 1) / 31


def timeline(municipality: Municipality, today: datetime.date) -> Timeline:
    """A Gantt-like chart: one bar per dated action, grouped by stream, over months."""
    actions = list(actions_for(municipality))
    dated = [a for a in actions if a.starts_on and a.ends_on]
    undated = tuple(a for a in actions if not (a.starts_on and a.ends_on))
    if not dated:
        return Timeline(0, 0, (), (), None, undated)
    # Today is always on the chart, so that what is late shows against it.
    first_day = min([today, *(a.starts_on for a in dated if a.starts_on)])
    last_day = max([today, *(a.ends_on for a in dated if a.ends_on)])
    first = first_day.replace(day=1)
    count = min((last_day.year - first.year) * 12 + last_day.month - first.month + 1, MAX_MONTHS)
    months = []
    for i in range(count):
        year, month = divmod(first.month - 1 + i, 12)
        day = datetime.date(first.year + year, month + 1, 1)
        label = f"{day.year}" if (month == 0 or i == 0) else f"{month + 1:02d}"
        months.append(TimelineMonth(LABEL_WIDTH + i * MONTH_WIDTH, label, month == 0 or i == 0))
    rows: list[TimelineBar] = []
    y = HEADER_HEIGHT
    span = count * MONTH_WIDTH
    for group in grouped_actions(municipality, dated):
        if not group.actions:
            continue
        if group.stream is not None:
            rows.append(
                TimelineBar(group.actions[0], y, 0, 0, False, True, group.stream.code),
            )
            y += ROW_HEIGHT
        for action in group.actions:
            assert action.starts_on and action.ends_on
            start = max(0.0, _month_index(first, action.starts_on))
            end = min(float(count), _month_index(first, action.ends_on) + 1 / 31)
            x = LABEL_WIDTH + int(start * MONTH_WIDTH)
            width = max(4, min(int((end - start) * MONTH_WIDTH), LABEL_WIDTH + span - x))
            rows.append(TimelineBar(action, y, x, width, is_overdue(action, today)))
            y += ROW_HEIGHT
    today_x = None
    position = _month_index(first, today)
    if 0 <= position <= count:
        today_x = LABEL_WIDTH + int(position * MONTH_WIDTH)
    return Timeline(LABEL_WIDTH + span, y + 4, tuple(months), tuple(rows), today_x, undated)


# --- Candidate priority areas -------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    source: str
    reference: str
    title: str
    detail: str = ""
    score: float | None = None  # for a weak indicator: its score (0–100)


def _adopted(municipality: Municipality) -> set[tuple[str, str]]:
    return set(priorities_of(municipality).values_list("source", "source_reference"))


def audit_candidates(municipality: Municipality) -> list[Candidate]:
    """The audit's barriers (grouped by barrier) and its absent facilities (grouped by type)."""
    by_barrier: dict[str, list[str]] = {}
    absent: dict[str, list[str]] = {}
    facilities = Facility.objects.filter(municipality=municipality).order_by("name")
    for facility in facilities:
        for code in facility.barriers or []:
            by_barrier.setdefault(str(code), []).append(facility.name)
        if facility.availability == Availability.ABSENT:
            absent.setdefault(facility.kind, []).append(facility.name)
    barrier_names = dict(Barrier.choices)
    kind_names = dict(FacilityKind.choices)
    result = []
    for code in [c for c in Barrier.values if c in by_barrier]:
        names = by_barrier[code]
        result.append(
            Candidate(
                PriorityArea.Source.AUDIT_BARRIER,
                f"barrier:{code}",
                _("Remove the barrier: %(barrier)s") % {"barrier": barrier_names[code]},
                ", ".join(names),
            )
        )
    for kind in [k for k in FacilityKind.values if k in absent]:
        result.append(
            Candidate(
                PriorityArea.Source.AUDIT_BARRIER,
                f"absent:{kind}",
                _("Provide what is absent: %(kind)s") % {"kind": kind_names[kind]},
                ", ".join(absent[kind]),
            )
        )
    return result


def latest_round(municipality: Municipality) -> AssessmentRound | None:
    return AssessmentRound.objects.filter(municipality=municipality).order_by("-year").first()


def governance_candidates(municipality: Municipality) -> list[Candidate]:
    """The "no" answers of the latest governance round: the city's governance gaps."""
    round_ = latest_round(municipality)
    if round_ is None:
        return []
    answers = (
        GovernanceAnswer.objects.filter(round=round_, answer=Answer.NO)
        .select_related("question", "additional_question")
        .order_by("code")
    )
    result = []
    for answer in answers:
        if answer.question is not None:
            text = answer.question.name
        elif answer.additional_question is not None:
            text = answer.additional_question.text
        else:
            text = ""
        result.append(
            Candidate(
                PriorityArea.Source.GOVERNANCE_GAP,
                answer.code,
                f"{answer.code} {text}".strip()[:300],
                answer.comment,
            )
        )
    return result


@dataclass(frozen=True)
class WeakIndicators:
    candidates: list[Candidate]
    has_results: bool
    year: int | None


def weak_indicator_candidates(
    municipality: Municipality, version: CatalogueVersion | None
) -> WeakIndicators:
    """The index's lowest-scoring indicators with data for the city (its own, draft data too)."""
    if version is None:
        return WeakIndicators([], False, None)
    board = dashboard(version=version, municipality=municipality, preview=True, explained=False)
    scored = [line for line in board.indicators if line.score is not None]
    scored.sort(key=lambda line: (line.score, line.indicator.code))
    result = [
        Candidate(
            PriorityArea.Source.WEAK_INDICATOR,
            line.indicator.code,
            f"{line.indicator.code} {line.indicator.name}"[:300],
            _("score %(score).0f of 100 in %(year)s")
            % {"score": line.score, "year": line.latest_year or board.latest_year},
            line.score,
        )
        for line in scored[:WEAKEST_SHOWN]
    ]
    return WeakIndicators(result, bool(scored), board.latest_year)


@dataclass(frozen=True)
class Candidates:
    audit: list[Candidate]
    governance: list[Candidate]
    weak: WeakIndicators


def priority_candidates(municipality: Municipality, version: CatalogueVersion | None) -> Candidates:
    """What may become a priority area, less what the strategy has already adopted."""
    adopted = _adopted(municipality)

    def fresh(items: list[Candidate]) -> list[Candidate]:
        return [c for c in items if (c.source, c.reference) not in adopted]

    weak = weak_indicator_candidates(municipality, version)
    return Candidates(
        audit=fresh(audit_candidates(municipality)),
        governance=fresh(governance_candidates(municipality)),
        weak=WeakIndicators(fresh(weak.candidates), weak.has_results, weak.year),
    )


@dataclass(frozen=True)
class DataGaps:
    year: int
    indicators: list[Indicator]


def data_gaps(municipality: Municipality, version: CatalogueVersion | None) -> DataGaps | None:
    """The catalogue's indicators with no observation for the city in its latest year (R-4.3.5),
    less those that already have a data-gap action."""
    if version is None:
        return None
    latest = (
        Observation.objects.filter(version=version, municipality=municipality).aggregate(
            year=Max("year")
        )["year"]
        or data_selectors.default_data_year()
    )
    missing = data_selectors.missing_codes(version, municipality, latest)
    planned = set(
        Action.objects.filter(municipality=municipality)
        .exclude(data_gap_indicator="")
        .values_list("data_gap_indicator", flat=True)
    )
    wanted = [code for code in missing if code not in planned]
    by_code = {i.code: i for i in Indicator.objects.filter(version=version, code__in=wanted)}
    return DataGaps(latest, [by_code[code] for code in wanted if code in by_code])


def planned_answer(municipality: Municipality, year: int, code: str) -> GovernanceAnswer | None:
    return (
        GovernanceAnswer.objects.filter(
            round__municipality=municipality, round__year=year, code=code
        )
        .select_related("question", "additional_question", "round")
        .first()
    )


def describe(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy of a dict of field values (for audit rows)."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime.date):
            result[key] = value.isoformat()
        elif hasattr(value, "pk"):
            result[key] = value.pk
        elif hasattr(value, "name") and not isinstance(value, str | list):
            result[key] = getattr(value, "name", "")
        else:
            result[key] = value
    return result
