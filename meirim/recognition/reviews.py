"""Services of the review: reviewers assigned by the council, their conflicts of interest
and scores, and the council's site visits (R-2.7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment
from meirim.common import audit
from meirim.common.workflow import NotAllowed, transition_apply
from meirim.recognition import workflows
from meirim.recognition.models import (
    Application,
    Criterion,
    ReviewAssignment,
    ReviewScore,
    SiteVisit,
)
from meirim.recognition.review_flow import Invalid

REVIEWING_ROLES = (Role.REVIEWER, Role.NATIONAL_COUNCIL)
OPEN_STATES = (Application.State.PORTFOLIO_SUBMITTED, Application.State.UNDER_REVIEW)


def reviewers_available() -> Any:
    """Accounts that may review: the reviewer or national-council role."""
    return (
        get_user_model()
        .objects.filter(role_assignments__role__in=REVIEWING_ROLES, is_active=True)
        .distinct()
        .order_by("username")
    )


def assignment_for(user: Any, application: Application) -> ReviewAssignment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ReviewAssignment.objects.filter(application=application, reviewer=user).first()


def reviewer_assign(*, application: Application, username: str, actor: Any) -> ReviewAssignment:
    """Assign a reviewer; the first assignment starts the review (``start_review``)."""
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise NotAllowed([_("There is no account “%(username)s”.") % {"username": username}])
    if not RoleAssignment.objects.filter(user=user, role__in=REVIEWING_ROLES).exists():
        raise NotAllowed(
            [
                _("“%(username)s” holds neither the reviewer nor the national council role.")
                % {"username": username}
            ]
        )
    if application.state not in OPEN_STATES:
        raise NotAllowed([workflows._wrong_state(application, "start_review")])
    if ReviewAssignment.objects.filter(application=application, reviewer=user).exists():
        raise NotAllowed(
            [_("“%(username)s” is already assigned to this application.") % {"username": username}]
        )
    with transaction.atomic():
        assignment = ReviewAssignment.objects.create(
            application=application, reviewer=user, assigned_by=audit.acting_user(actor)
        )
        audit.record(
            actor=actor,
            action="recognition.reviewer.assign",
            obj=assignment,
            changes={"reviewer": user.get_username()},
        )
        if application.state == Application.State.PORTFOLIO_SUBMITTED:
            transition_apply(
                workflow=workflows.APPLICATION,
                obj=application,
                action="start_review",
                actor=actor,
                may=workflows.may_act,
            )
            application.refresh_from_db()
    return assignment


def conflict_declare(
    *, assignment: ReviewAssignment, conflict: bool, note: str, actor: Any
) -> ReviewAssignment:
    """The reviewer declares no conflict, or a conflict (which blocks the assignment)."""
    if conflict and not note.strip():
        raise NotAllowed([_("Describe the conflict of interest.")])
    if assignment.scores.exists():
        raise NotAllowed([_("You have scored this application; the declaration stands.")])
    with transaction.atomic():
        assignment.conflict = (
            ReviewAssignment.Conflict.DECLARED if conflict else ReviewAssignment.Conflict.NONE
        )
        assignment.conflict_note = note.strip() if conflict else ""
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
        audit.record(
            actor=actor,
            action="recognition.reviewer.conflict",
            obj=assignment,
            changes={"conflict": assignment.conflict},
        )
    return assignment


@dataclass(frozen=True)
class ScoreIn:
    criterion: str
    score: int | None
    comment: str
    evidence: str = ""


def scores_save(
    *, assignment: ReviewAssignment, scores: Iterable[ScoreIn], actor: Any
) -> list[ReviewScore]:
    """Score criteria of the cycle: 0…scale_max with a comment. Refused while the conflict of
    interest is undeclared or declared, and once the application is decided."""
    if assignment.conflict == ReviewAssignment.Conflict.UNDECLARED:
        raise NotAllowed([_("Declare first whether you have a conflict of interest.")])
    if assignment.conflict == ReviewAssignment.Conflict.DECLARED:
        raise NotAllowed(
            [_("You declared a conflict of interest: this assignment is blocked from scoring.")]
        )
    application = assignment.application
    if application.state not in OPEN_STATES:
        raise NotAllowed([workflows._wrong_state(application, "score")])
    criteria = {c.code: c for c in Criterion.objects.filter(cycle=application.cycle)}
    items = list(scores)
    problems: list[str] = []
    for item in items:
        criterion = criteria.get(item.criterion)
        if criterion is None:
            problems.append(_("Unknown criterion: %(code)s") % {"code": item.criterion})
            continue
        if item.score is None or not 0 <= item.score <= criterion.scale_max:
            problems.append(
                _("%(code)s: the score must be a whole number from 0 to %(max)s.")
                % {"code": criterion.code, "max": criterion.scale_max}
            )
        if not item.comment.strip():
            problems.append(_("%(code)s: write a comment.") % {"code": criterion.code})
    if not items:
        problems.append(_("Give at least one score."))
    if problems:
        raise Invalid(problems)
    saved = []
    with transaction.atomic():
        for item in items:
            assert item.score is not None
            score, _created = ReviewScore.objects.update_or_create(
                assignment=assignment,
                criterion=criteria[item.criterion],
                defaults={
                    "score": item.score,
                    "comment": item.comment.strip(),
                    "evidence_cited": item.evidence.strip(),
                },
            )
            saved.append(score)
        audit.record(
            actor=actor,
            action="recognition.reviewer.score",
            obj=assignment,
            changes={"scores": {item.criterion: item.score for item in items}},
        )
    return saved


def visit_add(
    *,
    application: Application,
    visited_on: datetime.date,
    members: str,
    findings: str,
    file: Any = None,
    actor: Any,
) -> SiteVisit:
    with transaction.atomic():
        visit = SiteVisit(
            application=application,
            visited_on=visited_on,
            members=members,
            findings=findings,
            recorded_by=audit.acting_user(actor),
        )
        if file:
            visit.file = file
        visit.save()
        audit.record(
            actor=actor,
            action="recognition.site_visit.add",
            obj=visit,
            changes={"visited_on": visited_on.isoformat(), "file": bool(file)},
        )
    return visit
