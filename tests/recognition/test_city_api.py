"""The city's Phase 2 API: the expression of interest, an application, the portfolio's
submission and readiness (status codes and field names outside tools rely on)."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.test import Client
from django.utils.formats import date_format

from meirim.accounts.models import Role
from meirim.geography.models import Municipality
from meirim.recognition.models import Application, Decision, Level
from tests.conftest import PASSWORD
from tests.factories import user_with_role
from tests.recognition.factories import (
    ALL_COMMITMENTS,
    TOWN,
    application_make,
    cycle_make,
    group_make,
    phase1_feedback_received,
    today,
)
from tests.recognition.test_city_services import fill_indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(geography, catalogue):
    return Municipality.objects.get(code=TOWN)


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}", "Accept-Language": "en"}


def _post(path, body, username="city_coordinator"):
    return Client().post(
        path, json.dumps(body), content_type="application/json", headers=_basic(username)
    )


def _body(**overrides):
    body = {
        "municipality": TOWN,
        "commitments": list(ALL_COMMITMENTS),
        "signatory": "Akim",
        "signed_on": today().isoformat(),
        "signatory_position": "Akim of Kokshetau",
    }
    body.update(overrides)
    return body


def test_create_201_with_the_application(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    response = _post(f"/api/v1/cycles/{cycle.pk}/applications", _body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {
        "id", "cycle", "municipality", "state", "status", "commitments", "signatory",
        "signatory_position", "signed_on", "eoi_submitted_at", "portfolio_submitted_at",
        "community_report_received", "decision",
    }  # fmt: skip
    assert data["status"] == "EOI_SUBMITTED" and data["state"] == "eoi_submitted"
    assert data["commitments"] == ALL_COMMITMENTS and data["municipality"] == TOWN
    assert data["community_report_received"] is False and data["decision"] is None


def test_create_400_names_missing_and_unknown_commitments(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    response = _post(
        f"/api/v1/cycles/{cycle.pk}/applications",
        _body(commitments=["A1", "A2", "A3", "A4", "A5", "A6", "B1"], signed_on="tomorrow"),
    )
    assert response.status_code == 400
    data = response.json()
    assert data["missing_commitments"] == ["A7"]
    assert data["errors"]["signed_on"] == ["Give the date as YYYY-MM-DD."]
    response = _post(
        f"/api/v1/cycles/{cycle.pk}/applications",
        _body(commitments=["A1", "A2", "A3", "A4", "A5", "A6", "B1"]),
    )
    data = response.json()
    assert response.status_code == 400
    assert data["missing_commitments"] == ["A7"] and data["unknown_commitments"] == ["B1"]
    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = _post(f"/api/v1/cycles/{cycle.pk}/applications", _body(signed_on=future))
    assert response.status_code == 400 and "signed_on" in response.json()["errors"]


def test_create_409_late_phase1_closed_and_already_applied(town, users):
    deadline = today() - datetime.timedelta(days=1)
    late = cycle_make(eoi_deadline=deadline)
    response = _post(f"/api/v1/cycles/{late.pk}/applications", _body())
    assert response.status_code == 409
    reasons = " ".join(response.json()["reasons"])
    assert date_format(deadline, "DATE_FORMAT") in reasons
    assert "Phase 1" in reasons
    phase1_feedback_received(town)
    cycle = cycle_make()
    assert _post(f"/api/v1/cycles/{cycle.pk}/applications", _body()).status_code == 201
    again = _post(f"/api/v1/cycles/{cycle.pk}/applications", _body())
    assert again.status_code == 409 and "already" in again.json()["reasons"][0]
    closed = cycle_make(state="applications_closed")
    assert _post(f"/api/v1/cycles/{closed.pk}/applications", _body()).status_code == 409


def test_create_403_404_401(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    path = f"/api/v1/cycles/{cycle.pk}/applications"
    assert _post(path, _body(), "department_head").status_code == 403
    user_with_role(Role.CITY_COORDINATOR, "pavlodar", municipality="KZ-PAV-PAVLODAR")
    assert _post(path, _body(), "pavlodar").status_code == 403
    assert _post("/api/v1/cycles/999999/applications", _body()).status_code == 404
    anonymous = Client().post(path, json.dumps(_body()), content_type="application/json")
    assert anonymous.status_code == 401
    assert not Application.objects.exists()


def test_get_application_with_status_and_decision(town, users):
    cycle = cycle_make()
    application = application_make(cycle, town, state=Application.State.DECIDED)
    Decision.objects.create(
        application=application, level=Level.L1, reasons="Good.", decided_on=today()
    )
    client = Client()
    response = client.get(f"/api/v1/applications/{application.pk}", headers=_basic("reviewer"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "RECOGNISED_L1"
    assert data["decision"]["level"] == "L1" and data["decision"]["reasons"] == "Good."
    assert not any("report" in key and key != "community_report_received" for key in data)
    assert client.get("/api/v1/applications/999999", headers=_basic("reviewer")).status_code == 404
    user_with_role(Role.CITY_COORDINATOR, "pavlodar", municipality="KZ-PAV-PAVLODAR")
    far = client.get(f"/api/v1/applications/{application.pk}", headers=_basic("pavlodar"))
    assert far.status_code == 403


def test_submit_409_with_missing_indicators_then_201(town, users):
    phase1_feedback_received(town)
    cycle = cycle_make()
    application = application_make(cycle, town)
    path = f"/api/v1/applications/{application.pk}/portfolio/submit"
    assert _post(path, {}, "department_head").status_code == 403
    refused = _post(path, {})
    assert refused.status_code == 409
    data = refused.json()
    assert set(data) == {"detail", "reasons", "missing_indicators"}
    assert data["missing_indicators"][:2] == ["I01", "I02"]
    fill_indicators(town, 2025)
    from meirim.recognition import applications

    applications.portfolio_texts_save(
        application=application, texts={"introduction": "Hi."}, actor=users["city_coordinator"]
    )
    applications.evidence_save(
        application=application, statements={"K1": "a", "K2": "b"}, actor=users["city_coordinator"]
    )
    group_make(town)
    session = Client()
    session.force_login(users["city_coordinator"])
    done = session.post(path, "{}", content_type="application/json")
    assert done.status_code == 201 and done.json() == {"version": 1}
    got = session.get(f"/api/v1/applications/{application.pk}").json()
    assert got["status"] == "PORTFOLIO_SUBMITTED" and got["portfolio_submitted_at"]


def test_readiness(town, users):
    cycle = cycle_make()
    application = application_make(cycle, town)
    response = Client().get(
        f"/api/v1/applications/{application.pk}/readiness", headers=_basic("region_officer")
    )
    assert response.status_code == 200
    data = response.json()
    assert data["indicators_stated"] == 0 and data["indicators_total"] >= 74
    assert [c["criterion"] for c in data["criteria"]] == ["K1", "K2"]
    assert data["criteria"][0]["level"] == "missing"
    assert data["criteria"][0]["sources"][0]["kind"] == "indicators"
    assert Client().get(f"/api/v1/applications/{application.pk}/readiness").status_code == 401
