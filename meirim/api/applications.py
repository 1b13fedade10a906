"""Phase 2 API: applications (POST /cycles/{id}/applications, GET /applications/{id})
and the recognition portfolio (its submission and readiness).

Every operation checks who may act before looking the object up: 401 without credentials,
403 without a role for the action anywhere, 404 for an unknown object, 403 outside the
caller's territory. Nothing of the confidential community report is ever answered here: only
whether one was received."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.phase1 import ErrorOut
from meirim.common.workflow import NotAllowed
from meirim.geography.selectors import municipality_find
from meirim.recognition import applications as services
from meirim.recognition import readiness as meter
from meirim.recognition.city_flow import missing_indicators
from meirim.recognition.models import Application, Cycle

router = Router(tags=["recognition"])


class ApplicationIn(Schema):
    municipality: str = ""
    commitments: list[str] = []
    signatory: str = ""
    signed_on: str = ""
    signatory_position: str = ""


class ApplicationDecisionOut(Schema):
    level: str
    decided_on: datetime.date
    reasons: str
    recommendations: str


class ApplicationOut(Schema):
    id: int
    cycle: int
    municipality: str
    state: str
    status: str
    commitments: list[str]
    signatory: str
    signatory_position: str
    signed_on: datetime.date
    eoi_submitted_at: datetime.datetime
    portfolio_submitted_at: datetime.datetime | None
    community_report_received: bool
    decision: ApplicationDecisionOut | None


class ApplicationInvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]]
    missing_commitments: list[str] = []
    unknown_commitments: list[str] = []


class ApplicationRefusedOut(Schema):
    detail: str
    reasons: list[str]


class ApplicationSubmittedOut(Schema):
    version: int


class ApplicationIncompleteOut(Schema):
    detail: str
    reasons: list[str]
    missing_indicators: list[str]


class ReadinessSourceOut(Schema):
    kind: str
    satisfied: bool
    done: int
    total: int
    detail: str
    missing: list[str]


class ReadinessCriterionOut(Schema):
    criterion: str
    level: str
    statement: bool
    attachments: int
    reasons: list[str]
    sources: list[ReadinessSourceOut]


class ReadinessOut(Schema):
    application: int
    percent: int
    indicators_total: int
    indicators_stated: int
    indicators_reported: int
    missing_indicators: list[str]
    introduction: bool
    community_group_formed: bool
    attachments: int
    criteria: list[ReadinessCriterionOut]


def application_out(application: Application) -> dict[str, Any]:
    decision = None
    if application.state == Application.State.DECIDED:
        found = getattr(application, "decision", None)
        if found is not None:
            decision = {
                "level": found.level,
                "decided_on": found.decided_on,
                "reasons": found.reasons,
                "recommendations": found.recommendations,
            }
    return {
        "id": application.pk,
        "cycle": application.cycle_id,
        "municipality": application.municipality.code,
        "state": application.state,
        "status": services.status_of(application),
        "commitments": list(application.commitments),
        "signatory": application.signatory_name,
        "signatory_position": application.signatory_position,
        "signed_on": application.signed_on,
        "eoi_submitted_at": application.eoi_submitted_at,
        "portfolio_submitted_at": application.portfolio_submitted_at,
        "community_report_received": application.community_report_received_at is not None,
        "decision": decision,
    }


def _application(request: HttpRequest, pk: int, action: str) -> Application:
    """The application, once the caller may do ``action`` somewhere and to it."""
    if not access.may(request.user, action):
        raise HttpError(403, _("You may not do this."))
    found = Application.objects.filter(pk=pk).select_related("cycle", "municipality").first()
    if found is None:
        raise Http404
    if not access.may(request.user, action, found):
        raise HttpError(403, _("You may not do this for this municipality."))
    return found


@router.post(
    "/cycles/{id}/applications",
    auth=WRITE_AUTH,
    response={
        201: ApplicationOut, 400: ApplicationInvalidOut, 403: ErrorOut, 404: ErrorOut,
        409: ApplicationRefusedOut,
    },
    openapi_extra=declared_access("recognition.apply"),
)  # fmt: skip
def application_create(request: HttpRequest, id: int, payload: ApplicationIn) -> Any:
    """The expression of interest (Annex 3) of the body's municipality (its coordinator):
    201 with the application; 400 with the missing or unknown commitment codes or bad
    fields; 409 with the reason (call not open, late — the deadline stated —, Phase 1 not
    done, already applied)."""
    if not access.may(request.user, "recognition.apply"):
        raise HttpError(403, _("You may not apply for a municipality."))
    municipality = municipality_find(payload.municipality) if payload.municipality else None
    if municipality is None:
        return Status(
            400,
            {
                "detail": _("The expression of interest is not complete."),
                "errors": {"municipality": [_("Unknown municipality.")]},
            },
        )
    if not access.may(request.user, "recognition.apply", municipality):
        raise HttpError(403, _("You may not apply for this municipality."))
    cycle = Cycle.objects.filter(pk=id).exclude(state=Cycle.State.DRAFT).first()
    if cycle is None:
        raise Http404
    signed_on = None
    bad_date = False
    if payload.signed_on:
        try:
            signed_on = datetime.date.fromisoformat(payload.signed_on)
        except ValueError:
            bad_date = True
    try:
        application = services.eoi_submit(
            cycle=cycle,
            municipality=municipality,
            commitments=payload.commitments,
            signatory_name=payload.signatory,
            signatory_position=payload.signatory_position,
            signed_on=signed_on,
            actor=request.user,
        )
    except NotAllowed as refused:
        return Status(
            409,
            {
                "detail": _("The expression of interest cannot be submitted."),
                "reasons": refused.reasons,
            },
        )
    except services.EoiInvalid as invalid:
        if bad_date:
            invalid.errors["signed_on"] = [_("Give the date as YYYY-MM-DD.")]
        return Status(
            400,
            {
                "detail": _("The expression of interest is not complete."),
                "errors": invalid.errors,
                "missing_commitments": invalid.missing,
                "unknown_commitments": invalid.unknown,
            },
        )
    return Status(201, application_out(application))


@router.get(
    "/applications/{id}",
    auth=WRITE_AUTH,
    response={200: ApplicationOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("recognition.read"),
)
def application_get(request: HttpRequest, id: int) -> Any:
    """An application: its state and R-3.6 status, the expression of interest, the dates,
    whether a community report was received (never its content) and the decision."""
    return application_out(_application(request, id, "recognition.read"))


@router.post(
    "/applications/{id}/portfolio/submit",
    auth=WRITE_AUTH,
    response={
        201: ApplicationSubmittedOut, 403: ErrorOut, 404: ErrorOut,
        409: ApplicationIncompleteOut,
    },
    openapi_extra=declared_access("recognition.apply"),
)  # fmt: skip
def portfolio_submit(request: HttpRequest, id: int) -> Any:
    """Submit and freeze the recognition portfolio (the city's coordinator): 201 with the
    frozen version's number; 409 with every reason and the indicators still missing."""
    application = _application(request, id, "recognition.apply")
    try:
        snapshot = services.portfolio_submit(application=application, actor=request.user)
    except NotAllowed as refused:
        return Status(
            409,
            {
                "detail": _("The portfolio cannot be submitted now."),
                "reasons": refused.reasons,
                "missing_indicators": missing_indicators(application),
            },
        )
    return Status(201, {"version": snapshot.number})


@router.get(
    "/applications/{id}/readiness",
    auth=WRITE_AUTH,
    response={200: ReadinessOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("recognition.read"),
)
def readiness(request: HttpRequest, id: int) -> Any:
    """The readiness meter: per criterion ``exists`` / ``weak`` / ``missing`` with the
    reasons and the state of each linked source; and the whole portfolio's figures."""
    application = _application(request, id, "recognition.read")
    found = meter.readiness(application)
    return {
        "application": application.pk,
        "percent": found.percent,
        "indicators_total": found.indicators_total,
        "indicators_stated": found.indicators_stated,
        "indicators_reported": found.indicators_reported,
        "missing_indicators": found.index.missing_codes,
        "introduction": found.introduction,
        "community_group_formed": found.group_formed,
        "attachments": found.attachments,
        "criteria": [
            {
                "criterion": row.criterion.code,
                "level": row.level,
                "statement": row.statement,
                "attachments": row.attachments,
                "reasons": [str(r) for r in row.reasons],
                "sources": [
                    {
                        "kind": s.kind,
                        "satisfied": s.satisfied,
                        "done": s.done,
                        "total": s.total,
                        "detail": str(s.detail),
                        "missing": s.missing,
                    }
                    for s in row.sources
                ],
            }
            for row in found.criteria
        ],
    }
