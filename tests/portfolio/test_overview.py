"""The national council's and region officers' view of Phase 1 across the cities."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.accounts.models import Role
from meirim.portfolio import services
from tests.factories import user_with_role
from tests.portfolio import builders

pytestmark = pytest.mark.django_db


def test_every_city_in_scope_with_its_status_steps_and_counts(geography, catalogue, users):
    town = builders.town()
    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    client = Client()
    client.force_login(users["national_council"])
    page = client.get("/en/preparation/").content.decode()
    assert "Phase 1: portfolio submitted: 1" in page
    filtered = client.get("/en/preparation/?status=PHASE1_SUBMITTED").content.decode()
    assert f"/en/preparation/{builders.TOWN}/progress/" in filtered
    assert "KZ-PAV-PAVLODAR" not in filtered
    by_region = client.get("/en/preparation/?region=KZ-PAV").content.decode()
    assert "/KZ-PAV-PAVLODAR/progress/" in by_region
    assert builders.TOWN not in by_region
    officer = Client()
    officer.force_login(user_with_role(Role.REGION_OFFICER, "pav-officer", region="KZ-PAV"))
    theirs = officer.get("/en/preparation/").content.decode()
    assert "/KZ-PAV-PAVLODAR/progress/" in theirs
    assert builders.TOWN not in theirs
    assert "Phase 1: portfolio submitted: 0" in theirs


def test_progress_lists_what_is_missing(geography, catalogue, users):
    town = builders.town()
    builders.step1(town)
    client = Client()
    client.force_login(users["department_head"])
    page = client.get(f"/en/preparation/{builders.TOWN}/progress/").content.decode()
    assert "1 of 8 steps complete." in page
    assert "No facility or service is audited yet." in page
    assert f"/en/data/{builders.TOWN}/" in page


def test_the_overviews_statuses_agree_with_each_citys_steps(geography, catalogue):
    """The overview counts and filters by a one-query status; it must say what the full
    steps of each city say, whatever was recorded first."""
    from meirim.geography.models import Municipality
    from meirim.portfolio import steps

    places = list(Municipality.objects.filter(country="KZ").order_by("code")[:9])
    recorders = [builders.step1, builders.step2, builders.step4, builders.step5, builders.step6]
    for place, record in zip(places, recorders, strict=False):
        record(place)
    builders.step7(places[5])
    builders.complete(places[6])
    services.portfolio_submit(municipality=places[6], actor=None)
    chosen = Municipality.objects.filter(pk__in=[p.pk for p in places])
    expected = {p.municipality.pk: p.status for p in steps.programmes(chosen)}
    found = steps.statuses(chosen)
    assert {pk: found.get(pk, steps.NOT_ENROLLED) for pk in expected} == expected
    assert sorted(set(expected.values())) == sorted(
        {steps.NOT_ENROLLED, steps.PHASE1_IN_PREPARATION, steps.PHASE1_SUBMITTED}
    )
