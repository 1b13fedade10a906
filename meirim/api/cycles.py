"""Phase 2 API: cycles (GET|POST /cycles, GET /cycles/{id}, POST /cycles/{id}/criteria,
POST /cycles/{id}/transition) and the public registry (GET /recognitions).

``/cycles`` and ``/recognitions`` are short lists returned whole, not paged."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import PUBLIC, declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.phase1 import ErrorOut, RefusedOut
from meirim.common.workflow import NotAllowed
from meirim.recognition import cycles, registry
from meirim.recognition.models import Criterion, Cycle

router = Router(tags=["recognition"])
MANAGE = "recognition.manage"


def _anyone(request: HttpRequest) -> bool:
    """Public reads: Basic credentials or the session, when given, show drafts to the council;
    without them the answer is the public one."""
    return True


READ_AUTH = [*WRITE_AUTH, _anyone]
# In the schema: credentials are optional ({} is "none needed").
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}


class CycleCriterionIn(Schema):
    code: str
    order: int | None = None
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    name_ky: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    description_ky: str = ""
    indicators: list[str] = []
    governance_questions: list[str] = []
    participation_evidence: list[str] = []
    uses_facilities: bool = False
    uses_strategy_impact: bool = False
    scale_max: int = 4
    weight: Decimal = Decimal(1)


class CycleCriterionOut(Schema):
    id: int
    code: str
    order: int
    name: str
    names: dict[str, str]
    descriptions: dict[str, str]
    indicators: list[str]
    governance_questions: list[str]
    participation_evidence: list[str]
    uses_facilities: bool
    uses_strategy_impact: bool
    scale_max: int
    weight: Decimal


class CycleIn(Schema):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    eoi_deadline: datetime.date
    portfolio_deadline: datetime.date
    community_report_deadline: datetime.date
    decision_date: datetime.date
    call_text: str = ""
    cycle_months: int | None = None
    level1_months: int | None = None
    level2_months: int | None = None
    min_assessment_months: int | None = None
    community_review_days: int | None = None
    level1_threshold: Decimal | None = None
    level2_threshold: Decimal | None = None
    disagreement_points: int | None = None
    criteria: list[CycleCriterionIn] = []


class CycleOut(Schema):
    id: int
    name: str
    state: str
    call_text: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    eoi_deadline: datetime.date
    portfolio_deadline: datetime.date
    community_report_deadline: datetime.date
    decision_date: datetime.date
    call_opened_at: datetime.datetime | None
    decisions_published_at: datetime.datetime | None
    criteria_frozen: bool
    settings: dict[str, Any]
    criteria: list[CycleCriterionOut]


class CycleTransitionIn(Schema):
    action: str


class CycleRefusedOut(Schema):
    detail: str
    reasons: list[str]


class RecognitionOut(Schema):
    municipality: str
    level: str
    granted_on: datetime.date
    expires_on: datetime.date
    cycle: int
    state: str | None = None
    ended_on: datetime.date | None = None


def _criterion_out(item: Criterion) -> dict[str, Any]:
    return {
        "id": item.pk,
        "code": item.code,
        "order": item.order,
        "name": item.name,
        "names": {lang: getattr(item, f"name_{lang}") for lang in item.LANGUAGE_ORDER},
        "descriptions": {
            lang: getattr(item, f"description_{lang}") for lang in item.LANGUAGE_ORDER
        },
        "indicators": list(item.indicators),
        "governance_questions": list(item.governance_questions),
        "participation_evidence": list(item.participation_evidence),
        "uses_facilities": item.uses_facilities,
        "uses_strategy_impact": item.uses_strategy_impact,
        "scale_max": item.scale_max,
        "weight": item.weight,
    }


def _cycle_out(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "state": cycle.state,
        "call_text": cycle.call_text,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "eoi_deadline": cycle.eoi_deadline,
        "portfolio_deadline": cycle.portfolio_deadline,
        "community_report_deadline": cycle.community_report_deadline,
        "decision_date": cycle.decision_date,
        "call_opened_at": cycle.call_opened_at,
        "decisions_published_at": cycle.decisions_published_at,
        "criteria_frozen": cycle.criteria_frozen,
        "settings": {
            name: (str(value) if isinstance(value := getattr(cycle, name), Decimal) else value)
            for name in cycles.SETTING_FIELDS
        },
        "criteria": [_criterion_out(c) for c in cycle.criteria.all()],
    }


def _refused(errors: list[tuple[str, str]], detail: str) -> Status[Any]:
    return Status(
        400,
        {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]},
    )


def _visible_cycle(request: HttpRequest, pk: int) -> Cycle:
    found = Cycle.objects.filter(pk=pk).first()
    if found is None or (found.state == Cycle.State.DRAFT and not access.may(request.user, MANAGE)):
        raise HttpError(404, _("No such cycle."))
    return found


@router.get(
    "/cycles",
    auth=READ_AUTH,
    response={200: list[CycleOut]},
    openapi_extra={**declared_access(PUBLIC, drafts=MANAGE), **OPTIONAL_SECURITY},
)
def list_cycles(request: HttpRequest) -> Any:
    """Every cycle but drafts (drafts too for the national council), newest first, with its
    settings and criteria. A short list returned whole, not paged."""
    qs = registry.public_cycles(access.may(request.user, MANAGE)).prefetch_related("criteria")
    return [_cycle_out(c) for c in qs]


@router.post(
    "/cycles",
    auth=WRITE_AUTH,
    response={201: CycleOut, 400: RefusedOut, 403: ErrorOut},
    openapi_extra=declared_access(MANAGE),
)
def create_cycle(request: HttpRequest, payload: CycleIn) -> Any:
    """Create a draft cycle (the national council). Omitted settings take the seed's
    defaults; `ends_on` defaults to `starts_on` plus `cycle_months`. 400 with the errors by
    field (deadlines out of order, a validity over 48 months, unknown codes…): nothing saved."""
    if not access.may(request.user, MANAGE):
        raise HttpError(403, _("Only the national council manages cycles."))
    values = payload.dict(exclude={"criteria"})
    try:
        created = cycles.cycle_create(
            values=values, actor=request.user, criteria=[c.dict() for c in payload.criteria]
        )
    except cycles.Rejected as refused:
        return _refused(refused.errors, _("The cycle was not created."))
    return Status(201, _cycle_out(created))


@router.get(
    "/cycles/{id}",
    auth=READ_AUTH,
    response={200: CycleOut, 404: ErrorOut},
    openapi_extra={**declared_access(PUBLIC, drafts=MANAGE), **OPTIONAL_SECURITY},
)
def get_cycle(request: HttpRequest, id: int) -> Any:
    """A cycle with its dates, settings and criteria (public once the call is open)."""
    return _cycle_out(_visible_cycle(request, id))


@router.post(
    "/cycles/{id}/criteria",
    auth=WRITE_AUTH,
    response={201: CycleCriterionOut, 400: RefusedOut, 403: ErrorOut, 404: ErrorOut,
              409: CycleRefusedOut},
    openapi_extra=declared_access(MANAGE),
)  # fmt: skip
def add_criterion(request: HttpRequest, id: int, payload: CycleCriterionIn) -> Any:
    """Add a criterion to a draft cycle; 409 once the call is open (the criteria are frozen)."""
    if not access.may(request.user, MANAGE):
        raise HttpError(403, _("Only the national council manages cycles."))
    found = _visible_cycle(request, id)
    values = payload.dict()
    if values.get("order") is None:
        values.pop("order")
    try:
        item = cycles.criterion_save(cycle=found, values=values, actor=request.user)
    except cycles.Frozen as frozen:
        return Status(
            409, {"detail": _("The criteria cannot change now."), "reasons": [frozen.reason]}
        )
    except cycles.Rejected as refused:
        return _refused(refused.errors, _("The criterion was not added."))
    return Status(201, _criterion_out(item))


@router.post(
    "/cycles/{id}/transition",
    auth=WRITE_AUTH,
    response={200: CycleOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: CycleRefusedOut},
    openapi_extra=declared_access(MANAGE),
)
def transition_cycle(request: HttpRequest, id: int, payload: CycleTransitionIn) -> Any:
    """Move the cycle: `open_call`, `close_applications`, `publish_decisions`, `close`.
    409 with the reasons (no criteria, thresholds missing, deadlines out of order, cities
    without a decision…); 400 for an unknown action."""
    if not access.may(request.user, MANAGE):
        raise HttpError(403, _("Only the national council manages cycles."))
    found = _visible_cycle(request, id)
    if payload.action not in cycles.ACTIONS:
        raise HttpError(400, _("Unknown action: %(action)s.") % {"action": payload.action})
    try:
        moved = cycles.cycle_transition(cycle=found, action=payload.action, actor=request.user)
    except NotAllowed as refused:
        return Status(409, {"detail": _("The cycle cannot move now."), "reasons": refused.reasons})
    return Status(200, _cycle_out(moved))


@router.get(
    "/recognitions",
    response={200: list[RecognitionOut]},
    exclude_unset=True,
    openapi_extra=declared_access(PUBLIC),
)
def list_recognitions(request: HttpRequest, all: int = 0) -> Any:
    """The registry: current statuses (in force today). `?all=1` adds the expired and
    ended ones, each with its `state` (`current`, `expired`, `superseded`) and `ended_on`.
    A short list returned whole, not paged."""
    if not all:
        return [_recognition_out(r) for r in registry.current()]
    return [
        {**_recognition_out(r), "state": registry.state_of(r), "ended_on": r.ended_on}
        for r in registry.all_recognitions()
    ]


def _recognition_out(item: Any) -> dict[str, Any]:
    return {
        "municipality": item.municipality.code,
        "level": item.level,
        "granted_on": item.granted_on,
        "expires_on": item.expires_on,
        "cycle": item.cycle_id,
    }
