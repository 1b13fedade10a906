"""The data overview: which municipality has approved which year, within the reader's scope."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.data.services import data_year_approve, observation_save
from meirim.geography.models import Municipality


@pytest.fixture
def data(catalogue, users):
    for code, year in [("KZ-AKM-KOKSHETAU", 2023), ("KZ-AKM-KOKSHETAU", 2024), ("KZ-AST", 2024)]:
        observation_save(
            version=catalogue,
            municipality=Municipality.objects.get(code=code),
            code="I09",
            year=year,
            values={"value": "70"},
            actor=None,
        )
    data_year_approve(
        version=catalogue,
        municipality=Municipality.objects.get(code="KZ-AKM-KOKSHETAU"),
        year=2023,
        actor=None,
    )


def _get(users, role: str):
    client = Client()
    client.force_login(users[role])
    return client.get("/en/data/")


@pytest.mark.django_db
def test_national_level_sees_every_municipality_and_each_year_state(data, users):
    body = _get(users, "national_council").content.decode()
    assert "Kokshetau" in body and "Astana" in body
    assert "2023: approved" in body and "2024: open" in body


@pytest.mark.django_db
def test_region_officer_and_city_see_only_their_scope(data, users):
    region = _get(users, "region_officer").content.decode()
    assert "Kokshetau" in region and "Astana" not in region
    city = _get(users, "city_coordinator").content.decode()
    assert "Kokshetau" in city and "Astana" not in city


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["community_group", "no_role"])
def test_others_are_refused(data, users, role):
    assert _get(users, role).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, data):
    response = client.get("/en/data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
