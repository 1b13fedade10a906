"""The demo set-up: idempotent, one user per role, labelled synthetic data."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from meirim.accounts.models import Role, User
from meirim.data.models import DataYear, Observation
from meirim.portal.demo_data import DEMO_MUNICIPALITIES, DEMO_YEARS, OPEN_YEAR_MUNICIPALITIES


@pytest.mark.django_db
def test_demo_setup_is_idempotent_and_labels_its_data(capsys):
    call_command("demo_setup", force=True)
    first = Observation.objects.count()
    call_command("demo_setup", force=True)
    assert Observation.objects.count() == first > 0
    out = capsys.readouterr().out
    assert "meirim-demo-2026" in out
    for role in Role:
        assert User.objects.filter(role_assignments__role=role).exists(), role
    assert not Observation.objects.filter(is_demo=False).exists()
    assert set(Observation.objects.values_list("municipality__code", flat=True)) == set(
        DEMO_MUNICIPALITIES
    )
    # Every observation has a value or an explicit state, never a blank.
    statuses = set(Observation.objects.values_list("status", flat=True))
    assert "reported" in statuses and statuses <= {
        "reported",
        "no_data",
        "outside_competence",
    }
    open_years = DataYear.objects.exclude(state="approved")
    approved = DataYear.objects.filter(state="approved").count()
    assert approved == len(DEMO_MUNICIPALITIES) * len(DEMO_YEARS) - len(OPEN_YEAR_MUNICIPALITIES)
    assert not open_years.exclude(municipality__code__in=OPEN_YEAR_MUNICIPALITIES).exists()


@pytest.mark.django_db
def test_demo_results_say_they_are_demonstration_data(client: Client):
    call_command("demo_setup", force=True)
    body = client.get("/en/results/KZ-AST/").content.decode()
    assert "Demonstration data" in body
    api = client.get("/api/v1/results/KZ-AST").json()
    assert api["demonstration_data"] is True
    assert api["years"] == DEMO_YEARS
