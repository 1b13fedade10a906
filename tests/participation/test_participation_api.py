"""GET|POST /api/v1/municipalities/{code}/participation: Basic and session, scope, 400s."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from meirim.geography.models import Municipality
from meirim.participation.models import Activity
from meirim.planning.models import Action
from tests.conftest import PASSWORD

TOWN = "KZ-AKM-KOKSHETAU"
URL = f"/api/v1/municipalities/{TOWN}/participation"
BODY = {
    "topic": "Park design",
    "date": "2026-05-10",
    "recurrence": "recurring",
    "recurrence_note": "monthly",
    "action": "7.1.a",
    "rung": "H6",
    "type": "T2",
    "quality": {"Q1": {"met": True, "evidence": "Posters"}, "Q7": {"met": False}},
    "participants": [
        {"age_band": "10_13", "sex": "girls", "count": 12},
        {"age_band": "14_17", "sex": "boys", "count": 3},
    ],
    "hard_to_reach": {"disability": 2},
    "impact": "Children chose the benches",
    "what_changed": "Benches moved to the shade",
}


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def action(geography):
    town = Municipality.objects.get(code=TOWN)
    return Action.objects.create(municipality=town, code="7.1.a", title="Shade in parks")


@pytest.mark.django_db
def test_a_department_head_logs_an_activity_over_basic_and_reads_it_back(users, catalogue, action):
    client = Client()
    response = client.post(
        URL, json.dumps(BODY), content_type="application/json", **_basic("department_head")
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["action"] == "7.1.a"
    assert created["non_participation"] is False
    activity = Activity.objects.get(pk=created["id"])
    assert activity.kind == "T2"
    assert activity.action == action

    listing = client.get(URL, **_basic("region_officer")).json()["activities"]
    assert len(listing) == 1
    item = listing[0]
    assert item["topic"] == "Park design"
    assert item["date"] == "2026-05-10"
    assert item["rung"] == "H6"
    assert item["type"] == "T2"
    assert item["quality"]["Q1"] == {"met": True, "evidence": "Posters"}
    assert sorted((p["age_band"], p["sex"], p["count"]) for p in item["participants"]) == [
        ("10_13", "girls", 12),
        ("14_17", "boys", 3),
    ]
    assert item["hard_to_reach"] == {"disability": 2}
    assert item["what_changed"] == "Benches moved to the shade"


@pytest.mark.django_db
def test_bad_codes_are_refused_with_a_400_naming_them(users, catalogue, action):
    body = {
        **BODY,
        "rung": "H9",
        "type": "T7",
        "action": "9.9",
        "quality": {"Q10": True},
        "participants": [{"age_band": "99", "sex": "girls", "count": -1}],
    }
    response = Client().post(
        URL, json.dumps(body), content_type="application/json", **_basic("city_coordinator")
    )
    assert response.status_code == 400
    answer = response.json()
    fields = {e["field"] for e in answer["errors"]}
    assert {"rung", "type", "action", "quality", "participants[0].age_band"} <= fields
    assert "participants[0].count" in fields
    text = json.dumps(answer["errors"])
    for code in ("H9", "T7", "9.9", "Q10"):
        assert code in text
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_session_write_needs_the_csrf_token(users, catalogue, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["city_coordinator"])
    refused = client.post(URL, json.dumps(BODY), content_type="application/json")
    assert refused.status_code == 403
    client.get("/en/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        URL, json.dumps(BODY), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content


@pytest.mark.django_db
def test_writes_and_reads_stay_within_the_scope(users, catalogue, action):
    from meirim.accounts.models import Role
    from tests.factories import user_with_role

    user_with_role(Role.CITY_COORDINATOR, "far-coordinator", municipality="KZ-PAV-PAVLODAR")
    client = Client()
    far = _basic("far-coordinator")
    post = client.post(URL, json.dumps(BODY), content_type="application/json", **far)
    assert post.status_code == 403
    assert client.get(URL, **far).status_code == 403
    community = client.post(
        URL, json.dumps(BODY), content_type="application/json", **_basic("community_group")
    )
    assert community.status_code == 403
    assert client.get(URL).status_code == 401
    assert not Activity.objects.exists()
