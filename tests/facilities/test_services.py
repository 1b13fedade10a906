"""The audit's services and selectors: writes are audited, the candidates and the summary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from meirim.common.models import AuditEvent
from meirim.facilities import selectors, services
from meirim.facilities.demo import demo_populate
from meirim.facilities.models import Facility
from tests.facilities.conftest import make

pytestmark = pytest.mark.django_db


def test_create_update_delete_leave_audit_rows(town, users):
    actor = users["city_coordinator"]
    facility = services.facility_create(
        municipality=town,
        values={"name": "Clinic", "kind": "health", "availability": "absent"},
        actor=actor,
    )
    services.facility_update(facility=facility, values={"adult_rating": 4}, actor=actor)
    assert Facility.objects.get(pk=facility.pk).adult_rating == 4
    services.facility_delete(facility=facility, actor=actor)
    assert not Facility.objects.filter(pk=facility.pk).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="facilities.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["facilities.create", "facilities.update", "facilities.delete"]


def test_a_rating_outside_1_to_5_is_refused(town):
    with pytest.raises(ValidationError):
        make(town, adult_rating=7)
    assert not Facility.objects.exists()


def test_barrier_candidates_one_per_barrier_then_the_absent(town, other_town):
    make(town, name="Clinic", barriers=["physical", "cost"], availability="not_accessible")
    make(town, name="School", barriers=["physical"], availability="not_accessible")
    make(town, name="Teen centre", availability="absent", barriers=["distance"])
    make(town, name="Library")
    make(other_town, name="Elsewhere", barriers=["safety"])
    candidates = selectors.barrier_candidates(town)
    assert [(c.code, c.count, c.facilities) for c in candidates] == [
        ("physical", 2, ["Clinic", "School"]),
        ("cost", 1, ["Clinic"]),
        ("distance", 1, ["Teen centre"]),
        ("absent", 1, ["Teen centre"]),
    ]
    assert candidates[-1].is_absence


def test_audit_summary_counts_and_separate_averages(town):
    make(town, name="A", kind="health", adult_rating=4, children_rating=2)
    make(town, name="B", kind="health", adult_rating=5, availability="absent")
    make(town, name="C", kind="sport", children_rating=3, latitude=Decimal("53.28"),
         longitude=Decimal("69.39"))  # fmt: skip
    summary = selectors.audit_summary(town)
    assert summary.total == 3
    assert summary.by_availability == {"available": 2, "not_accessible": 0, "absent": 1}
    assert summary.by_kind["health"] == 2 and summary.by_kind["sport"] == 1
    assert summary.by_kind["culture"] == 0
    assert summary.adult_rating_average == Decimal("4.5")
    assert summary.children_rating_average == Decimal("2.5")
    assert (summary.adult_rated, summary.children_rated, summary.located) == (2, 2, 1)


def test_the_empty_audit_has_no_averages(town):
    summary = selectors.audit_summary(town)
    assert summary.total == 0 and not summary.is_started
    assert summary.adult_rating_average is None
    assert selectors.barrier_candidates(town) == []


def test_demo_is_idempotent_and_labelled(town, other_town):
    demo_populate(town, complete=False)
    demo_populate(town, complete=False)
    demo_populate(other_town, complete=True)
    demo_populate(other_town, complete=True)
    kokshetau = Facility.objects.filter(municipality=town)
    pavlodar = Facility.objects.filter(municipality=other_town)
    assert 4 <= kokshetau.count() <= 6 and kokshetau.filter(is_demo=False).count() == 0
    assert kokshetau.filter(availability="absent").count() == 1
    assert kokshetau.exclude(barriers=[]).exists()
    assert pavlodar.count() >= 10
    assert not pavlodar.filter(adult_rating=None).exists()
    assert not pavlodar.filter(children_rating=None).exists()
    assert not pavlodar.filter(audited_on=None).exists()
    for facility in Facility.objects.all():
        facility.full_clean()
