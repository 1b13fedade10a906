"""The city's lifecycle status, R-3.6 in full: Phase 1's statuses, then the application's
stages and the recognition (``RECOGNISED_L1`` / ``RECOGNISED_L2`` / ``NOT_RECOGNISED``).

A re-application returns the city to ``EOI_SUBMITTED`` (its stage wins over a status it still
holds); a status that expired or ended without a new application returns the city to "in the
A&R process" (``PHASE1_FEEDBACK_RECEIVED``). Statuses are read from the dates, never from the
daily task having run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.geography.models import Municipality
from meirim.portfolio import steps
from meirim.recognition.models import Application, Level, Recognition

EOI_SUBMITTED = "EOI_SUBMITTED"
PORTFOLIO_SUBMITTED = "PORTFOLIO_SUBMITTED"
COMMUNITY_REPORT_RECEIVED = "COMMUNITY_REPORT_RECEIVED"
UNDER_REVIEW = "UNDER_REVIEW"
RECOGNISED_L1 = "RECOGNISED_L1"
RECOGNISED_L2 = "RECOGNISED_L2"
NOT_RECOGNISED = "NOT_RECOGNISED"
STATUSES = (
    *steps.STATUSES,
    EOI_SUBMITTED,
    PORTFOLIO_SUBMITTED,
    COMMUNITY_REPORT_RECEIVED,
    UNDER_REVIEW,
    RECOGNISED_L1,
    RECOGNISED_L2,
    NOT_RECOGNISED,
)
UNDECIDED = (
    Application.State.EOI_SUBMITTED,
    Application.State.PORTFOLIO_SUBMITTED,
    Application.State.UNDER_REVIEW,
)


def status_label(code: str) -> str:
    labels = {
        EOI_SUBMITTED: _("Expression of interest submitted"),
        PORTFOLIO_SUBMITTED: _("Recognition portfolio submitted"),
        COMMUNITY_REPORT_RECEIVED: _("Community report received"),
        UNDER_REVIEW: _("Under review by the national council"),
        RECOGNISED_L1: _("Recognised: Level 1"),
        RECOGNISED_L2: _("Recognised: Level 2"),
        NOT_RECOGNISED: _("Not recognised"),
    }
    if code in labels:
        return labels[code]
    if code == steps.PHASE1_FEEDBACK_RECEIVED:
        return _("In the assessment and recognition process (Phase 1 feedback received)")
    return steps.status_label(code)


def current_q(today: datetime.date | None = None) -> Q:
    """Recognitions in force on ``today``: granted, not yet expired, not ended early."""
    today = today or timezone.localdate()
    return Q(granted_on__lte=today, expires_on__gt=today, ended_on__isnull=True)


def current_recognition(
    municipality: Municipality, today: datetime.date | None = None
) -> Recognition | None:
    return (
        Recognition.objects.filter(current_q(today), municipality=municipality)
        .select_related("cycle")
        .order_by("-granted_on", "-pk")
        .first()
    )


def applications_in_process() -> QuerySet[Application]:
    """Non-withdrawn, undecided applications of cycles that are not closed."""
    return Application.objects.filter(state__in=UNDECIDED).exclude(cycle__state="closed")


def _stage(application: Application) -> str:
    if application.state == Application.State.UNDER_REVIEW:
        return UNDER_REVIEW
    if application.state == Application.State.PORTFOLIO_SUBMITTED:
        if application.community_report_received_at:
            return COMMUNITY_REPORT_RECEIVED
        return PORTFOLIO_SUBMITTED
    return EOI_SUBMITTED


@dataclass(frozen=True)
class Lifecycle:
    code: str
    recognition: Recognition | None

    @property
    def label(self) -> str:
        return status_label(self.code)


def lifecycle_of(municipality: Municipality, today: datetime.date | None = None) -> Lifecycle:
    """The status and the current recognition, if any."""
    current = current_recognition(municipality, today)
    latest = (
        Application.objects.filter(municipality=municipality)
        .exclude(state=Application.State.WITHDRAWN)
        .select_related("cycle")
        .order_by("-cycle__starts_on", "-eoi_submitted_at", "-pk")
        .first()
    )
    if latest is not None and latest.state in UNDECIDED and latest.cycle.state != "closed":
        return Lifecycle(_stage(latest), current)
    if current is not None:
        code = RECOGNISED_L2 if current.level == Level.L2 else RECOGNISED_L1
        return Lifecycle(code, current)
    if latest is not None and latest.state == Application.State.DECIDED:
        decision = getattr(latest, "decision", None)
        if decision is not None and decision.level == Level.NONE:
            return Lifecycle(NOT_RECOGNISED, None)
    return Lifecycle(steps.programme(municipality).status, None)


def lifecycle(municipality: Municipality, today: datetime.date | None = None) -> str:
    """The R-3.6 name of the city's status."""
    return lifecycle_of(municipality, today).code
