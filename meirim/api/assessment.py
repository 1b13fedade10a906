"""Phase 2 API: the community report (confidential), reviews and decisions.

The community report answers 404 to everyone who may not read it, signed in or not
(R-8.1): not even its existence is confirmed."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.phase1 import ErrorOut
from meirim.common.workflow import NotAllowed
from meirim.recognition import confidential, decisions, groups, reviews
from meirim.recognition.models import Application, ReviewAssignment
from meirim.recognition.review_flow import Invalid

router = Router(tags=["recognition"])


class AssessmentRefusedOut(Schema):
    detail: str
    reasons: list[str]


class CommunityVerdictIn(Schema):
    criterion: str
    verdict: str
    comment: str = ""


class CommunityReportIn(Schema):
    text: str
    criteria: list[CommunityVerdictIn] = []
    draft: bool = False


class CommunityVerdictOut(Schema):
    criterion: str
    verdict: str
    comment: str


class CommunityFileOut(Schema):
    id: int
    title: str


class CommunityReportOut(Schema):
    application: int
    text: str
    sent: bool
    submitted_at: datetime.datetime | None
    criteria: list[CommunityVerdictOut]
    files: list[CommunityFileOut]


class DecisionCriterionIn(Schema):
    criterion: str
    reason: str


class DecisionIn(Schema):
    level: str
    reasons: str
    recommendations: str = ""
    criteria: list[DecisionCriterionIn] = []


class DecisionRecognitionOut(Schema):
    level: str
    granted_on: datetime.date
    expires_on: datetime.date


class DecisionOut(Schema):
    application: int
    level: str
    outcome: str
    decided_on: datetime.date
    previous_level: str
    reasons: str
    recommendations: str
    criteria: list[DecisionCriterionIn]
    recognition: DecisionRecognitionOut | None


class ReviewerIn(Schema):
    reviewer: str


class AssignmentOut(Schema):
    application: int
    reviewer: str
    conflict: str
    application_state: str


class ConflictIn(Schema):
    conflict: bool
    note: str = ""


class ReviewScoreIn(Schema):
    criterion: str
    score: int
    comment: str
    evidence: str = ""


class ReviewScoresIn(Schema):
    scores: list[ReviewScoreIn]


class ReviewScoreOut(Schema):
    reviewer: str
    score: int
    comment: str
    evidence: str


class CriterionScoresOut(Schema):
    criterion: str
    mean: float | None
    disagreement: bool
    scores: list[ReviewScoreOut]


class ScoresOut(Schema):
    application: int
    criteria: list[CriterionScoresOut]
    weighted_percent: float | None
    recommendation: str | None


def _not_found() -> HttpError:
    """One answer for an application that does not exist and for a report one may not read,
    so that the two cannot be told apart."""
    return HttpError(404, _("Not found."))


def _application(pk: int) -> Application:
    found = Application.objects.select_related("cycle", "municipality").filter(pk=pk).first()
    if found is None:
        raise _not_found()
    return found


def _checked(request: HttpRequest, action: str, pk: int) -> Application:
    """401 (auth), then 403 without the action anywhere, 404, then 403 outside the territory."""
    if not access.may(request.user, action):
        raise HttpError(403, _("You may not do this."))
    application = _application(pk)
    if not access.may(request.user, action, application):
        raise HttpError(403, _("You may not do this."))
    return application


def _refused(refused: NotAllowed) -> Any:
    code = 400 if isinstance(refused, Invalid) else 409
    return Status(code, {"detail": _("Refused."), "reasons": refused.reasons})


# --- The community report (confidential) ------------------------------------------------


def _anonymous(request: HttpRequest) -> bool:
    """An authenticator of the confidential operations: a caller with no valid credentials and
    no session is let through as anonymous, so that the operation answers 404 rather than 401
    (or a CSRF 403) and confirms nothing (R-8.1). A signed-in session is not anonymous: it
    goes on to the session authenticator and its CSRF check."""
    return not request.user.is_authenticated


BASIC_AUTH, SESSION_AUTH = WRITE_AUTH
CONFIDENTIAL_AUTH = [BASIC_AUTH, _anonymous, SESSION_AUTH]


def _readable(request: HttpRequest, pk: int) -> Application:
    """404 to everyone who may not read the application's report."""
    if not access.may(request.user, "recognition.confidential"):
        raise _not_found()
    application = _application(pk)
    if not confidential.may_read(request.user, application):
        raise _not_found()
    return application


