"""Phase 1 API: the coordination council and the governance self-assessment.

``GET|PUT /municipalities/{code}/governance/{year}``: the round's answers keyed by G-code;
``GET /municipalities/{code}/council``: the council, its members and meetings.
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
from meirim.api.phase1 import municipality_or_404
from meirim.governance import selectors, services
from meirim.governance.models import AssessmentRound

router = Router(tags=["governance"])


class AssessmentErrorOut(Schema):
    detail: str
    # 400: [{"field", "message"}], as the other Phase 1 operations; 403: the refused codes.
    errors: list[dict[str, str]] | list[str] = []


class AnswerIn(Schema):
    question: str
    answer: str | None = None
    comment: str | None = None
    responsible: str | None = None
    future_action: str | None = None
    reason: str | None = None
    evidence: str | None = None


class AssessmentIn(Schema):
    mode: str | None = None
    answers: list[AnswerIn] = []


class AnswerOut(Schema):
    question: str
    section: str
    text: str
    answer: str | None
    reason: str
    comment: str
    responsible: str
    future_action: str
    evidence: str
    has_evidence_file: bool
    previous_answer: str | None


class ParticipantOut(Schema):
    name: str
    agency: str
    position: str


class AdditionalOut(Schema):
    code: str
    text: str


class AssessmentOut(Schema):
    municipality: str
    year: int
    mode: str
    state: str
    agreed_assessment: str
    rights_summary: str
    participants: list[ParticipantOut]
    additional_questions: list[AdditionalOut]
    answers: list[AnswerOut]
    summary: dict[str, int]


def _assessment(round: AssessmentRound) -> dict[str, Any]:
    version = selectors.catalogue_version()
    answers = []
    for section in selectors.round_sections(round, version):
        for row in section.rows:
            found = row.answer
            answers.append(
                {
                    "question": row.code,
                    "section": section.code,
                    "text": row.text,
                    "answer": found.answer if found and found.answer else None,
                    "reason": found.reason if found else "",
                    "comment": found.comment if found else "",
                    "responsible": found.responsible if found else "",
                    "future_action": found.future_action if found else "",
                    "evidence": found.evidence if found else "",
                    "has_evidence_file": bool(found and found.evidence_file),
                    "previous_answer": row.previous or None,
                }
            )
    return {
        "municipality": round.municipality.code,
        "year": round.year,
        "mode": round.mode,
        "state": round.state,
        "agreed_assessment": round.agreed_assessment,
        "rights_summary": round.rights_summary,
        "participants": [
            {"name": p.name, "agency": p.agency, "position": p.position}
            for p in round.participants.all()
        ],
        "additional_questions": [
            {"code": x.code, "text": x.text} for x in selectors.additional_questions(round)
        ],
        "answers": answers,
        "summary": selectors.round_summary(round, version),
    }


@router.get(
    "/municipalities/{code}/governance/{year}",
    auth=WRITE_AUTH,
    response={200: AssessmentOut, 403: AssessmentErrorOut, 404: AssessmentErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def get_assessment(request: HttpRequest, code: str, year: int) -> Any:
    """The governance self-assessment of ``year``: every question (unanswered ones with
    `answer` null), the round's state, participants, additional questions (GX…) and a
    summary of the answers."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.read", municipality):
        raise HttpError(403, _("You may not read this municipality's preparation."))
    found = selectors.round_get(municipality, year)
    if found is None:
        raise HttpError(404, _("There is no assessment for this year."))
    return Status(200, _assessment(found))


