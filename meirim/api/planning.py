"""Phase 1 API: the children's strategy and action plan (registered under /api/v1/ by
meirim.api.api). Reading and writing follow the pages: ``preparation.read`` to read,
``preparation.edit`` to write; an action marked evaluated without impact evidence is refused
with 409."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import declared_access
from meirim.api.data import WRITE_AUTH, ErrorOut, NotAllowedOut
from meirim.api.phase1 import RefusedOut
from meirim.geography.models import Municipality
from meirim.geography.selectors import municipality_find
from meirim.planning import selectors, services
from meirim.planning.models import Action

router = Router(tags=["planning"])


class ActionOut(Schema):
    code: str
    title: str
    description: str
    status: str
    stream: str | None
    target_ages: list[str]
    department: str
    staff_roles: list[str]
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    indicators: list[str]
    priority_area: str | None
    governance_question: str | None
    data_gap_indicator: str | None
    participation: dict[str, str]
    impact: dict[str, Any]
    overdue: bool


class ActionPage(Schema):
    items: list[ActionOut]
    count: int
    next: str | None


class ActionIn(Schema):
    code: str
    title: str
    description: str = ""
    status: str = "planned"
    stream: str | None = None
    target_ages: list[str] = []
    department: str = ""
    staff_roles: list[str] = []
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    indicators: list[str] = []
    priority_area: int | None = None
    governance_question: str = ""
    data_gap_indicator: str = ""
    participation_where: str = ""
    participation_when: str = ""
    participation_type: str = ""
    participation_rung: str = ""
    impact_before: str = ""
    impact_after: str = ""
    impact_children_feedback: str = ""


class GoalOut(Schema):
    code: str
    title: str
    description: str
    rights: list[str]
    crc_articles: str
    indicators: list[str]


class PriorityOut(Schema):
    id: int
    title: str
    source: str
    reference: str
    description: str


class StrategyOut(Schema):
    municipality: str
    title: str
    vision: str
    principles: str
    first_year: int | None
    last_year: int | None
    children_involvement: str
    goals: list[GoalOut]
    priorities: list[PriorityOut]


def _place(request: HttpRequest, code: str, action: str) -> Municipality:
    municipality = municipality_find(code)
    if municipality is None:
        raise Http404
    if not access.may(request.user, action, municipality):
        raise HttpError(403, _("You may not do this for this municipality."))
    return municipality


def _action_out(action: Action, today: datetime.date) -> dict[str, Any]:
    return {
        "code": action.code,
        "title": action.title,
        "description": action.description,
        "status": action.status,
        "stream": action.stream.code if action.stream else None,
        "target_ages": list(action.target_ages or []),
        "department": action.department,
        "staff_roles": list(action.staff_roles or []),
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "indicators": list(action.indicators or []),
        "priority_area": action.priority_area.title if action.priority_area else None,
        "governance_question": action.governance_question or None,
        "data_gap_indicator": action.data_gap_indicator or None,
        "participation": {
            "where": action.participation_where,
            "when": action.participation_when,
            "type": action.participation_type,
            "rung": action.participation_rung,
        },
        "impact": {
            "before": action.impact_before,
            "after": action.impact_after,
            "children_feedback": action.impact_children_feedback,
            "has_file": bool(action.impact_file),
        },
        "overdue": selectors.is_overdue(action, today),
    }


@router.get(
    "/municipalities/{code}/actions",
    auth=WRITE_AUTH,
    response={200: ActionPage, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def list_actions(request: HttpRequest, code: str) -> Any:
    """The city's action plan: every action with its stream, dates, codes and status."""
    place = _place(request, code, "preparation.read")
    today = datetime.date.today()
    items = [_action_out(a, today) for a in selectors.actions_for(place)]
    return {"items": items, "count": len(items), "next": None}


@router.post(
    "/municipalities/{code}/actions",
    auth=WRITE_AUTH,
    response={201: ActionOut, 400: RefusedOut, 403: ErrorOut, 404: ErrorOut, 409: NotAllowedOut},
    openapi_extra=declared_access("preparation.edit"),
)
def create_action(request: HttpRequest, code: str, payload: ActionIn) -> Any:
    """Add an action (``7.1.a``). 400 names the bad fields and codes; 409 when it would be
    evaluated without impact evidence."""
    place = _place(request, code, "preparation.edit")
    values = payload.dict()
    if values.get("priority_area") is None:
        values.pop("priority_area")
    if values.get("stream") is None:
        values.pop("stream")
    try:
        action = services.action_save(municipality=place, values=values, actor=request.user)
    except services.PlanRejected as rejected:
        errors = [
            {"field": field, "message": message}
            for field, messages in rejected.errors.items()
            for message in messages
        ]
        return Status(400, {"detail": _("The action was not saved."), "errors": errors})
    return Status(201, _action_out(action, datetime.date.today()))


@router.get(
    "/municipalities/{code}/strategy",
    auth=WRITE_AUTH,
    response={200: StrategyOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def get_strategy(request: HttpRequest, code: str) -> Any:
    """The city's children's strategy: vision, principles, goals and priority areas."""
    place = _place(request, code, "preparation.read")
    strategy = selectors.strategy_of(place)
    if strategy is None:
        return {
            "municipality": place.code,
            "title": "",
            "vision": "",
            "principles": "",
            "first_year": None,
            "last_year": None,
            "children_involvement": "",
            "goals": [],
            "priorities": [],
        }
    return {
        "municipality": place.code,
        "title": strategy.title,
        "vision": strategy.vision,
        "principles": strategy.principles,
        "first_year": strategy.first_year,
        "last_year": strategy.last_year,
        "children_involvement": strategy.children_involvement,
        "goals": [
            {
                "code": g.code,
                "title": g.title,
                "description": g.description,
                "rights": list(g.rights or []),
                "crc_articles": g.crc_articles,
                "indicators": list(g.indicators or []),
            }
            for g in strategy.goals.all()
        ],
        "priorities": [
            {
                "id": p.pk,
                "title": p.title,
                "source": p.source,
                "reference": p.source_reference,
                "description": p.description,
            }
            for p in strategy.priorities.all()
        ],
    }
