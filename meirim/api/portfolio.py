"""Phase 1 API: the city's programme status and steps, and the submission of its preparatory
portfolio (registered under /api/v1/ by meirim.api.api)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import PUBLIC, declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.phase1 import ErrorOut, municipality_or_404
from meirim.common.workflow import NotAllowed
from meirim.portfolio import services, steps
from meirim.recognition.status import lifecycle

router = Router(tags=["portfolio"])


class StepOut(Schema):
    step: str
    complete: bool
    missing: list[str]


class ProgrammeOut(Schema):
    status: str
    steps: list[StepOut]


class MissingOut(Schema):
    step: str
    missing: list[str]


class IncompleteOut(Schema):
    detail: str
    missing: list[MissingOut]
    reasons: list[str]


class SubmittedOut(Schema):
    version: int
    status: str


@router.get(
    "/municipalities/{code}/programme",
    response={200: ProgrammeOut, 404: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def programme(request: HttpRequest, code: str) -> Any:
    """The city's lifecycle status, R-3.6 in full (`NOT_ENROLLED`, `PHASE1_IN_PREPARATION`,
    `PHASE1_SUBMITTED`, `PHASE1_FEEDBACK_RECEIVED`, `EOI_SUBMITTED`, `PORTFOLIO_SUBMITTED`,
    `COMMUNITY_REPORT_RECEIVED`, `UNDER_REVIEW`, `RECOGNISED_L1`, `RECOGNISED_L2`,
    `NOT_RECOGNISED`) and Phase 1's steps PH1.S1–S8, each complete or with what is missing
    (general sentences, never the city's draft texts)."""
    municipality = municipality_or_404(code)
    found = steps.programme(municipality)
    return {
        "status": lifecycle(municipality),
        "steps": [
            {"step": s.step, "complete": s.complete, "missing": list(s.missing)}
            for s in found.steps
        ],
    }


@router.post(
    "/municipalities/{code}/preparatory-portfolio/submit",
    auth=WRITE_AUTH,
    response={201: SubmittedOut, 403: ErrorOut, 404: ErrorOut, 409: IncompleteOut},
    openapi_extra=declared_access("portfolio.submit"),
)
def submit(request: HttpRequest, code: str) -> Any:
    """Submit the preparatory portfolio (the city's coordinator): 201 with the new frozen
    version's number; 409 with the missing items by step while steps S1–S7 are incomplete."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "portfolio.submit", municipality):
        raise HttpError(403, _("You may not submit this municipality's portfolio."))
    try:
        version = services.portfolio_submit(municipality=municipality, actor=request.user)
    except NotAllowed as refused:
        return Status(
            409,
            {
                "detail": _("The portfolio cannot be submitted now."),
                "missing": services.missing_by_step(municipality),
                "reasons": refused.reasons,
            },
        )
    return Status(201, {"version": version.number, "status": steps.PHASE1_SUBMITTED})
