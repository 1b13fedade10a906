"""The action plan and strategy API: HTTP Basic and session, 400 naming fields, 409, 403."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from meirim.planning import services
from meirim.planning.models import Action
from tests.factories import PASSWORD
from tests.planning.conftest import TOWN, make_answer

pytestmark = pytest.mark.django_db

URL = f"/api/v1/municipalities/{TOWN}/actions"
BODY = {"code": "7.1.a", "title": "Leisure pass", "status": "planned"}


def basic(user):
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {token}", enforce_csrf_checks=True)


def test_basic_creates_and_lists_actions(users, town):
    api = basic(users["department_head"])
    body = {
        **BODY,
        "target_ages": ["E", "M"],
        "department": "Department of culture",
        "indicators": ["I01"],
        "staff_roles": ["SR2"],
        "starts_on": "2026-02-01",
        "ends_on": "2026-10-31",
    }
    response = api.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["code"] == "7.1.a" and created["target_ages"] == ["E", "M"]
    assert created["governance_question"] is None
    listed = api.get(URL).json()
    assert [a["code"] for a in listed["items"]] == ["7.1.a"]
    item = listed["items"][0]
    for key in ("title", "status", "target_ages", "department", "indicators", "overdue"):
        assert key in item


def test_bad_fields_are_named_with_400(users, town):
    api = basic(users["city_coordinator"])
    body = {**BODY, "code": "7-1", "indicators": ["I01", "I999"], "ends_on": "2026-01-01",
            "starts_on": "2026-03-01", "status": "finished"}  # fmt: skip
    response = api.post(URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"code", "indicators", "ends_on", "status"}
    assert any("I999" in e["message"] for e in response.json()["errors"])
    assert not Action.objects.exists()


def test_evaluated_without_evidence_is_409(users, town):
    api = basic(users["city_coordinator"])
    response = api.post(
        URL, {**BODY, "status": "evaluated"}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 409
    assert "impact evidence" in response.json()["reasons"][0]
    ok = api.post(
        URL,
        {**BODY, "status": "evaluated", "impact_before": "10", "impact_after": "25"},
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_session_needs_csrf_and_others_are_refused(users, town):
    session = Client(enforce_csrf_checks=True)
    session.force_login(users["city_coordinator"])
    assert session.post(URL, BODY, content_type="application/json").status_code == 403
    assert session.get(URL).status_code == 200
    officer = basic(users["region_officer"])
    assert officer.get(URL).status_code == 200
    assert officer.post(URL, BODY, content_type="application/json").status_code == 403
    assert Client().get(URL).status_code == 401
    assert not Action.objects.exists()


def test_drafted_action_carries_its_governance_question(users, town):
    make_answer(town, 2025, "G07", "planned", future_action="Children's budget line")
    services.action_from_question(
        municipality=town, year=2025, question="G07", actor=users["city_coordinator"]
    )
    item = basic(users["city_coordinator"]).get(URL).json()["items"][0]
    assert item["governance_question"] == "G07" and item["status"] == "draft"


def test_strategy_reads_goals_and_priorities(users, town):
    coordinator = users["city_coordinator"]
    services.strategy_save(
        municipality=town, values={"title": "Strategy", "vision": "Vision"}, actor=coordinator
    )
    services.goal_save(
        municipality=town,
        values={"code": "G1", "title": "Safe play", "rights": ["R4"], "indicators": "I01"},
        actor=coordinator,
    )
    services.priority_add(
        municipality=town, title="Cost", source="audit_barrier", reference="barrier:cost",
        actor=coordinator,
    )  # fmt: skip
    data = basic(coordinator).get(f"/api/v1/municipalities/{TOWN}/strategy").json()
    assert data["vision"] == "Vision"
    assert data["goals"][0]["rights"] == ["R4"] and data["goals"][0]["indicators"] == ["I01"]
    assert data["priorities"][0]["reference"] == "barrier:cost"