def _report_out(report: Any) -> dict[str, Any]:
    return {
        "application": report.application_id,
        "text": report.text,
        "sent": report.submitted_at is not None,
        "submitted_at": report.submitted_at,
        "criteria": [
            {"criterion": v.criterion.code, "verdict": v.verdict, "comment": v.comment}
            for v in report.verdicts.select_related("criterion")
        ],
        "files": [{"id": f.pk, "title": f.title} for f in report.files.all()],
    }


@router.post(
    "/applications/{id}/community-report",
    auth=CONFIDENTIAL_AUTH,
    response={
        201: CommunityReportOut,
        400: AssessmentRefusedOut,
        403: ErrorOut,
        404: ErrorOut,
        409: AssessmentRefusedOut,
    },
    openapi_extra=declared_access("recognition.confidential", confidential=True),
)
def community_report_send(request: HttpRequest, id: int, payload: CommunityReportIn) -> Any:
    """The community group's report (a linked member of the city's group): the free text and
    a verdict per criterion (`agree`, `partly`, `disagree`) with a comment. Sent at once
    (`"draft": true` keeps it as a draft). 404 to everyone who may not read it."""
    application = _readable(request, id)
    if not confidential.may_write(request.user, application):
        raise HttpError(403, _("Only the members of the city's community group write its report."))
    try:
        report = groups.report_save(
            application=application,
            actor=request.user,
            text=payload.text,
            verdicts=[
                groups.VerdictIn(c.criterion, c.verdict, c.comment) for c in payload.criteria
            ],
            send=not payload.draft,
        )
    except NotAllowed as refused:
        return _refused(refused)
    return Status(201, _report_out(report))


@router.get(
    "/applications/{id}/community-report",
    auth=CONFIDENTIAL_AUTH,
    response={200: CommunityReportOut, 404: ErrorOut},
    openapi_extra=declared_access("recognition.confidential", confidential=True),
)
def community_report_read(request: HttpRequest, id: int) -> Any:
    """The community report: national-council members (once sent) and the group's members
    only; every read is recorded. Everyone else: 404."""
    application = _readable(request, id)
    report = confidential.report_for(request.user, application)
    if report is None:
        raise _not_found()
    return _report_out(report)


# --- Decisions ------------------------------------------------------------------------------


def _decision_out(decision: Any) -> dict[str, Any]:
    recognition = getattr(decision, "recognition", None)
    return {
        "application": decision.application_id,
        "level": decision.level,
        "outcome": decisions.outcome(decision),
        "decided_on": decision.decided_on,
        "previous_level": decision.previous_level,
        "reasons": decision.reasons,
        "recommendations": decision.recommendations,
        "criteria": [
            {"criterion": r.criterion.code, "reason": r.reason}
            for r in decision.criterion_reasons.select_related("criterion")
        ],
        "recognition": (
            {
                "level": recognition.level,
                "granted_on": recognition.granted_on,
                "expires_on": recognition.expires_on,
            }
            if recognition is not None
            else None
        ),
    }


@router.post(
    "/applications/{id}/decision",
    auth=WRITE_AUTH,
    response={
        201: DecisionOut,
        400: AssessmentRefusedOut,
        403: ErrorOut,
        404: ErrorOut,
        409: AssessmentRefusedOut,
    },
    openapi_extra=declared_access("recognition.decide"),
)
def decision_make(request: HttpRequest, id: int, payload: DecisionIn) -> Any:
    """The council's decision: `level` `none`, `L1` or `L2` with its reasons (and optional
    recommendations and reasons per criterion). For L1/L2 the answer carries the recognition
    with its start and expiry dates. 409 while the community group's review period runs and
    no report was received, or in the wrong state."""
    application = _checked(request, "recognition.decide", id)
    try:
        decision = decisions.decide(
            application=application,
            level=payload.level,
            reasons=payload.reasons,
            recommendations=payload.recommendations,
            criterion_reasons={c.criterion: c.reason for c in payload.criteria},
            actor=request.user,
        )
    except NotAllowed as refused:
        return _refused(refused)
    return Status(201, _decision_out(decision))


# --- Reviewers and scores -------------------------------------------------------------------


