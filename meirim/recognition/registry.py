"""Reads of the public registry of statuses: current, in process, expired or ended.

Every read filters by dates, so the registry is right whether or not the daily task ran."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from meirim.catalogue.models import CatalogueItem, GovernanceQuestion, Indicator
from meirim.catalogue.selectors import published_version
from meirim.recognition.models import Application, Cycle, Decision, Recognition
from meirim.recognition.status import applications_in_process, current_q

CURRENT = "current"
EXPIRED = "expired"
SUPERSEDED = "superseded"


def _rows(qs: QuerySet[Recognition]) -> QuerySet[Recognition]:
    return qs.select_related("municipality", "municipality__region", "cycle", "decision")


def current(today: datetime.date | None = None) -> QuerySet[Recognition]:
    return _rows(Recognition.objects.filter(current_q(today))).order_by(
        "municipality__name_en", "municipality__code"
    )


def history(today: datetime.date | None = None) -> QuerySet[Recognition]:
    """Recognitions no longer in force: expired by date or ended early (newest first)."""
    today = today or timezone.localdate()
    return _rows(
        Recognition.objects.filter(Q(expires_on__lte=today) | Q(ended_on__isnull=False))
    ).order_by("-expires_on", "-pk")


def all_recognitions(today: datetime.date | None = None) -> QuerySet[Recognition]:
    return _rows(Recognition.objects.all()).order_by("-granted_on", "-pk")


def state_of(recognition: Recognition, today: datetime.date | None = None) -> str:
    """``current``, ``expired`` (by date) or ``superseded`` (ended by a later decision)."""
    today = today or timezone.localdate()
    if recognition.end_reason == Recognition.End.SUPERSEDED:
        return SUPERSEDED
    if recognition.ended_on is not None or recognition.expires_on <= today:
        return EXPIRED
    return CURRENT


def in_process() -> QuerySet[Application]:
    return (
        applications_in_process()
        .select_related("municipality", "municipality__region", "cycle")
        .order_by("cycle__starts_on", "municipality__code")
    )


def public_cycles(user_may_manage: bool) -> QuerySet[Cycle]:
    qs = Cycle.objects.all()
    if not user_may_manage:
        qs = qs.exclude(state=Cycle.State.DRAFT)
    return qs


def published_decision(application_pk: int) -> Decision | None:
    """A decision is public once taken (R-6.x): its summary, never the community report."""
    return (
        Decision.objects.select_related(
            "application", "application__municipality", "application__cycle"
        )
        .prefetch_related("criterion_reasons__criterion")
        .filter(application_id=application_pk, application__state=Application.State.DECIDED)
        .first()
    )


def catalogue_entries(codes: set[str]) -> dict[str, Any]:
    """The published catalogue's indicators, governance questions and participation evidence
    of ``codes``, by code (to show their names in the reader's language)."""
    version = published_version()
    if version is None or not codes:
        return {}
    found: dict[str, Any] = {}
    for model in (Indicator, GovernanceQuestion):
        for entry in model.objects.filter(version=version, code__in=codes):
            found[entry.code] = entry
    for item in CatalogueItem.objects.filter(
        version=version, list=CatalogueItem.List.PARTICIPATION_EVIDENCE, code__in=codes
    ):
        found[item.code] = item
    return found


def decisions_by_application(applications: list[int]) -> dict[int, Decision]:
    return {d.application_id: d for d in Decision.objects.filter(application_id__in=applications)}