@router.put(
    "/municipalities/{code}/governance/{year}",
    auth=WRITE_AUTH,
    response={
        200: AssessmentOut,
        400: AssessmentErrorOut,
        403: AssessmentErrorOut,
        404: AssessmentErrorOut,
        409: AssessmentErrorOut,
    },
    openapi_extra=declared_access("governance.answer"),
)
def put_assessment(request: HttpRequest, code: str, year: int, payload: AssessmentIn) -> Any:
    """Save answers (any subset of the questions) and the mode. Unknown question codes or
    answers are refused with 400 naming them, and nothing is saved. The coordinator's PUT
    opens the round when there is none; a department head answers only the sections
    assigned to them (403); a closed round refuses with 409."""
    municipality = municipality_or_404(code)
    user = request.user
    if not access.may(user, "governance.answer", municipality):
        raise HttpError(403, _("You may not answer this municipality's assessment."))
    coordinator = access.may(user, "governance.manage", municipality)
    found = selectors.round_get(municipality, year)
    if payload.mode and payload.mode not in AssessmentRound.Mode.values:
        return Status(
            400,
            {
                "detail": _("The answers were not saved."),
                "errors": [
                    {
                        "field": "mode",
                        "message": _("Unknown mode: %(mode)s") % {"mode": payload.mode},
                    }
                ],
            },
        )
    if payload.mode and found is not None and found.mode != payload.mode and not coordinator:
        raise HttpError(403, _("Only the coordinator changes the mode of the assessment."))
    if found is None and not coordinator:
        raise HttpError(404, _("There is no assessment for this year; the coordinator opens it."))
    items = [item.dict() for item in payload.answers]
    try:
        if found is None:
            # Check the answers before opening the round: a refused PUT saves nothing.
            services.answers_check(answers=items)
            found = services.round_open(
                municipality=municipality, year=year, mode=payload.mode or "", actor=user
            )
        elif payload.mode and payload.mode != found.mode:
            services.answers_check(answers=items, round=found)
            services.round_save(round=found, values={"mode": payload.mode}, actor=user)
        services.answers_save(round=found, answers=items, actor=user, replace_blank=False)
    except services.Rejected as rejected:
        return Status(
            400,
            {
                "detail": _("The answers were not saved."),
                "errors": [
                    {"field": field, "message": message} for field, message in rejected.errors
                ],
            },
        )
    except services.SectionRefused as refused:
        return Status(403, {"detail": str(refused), "errors": refused.codes})
    found.refresh_from_db()
    return Status(200, _assessment(found))


class CouncilMemberOut(Schema):
    id: int
    name: str
    organisation: str
    council_role: str
    status: str
    invited_on: date | None
    approved_on: date | None
    left_on: date | None


class CouncilMeetingOut(Schema):
    id: int
    held_on: date
    agenda: str
    minutes: str
    has_minutes_document: bool


class CouncilOut(Schema):
    municipality: str
    chair_name: str
    chair_role: str
    established_on: date | None
    tor_functions: str
    tor_responsibilities: str
    tor_targets: str
    tor_deadlines: str
    has_tor_document: bool
    information_programme: str
    members: list[CouncilMemberOut]
    meetings: list[CouncilMeetingOut]


@router.get(
    "/municipalities/{code}/council",
    auth=WRITE_AUTH,
    response={200: CouncilOut, 403: AssessmentErrorOut, 404: AssessmentErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def get_council(request: HttpRequest, code: str) -> Any:
    """The coordination council with its terms of reference, members and meetings (file
    contents are not included)."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.read", municipality):
        raise HttpError(403, _("You may not read this municipality's preparation."))
    council = selectors.council_get(municipality)
    if council is None:
        raise HttpError(404, _("The council is not recorded yet."))
    return Status(
        200,
        {
            "municipality": municipality.code,
            "chair_name": council.chair_name,
            "chair_role": council.chair_role,
            "established_on": council.established_on,
            "tor_functions": council.tor_functions,
            "tor_responsibilities": council.tor_responsibilities,
            "tor_targets": council.tor_targets,
            "tor_deadlines": council.tor_deadlines,
            "has_tor_document": bool(council.tor_document),
            "information_programme": council.information_programme,
            "members": [
                {
                    "id": m.pk,
                    "name": m.name,
                    "organisation": m.organisation,
                    "council_role": m.council_role,
                    "status": m.status,
                    "invited_on": m.invited_on,
                    "approved_on": m.approved_on,
                    "left_on": m.left_on,
                }
                for m in council.members.all()
            ],
            "meetings": [
                {
                    "id": m.pk,
                    "held_on": m.held_on,
                    "agenda": m.agenda,
                    "minutes": m.minutes,
                    "has_minutes_document": bool(m.minutes_document),
                }
                for m in council.meetings.all()
            ],
        },
    )