def _assignment_out(assignment: ReviewAssignment) -> dict[str, Any]:
    return {
        "application": assignment.application_id,
        "reviewer": assignment.reviewer.get_username(),
        "conflict": assignment.conflict,
        "application_state": assignment.application.state,
    }


@router.post(
    "/applications/{id}/reviewers",
    auth=WRITE_AUTH,
    response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 409: AssessmentRefusedOut},
    openapi_extra=declared_access("recognition.decide"),
)
def reviewer_assign(request: HttpRequest, id: int, payload: ReviewerIn) -> Any:
    """Assign a reviewer (an account with the reviewer or national-council role); the first
    assignment starts the review."""
    application = _checked(request, "recognition.decide", id)
    try:
        assignment = reviews.reviewer_assign(
            application=application, username=payload.reviewer, actor=request.user
        )
    except NotAllowed as refused:
        return _refused(refused)
    assignment.application.refresh_from_db()
    return Status(201, _assignment_out(assignment))


def _own(request: HttpRequest, id: int) -> ReviewAssignment:
    application = _checked(request, "recognition.review", id)
    assignment = reviews.assignment_for(request.user, application)
    if assignment is None:
        raise _not_found()
    return assignment


@router.post(
    "/applications/{id}/conflict",
    auth=WRITE_AUTH,
    response={200: AssignmentOut, 400: AssessmentRefusedOut, 403: ErrorOut, 404: ErrorOut,
              409: AssessmentRefusedOut},
    openapi_extra=declared_access("recognition.review"),
)  # fmt: skip
def conflict_declare(request: HttpRequest, id: int, payload: ConflictIn) -> Any:
    """The assigned reviewer declares no conflict of interest (`false`) or one (`true`, with a
    note): a declared conflict blocks the assignment."""
    assignment = _own(request, id)
    try:
        reviews.conflict_declare(
            assignment=assignment, conflict=payload.conflict, note=payload.note, actor=request.user
        )
    except NotAllowed as refused:
        return _refused(refused)
    return _assignment_out(assignment)


@router.post(
    "/applications/{id}/scores",
    auth=WRITE_AUTH,
    response={201: list[ReviewScoreIn], 400: AssessmentRefusedOut, 403: ErrorOut,
              404: ErrorOut, 409: AssessmentRefusedOut},
    openapi_extra=declared_access("recognition.review"),
)  # fmt: skip
def scores_save(request: HttpRequest, id: int, payload: ReviewScoresIn) -> Any:
    """The assigned reviewer's scores: per criterion 0…its highest score, a comment (required)
    and the evidence cited. 409 while the conflict of interest is undeclared or declared."""
    assignment = _own(request, id)
    try:
        saved = reviews.scores_save(
            assignment=assignment,
            scores=[
                reviews.ScoreIn(s.criterion, s.score, s.comment, s.evidence) for s in payload.scores
            ],
            actor=request.user,
        )
    except NotAllowed as refused:
        return _refused(refused)
    return Status(
        201,
        [
            {
                "criterion": s.criterion.code,
                "score": s.score,
                "comment": s.comment,
                "evidence": s.evidence_cited,
            }
            for s in saved
        ],
    )


@router.get(
    "/applications/{id}/scores",
    auth=WRITE_AUTH,
    response={200: ScoresOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("recognition.decide"),
)
def scores_read(request: HttpRequest, id: int) -> Any:
    """The reviewers' scores side by side (council): per criterion each score, the mean and
    whether the reviewers disagree; the rubric's weighted percentage and recommendation.
    Blocked assignments (declared conflicts) do not count."""
    application = _checked(request, "recognition.decide", id)
    rows = decisions.score_table(application)
    found = decisions.rubric_recommendation(
        application.cycle, {row.criterion.code: row.mean for row in rows}
    )
    return {
        "application": application.pk,
        "criteria": [
            {
                "criterion": row.criterion.code,
                "mean": row.mean,
                "disagreement": row.disagreement,
                "scores": [
                    {
                        "reviewer": c.reviewer,
                        "score": c.score,
                        "comment": c.comment,
                        "evidence": c.evidence,
                    }
                    for c in row.scores
                ],
            }
            for row in rows
        ],
        "weighted_percent": found[0] if found else None,
        "recommendation": found[1] if found else None,
    }
