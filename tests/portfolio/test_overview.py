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
