"""Building blocks for Phase 2 tests: a cycle with criteria, a city that may apply, an
application at a given stage. They write rows directly (the services under test are called
by the tests themselves)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from meirim.geography.models import Municipality
from meirim.portfolio.models import Portfolio
from meirim.recognition.models import (
    Application,
    CommunityGroup,
    CommunityGroupMember,
    Criterion,
    Cycle,
)

TOWN = "KZ-AKM-KOKSHETAU"
ALL_COMMITMENTS = [f"A{n}" for n in range(1, 8)]


def today() -> datetime.date:
    return timezone.localdate()


def cycle_make(state: str = Cycle.State.CALL_OPEN, *, criteria: int = 2, **fields: Any) -> Cycle:
    """A cycle whose deadlines lie ahead, with ``criteria`` criteria (K1, K2…)."""
    base = today()
    values: dict[str, Any] = {
        "name": "2026–2028",
        "starts_on": base - datetime.timedelta(days=30),
        "eoi_deadline": base + datetime.timedelta(days=30),
        "portfolio_deadline": base + datetime.timedelta(days=120),
        "community_report_deadline": base + datetime.timedelta(days=160),
        "decision_date": base + datetime.timedelta(days=200),
        "level1_threshold": 50,
        "level2_threshold": 75,
        "state": state,
    }
    values.update(fields)
    if values["state"] != Cycle.State.DRAFT:
        values.setdefault("call_opened_at", timezone.now())
    cycle = Cycle.objects.create(**values)
    for n in range(1, criteria + 1):
        Criterion.objects.create(
            cycle=cycle,
            code=f"K{n}",
            order=n,
            name_en=f"Criterion {n}",
            name_ru=f"Критерий {n}",
            name_kk=f"Критерий {n}",
            indicators=["I01", "I02"] if n == 1 else [],
            participation_evidence=["P1"] if n == 2 else [],
            uses_facilities=n == 2,
        )
    return cycle


def phase1_feedback_received(municipality: Municipality | str = TOWN) -> Municipality:
    """Mark the city's preparatory portfolio as having received the council's feedback
    (R-3.2: the condition to apply)."""
    if isinstance(municipality, str):
        municipality = Municipality.objects.get(code=municipality)
    Portfolio.objects.update_or_create(
        municipality=municipality, defaults={"state": Portfolio.State.FEEDBACK_RECEIVED}
    )
    return municipality


def application_make(
    cycle: Cycle,
    municipality: Municipality | str = TOWN,
    state: str = Application.State.EOI_SUBMITTED,
    **fields: Any,
) -> Application:
    if isinstance(municipality, str):
        municipality = Municipality.objects.get(code=municipality)
    values: dict[str, Any] = {
        "commitments": ALL_COMMITMENTS,
        "signatory_name": "Akim of the city",
        "signed_on": today(),
        "eoi_submitted_at": timezone.now(),
        "state": state,
    }
    if state not in (Application.State.EOI_SUBMITTED, Application.State.WITHDRAWN):
        values["portfolio_submitted_at"] = timezone.now()
    values.update(fields)
    return Application.objects.create(cycle=cycle, municipality=municipality, **values)


def group_make(
    municipality: Municipality | str = TOWN, *, user: Any = None, kind: str = "young_person"
) -> CommunityGroup:
    """A community group with one member (linked to ``user`` when given)."""
    if isinstance(municipality, str):
        municipality = Municipality.objects.get(code=municipality)
    group, _created = CommunityGroup.objects.get_or_create(
        municipality=municipality, defaults={"formed_on": today()}
    )
    CommunityGroupMember.objects.create(
        group=group, name="Aruzhan S.", kind=kind, organisation="Youth council", user=user
    )
    return group
