"""Reading the audit of facilities: the inventory, its counts, and what it means for the
strategy (barriers → candidate priority areas) and the Part A report (a summary)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, QuerySet

from meirim.common import json_lists
from meirim.facilities.models import Availability, Barrier, Facility, FacilityKind
from meirim.geography.models import Municipality

ABSENT = "absent"


def facilities(
    municipality: Municipality,
    *,
    kind: str = "",
    availability: str = "",
    barrier: str = "",
) -> QuerySet[Facility]:
    """The city's inventory, optionally filtered by type, availability and one barrier."""
    qs = Facility.objects.filter(municipality=municipality).order_by("kind", "name", "pk")
    if kind:
        qs = qs.filter(kind=kind)
    if availability:
        qs = qs.filter(availability=availability)
    if barrier:
        qs = json_lists.having_code(qs, "barriers", barrier)
    return qs


def facility_in(municipality: Municipality, pk: int) -> Facility | None:
    return Facility.objects.filter(municipality=municipality, pk=pk).first()


def facilities_located(municipality: Municipality) -> list[Facility]:
    """The items with both coordinates (what the map shows)."""
    return list(facilities(municipality).filter(latitude__isnull=False, longitude__isnull=False))


def counts_by_availability(municipality: Municipality) -> list[tuple[str, str, int]]:
    """(code, name, count) for every availability, zeros included, in the list's order."""
    found = dict(
        Facility.objects.filter(municipality=municipality)
        .values_list("availability")
        .annotate(n=Count("pk"))
        .values_list("availability", "n")
    )
    return [(c.value, str(c.label), found.get(c.value, 0)) for c in Availability]


def counts_by_barrier(municipality: Municipality) -> list[tuple[str, str, int]]:
    """(code, name, count of items) for every barrier, zeros included."""
    counter: Counter[str] = Counter()
    for barriers in Facility.objects.filter(municipality=municipality).values_list(
        "barriers", flat=True
    ):
        counter.update(set(barriers or []))
    return [(c.value, str(c.label), counter.get(c.value, 0)) for c in Barrier]


@dataclass(frozen=True)
class BarrierCandidate:
    """A candidate priority area from the audit: one barrier (or the absent facilities)."""

    code: str  # a Barrier code, or "absent"
    label: str
    count: int
    facilities: list[str] = field(default_factory=list)
    facility_ids: list[int] = field(default_factory=list)

    @property
    def is_absence(self) -> bool:
        return self.code == ABSENT


def barrier_candidates(municipality: Municipality) -> list[BarrierCandidate]:
    """Candidate priority areas for the strategy: one per barrier that occurs in the audit
    (with how many items it affects and their names), then the facilities that are absent.
    Ordered by the number of items, most first; ties in the barrier list's order."""
    rows = list(
        Facility.objects.filter(municipality=municipality)
        .order_by("name", "pk")
        .values_list("pk", "name", "barriers", "availability")
    )
    candidates: list[BarrierCandidate] = []
    for barrier in Barrier:
        hit = [(pk, name) for pk, name, barriers, _a in rows if barrier.value in (barriers or [])]
        if hit:
            candidates.append(
                BarrierCandidate(
                    code=barrier.value,
                    label=str(barrier.label),
                    count=len(hit),
                    facilities=[name for _pk, name in hit],
                    facility_ids=[pk for pk, _name in hit],
                )
            )
    candidates.sort(key=lambda c: -c.count)
    absent = [(pk, name) for pk, name, _b, a in rows if a == Availability.ABSENT]
    if absent:
        candidates.append(
            BarrierCandidate(
                code=ABSENT,
                label=str(Availability.ABSENT.label),
                count=len(absent),
                facilities=[name for _pk, name in absent],
                facility_ids=[pk for pk, _name in absent],
            )
        )
    return candidates


@dataclass(frozen=True)
class AuditSummary:
    """The audit in figures, for the Part A report and the progress checklist."""

    total: int
    by_availability: dict[str, int]
    by_kind: dict[str, int]
    adult_rating_average: Decimal | None
    children_rating_average: Decimal | None
    adult_rated: int
    children_rated: int
    located: int
    last_audited: Any

    @property
    def is_started(self) -> bool:
        return self.total > 0


def _average(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"))


def audit_summary(municipality: Municipality) -> AuditSummary:
    """Counts by availability and by type (zeros included), and the average quality as
    rated by adults and, separately, by children (one decimal; None when nobody rated)."""
    qs = Facility.objects.filter(municipality=municipality)
    by_availability = dict(
        qs.values_list("availability").annotate(n=Count("pk")).values_list("availability", "n")
    )
    by_kind = dict(qs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    figures = qs.aggregate(
        total=Count("pk"),
        adult=Avg("adult_rating"),
        children=Avg("children_rating"),
        adult_rated=Count("adult_rating"),
        children_rated=Count("children_rating"),
        located=Count("latitude"),
    )
    last = (
        qs.exclude(audited_on=None)
        .order_by("-audited_on")
        .values_list("audited_on", flat=True)
        .first()
    )
    return AuditSummary(
        total=figures["total"],
        by_availability={c.value: by_availability.get(c.value, 0) for c in Availability},
        by_kind={c.value: by_kind.get(c.value, 0) for c in FacilityKind},
        adult_rating_average=_average(figures["adult"]),
        children_rating_average=_average(figures["children"]),
        adult_rated=figures["adult_rated"],
        children_rated=figures["children_rated"],
        located=figures["located"],
        last_audited=last,
    )
