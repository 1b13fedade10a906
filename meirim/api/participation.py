"""Phase 1 API: the participation log (registered under /api/v1/ by meirim.api.api).

Readers need ``preparation.read`` (the city's people, its region officer, national roles), so
counts are exact here; nothing of this endpoint is public.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.phase1 import ErrorOut, RefusedOut, municipality_or_404
from meirim.common.programme import AgeBand, ChildSex
from meirim.geography.models import Municipality
from meirim.participation import selectors, services
from meirim.participation.models import Activity
from meirim.participation.selectors import QUALITY, RUNGS, TYPES, HardToReach
from meirim.planning.models import Action

router = Router(tags=["participation"])


class ParticipantsIn(Schema):
    age_band: str = ""
    sex: str = ""
    count: Any = None


class ActivityIn(Schema):
    topic: str = ""
    date: str = ""
    recurrence: str = Activity.Recurrence.ONE_OFF
    recurrence_note: str = ""
    action: str | None = None
    rung: str = ""
    type: str = ""
    quality: dict[str, Any] = {}
    participants: list[ParticipantsIn] = []
    hard_to_reach: dict[str, Any] = {}
    impact: str = ""
    what_changed: str = ""


class ParticipantsOut(Schema):
    age_band: str
    sex: str
    count: int


class ActivityOut(Schema):
    id: int
    topic: str
    date: date
    recurrence: str
    recurrence_note: str
    action: str | None
    rung: str
    non_participation: bool
    type: str
    quality: dict[str, Any]
    participants: list[ParticipantsOut]
    hard_to_reach: dict[str, int]
    impact: str
    what_changed: str


class ActivitiesOut(Schema):
    activities: list[ActivityOut]


def activity_out(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "topic": activity.topic,
        "date": activity.held_on,
        "recurrence": activity.recurrence,
        "recurrence_note": activity.recurrence_note,
        "action": activity.action.code if activity.action else None,
        "rung": activity.rung,
        "non_participation": not selectors.is_participation(activity.rung),
        "type": activity.kind,
        "quality": activity.quality or {},
        "participants": [
            {"age_band": p.age_band, "sex": p.sex, "count": p.count}
            for p in activity.participants.all()
        ],
        "hard_to_reach": activity.hard_to_reach or {},
        "impact": activity.impact,
        "what_changed": activity.what_changed,
    }


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_activity(
    payload: ActivityIn, municipality: Municipality
) -> tuple[dict[str, Any], dict[tuple[str, str], int], list[dict[str, str]]]:
    """The values and counts of an activity, or the problems naming the bad fields and codes."""
    errors: list[dict[str, str]] = []

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    topic = payload.topic.strip()
    if not topic:
        bad("topic", _("The topic is required."))
    elif len(topic) > 300:
        bad("topic", _("The topic is longer than 300 characters."))
    held_on = None
    try:
        held_on = date.fromisoformat(payload.date)
    except ValueError:
        bad("date", _("The date must be written as YYYY-MM-DD."))
    if payload.recurrence not in Activity.Recurrence.values:
        bad("recurrence", _("Unknown recurrence: %(value)s.") % {"value": payload.recurrence})
    if payload.rung not in RUNGS:
        bad("rung", _("Unknown rung of Hart's ladder: %(code)s.") % {"code": payload.rung})
    if payload.type not in TYPES:
        bad("type", _("Unknown type of participation: %(code)s.") % {"code": payload.type})
    action = None
    if payload.action:
        action = Action.objects.filter(municipality=municipality, code=payload.action).first()
        if action is None:
            bad("action", _("No action %(code)s in this city's plan.") % {"code": payload.action})
    quality: dict[str, Any] = {}
    for code, entry in payload.quality.items():
        if code not in QUALITY:
            bad("quality", _("Unknown quality standard: %(code)s.") % {"code": code})
            continue
        if isinstance(entry, bool):
            entry = {"met": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("met", False), bool):
            bad(f"quality.{code}", _('Give {"met": true|false, "evidence": text}.'))
            continue
        evidence = str(entry.get("evidence", ""))
        quality[code] = {"met": entry.get("met", False), "evidence": evidence}
    participants: dict[tuple[str, str], int] = {}
    for i, row in enumerate(payload.participants):
        if row.age_band not in AgeBand.values:
            bad(
                f"participants[{i}].age_band",
                _("Unknown age band: %(code)s.") % {"code": row.age_band},
            )
        if row.sex not in ChildSex.values:
            bad(f"participants[{i}].sex", _("Unknown sex: %(code)s.") % {"code": row.sex})
        count = _count(row.count)
        if count is None:
            bad(f"participants[{i}].count", _("A count is a whole number, 0 or more."))
        elif (row.age_band, row.sex) in participants:
            bad(f"participants[{i}]", _("This age band and sex are given twice."))
        else:
            participants[(row.age_band, row.sex)] = count
    groups: dict[str, int] = {}
    for key, value in payload.hard_to_reach.items():
        if key not in HardToReach.values:
            bad("hard_to_reach", _("Unknown hard-to-reach group: %(code)s.") % {"code": key})
            continue
        count = _count(value)
        if count is None:
            bad(f"hard_to_reach.{key}", _("A count is a whole number, 0 or more."))
        elif count:
            groups[key] = count
    values = {
        "topic": topic,
        "held_on": held_on,
        "recurrence": payload.recurrence,
        "recurrence_note": payload.recurrence_note.strip()[:120],
        "action": action,
        "rung": payload.rung,
        "kind": payload.type,
        "quality": quality,
        "hard_to_reach": groups,
        "impact": payload.impact.strip(),
        "what_changed": payload.what_changed.strip(),
    }
    return values, participants, errors


@router.get(
    "/municipalities/{code}/participation",
    auth=WRITE_AUTH,
    response={200: ActivitiesOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def list_activities(request: HttpRequest, code: str) -> Any:
    """The city's participation activities, newest first, with exact counts."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.read", municipality):
        raise HttpError(403, _("You may not read this municipality's preparation."))
    return {"activities": [activity_out(a) for a in selectors.activities(municipality)]}


@router.post(
    "/municipalities/{code}/participation",
    auth=WRITE_AUTH,
    response={201: ActivityOut, 400: RefusedOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.edit"),
)
def add_activity(request: HttpRequest, code: str, payload: ActivityIn) -> Any:
    """Log one participation activity. 400 names the bad fields and codes (e.g. rung "H9")."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.edit", municipality):
        raise HttpError(403, _("You may not edit this municipality's preparation."))
    values, participants, errors = parse_activity(payload, municipality)
    if errors:
        return Status(400, {"detail": _("The activity was not saved."), "errors": errors})
    activity = services.activity_save(
        municipality=municipality, values=values, participants=participants, actor=request.user
    )
    found = selectors.activity_get(municipality, activity.pk)
    return Status(201, activity_out(found or activity))
