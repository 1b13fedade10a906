"""The audit in the API: a paged list for the city's readers, creation for its editors,
HTTP Basic and the session both, refusals naming the bad fields."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from meirim.facilities.models import Facility
from tests.conftest import PASSWORD
from tests.facilities.conftest import OTHER, TOWN, client_for, make

pytestmark = pytest.mark.django_db

PATH = f"/api/v1/municipalities/{TOWN}/facilities"
KEYS = {
    "id", "name", "type", "address", "latitude", "longitude", "target_ages", "availability",
    "barriers", "barrier_details", "groups_affected", "adult_rating", "children_rating",
    "children_asked_by", "children_said", "evidence", "audited_on", "updated_at",
}  # fmt: skip


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def post(client: Client, body: dict, path: str = PATH, **headers: str):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_the_list_is_paged_and_readable_with_basic_auth(town, other_town, users):
    for number in range(3):
        make(town, name=f"Park {number}", barriers=["cost"] if number else [])
    make(other_town, name="Elsewhere")
    client = Client()
    first = client.get(PATH, {"limit": 2}, **basic("region_officer"))
    assert first.status_code == 200, first.content
    page = first.json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert set(page["items"][0]) >= KEYS
    assert page["next"]
    rest = client.get(page["next"], **basic("region_officer")).json()
    assert [item["name"] for item in rest["items"]] == ["Park 2"] and rest["next"] is None
    filtered = client.get(PATH, {"barrier": "cost"}, **basic("city_coordinator")).json()
    assert filtered["count"] == 2


def test_reading_needs_the_citys_scope(town, users):
    assert Client().get(PATH).status_code == 401
    assert client_for(users["community_group"]).get(PATH).status_code == 403
    pavlodar = client_for(users["city_coordinator"]).get(
        f"/api/v1/municipalities/{OTHER}/facilities"
    )
    assert pavlodar.status_code == 403
    assert Client().get(PATH, **basic("city_coordinator", "wrong")).status_code == 401


def test_create_with_basic_auth_uses_the_files_codes(town, users):
    body = {
        "name": "Clinic",
        "type": "health",
        "address": "Abay 1",
        "latitude": 53.287,
        "longitude": "69.389",
        "target_ages": ["E", "M"],
        "availability": "not_accessible",
        "barriers": ["physical", "cost"],
        "groups_affected": "disability;location",
        "adult_rating": 3,
        "children_rating": "2",
        "children_asked_by": "survey",
        "evidence": "Visit",
        "audited_on": "2026-03-12",
    }
    response = post(Client(), body, **basic("department_head"))
    assert response.status_code == 201, response.content
    item = response.json()
    assert set(item) >= KEYS
    assert item["type"] == "health" and item["barriers"] == ["physical", "cost"]
    assert item["groups_affected"] == ["disability", "location"]
    assert item["audited_on"] == "2026-03-12"
    facility = Facility.objects.get(pk=item["id"])
    assert facility.municipality == town and facility.updated_by == users["department_head"]


def test_create_with_a_session(town, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["city_coordinator"])
    body = {"name": "Park", "type": "play", "availability": "available"}
    assert post(client, body).status_code == 403  # no CSRF token
    client.get("/en/")
    token = client.cookies["csrftoken"].value
    response = post(client, body, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert Facility.objects.filter(name="Park", municipality=town).exists()


def test_bad_fields_are_named_and_nothing_is_saved(town, users):
    body = {
        "type": "zoo",
        "availability": "available",
        "barriers": ["physical", "noise"],
        "adult_rating": 9,
        "latitude": 200,
        "longitude": 69.3,
        "audited_on": "12.03.2026",
    }
    response = post(Client(), body, **basic("city_coordinator"))
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"]
    named = {error["field"] for error in answer["errors"]}
    assert named == {"name", "type", "barriers", "adult_rating", "latitude", "audited_on"}
    assert "noise" in next(e["message"] for e in answer["errors"] if e["field"] == "barriers")
    assert not Facility.objects.exists()


def test_writing_needs_the_edit_right_in_that_city(town, users):
    body = {"name": "Park", "type": "play", "availability": "available"}
    assert post(Client(), body, **basic("region_officer")).status_code == 403
    other = f"/api/v1/municipalities/{OTHER}/facilities"
    assert post(Client(), body, other, **basic("city_coordinator")).status_code == 403
    assert post(Client(), body).status_code == 401
    assert not Facility.objects.exists()
