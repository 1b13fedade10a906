"""The governance and council API: Basic and session auth, 400/403/404/409, summary."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from meirim.governance import selectors, services
from meirim.governance.models import AssessmentRound, GovernanceAnswer
from tests.conftest import PASSWORD
from tests.governance.conftest import TOWN, all_yes

pytestmark = pytest.mark.django_db
URL = f"/api/v1/municipalities/{TOWN}/governance/2026"


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _put(body, username="city_coordinator", url=URL):
    return Client(enforce_csrf_checks=True).put(
        url, json.dumps(body), content_type="application/json", **_basic(username)
    )


def test_the_coordinator_creates_the_round_by_put_and_reads_it(users, town):
    response = _put(
        {
            "mode": "interviews",
            "answers": [
                {"question": "G07", "answer": "planned", "comment": "c", "responsible": "Финотдел",
                 "future_action": "Анализ бюджета"},
                {"question": "G08", "answer": "not_applicable", "reason": "нет базы"},
            ],
        }
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mode"] == "interviews" and body["state"] == "open"
    assert body["summary"] == {"yes": 0, "planned": 1, "no": 0, "not_applicable": 1,
                               "unanswered": 59}  # fmt: skip
    got = Client().get(URL, **_basic("region_officer")).json()
    answers = {a["question"]: a for a in got["answers"]}
    assert len(answers) == 61 and answers["G01"]["answer"] is None
    assert answers["G07"]["responsible"] == "Финотдел" and answers["G07"]["section"] == "GS-I.3"
    # A subset leaves the other answers and fields alone.
    _put({"answers": [{"question": "G07", "answer": "yes"}]})
    kept = GovernanceAnswer.objects.get(code="G07")
    assert kept.answer == "yes" and kept.responsible == "Финотдел"
    assert GovernanceAnswer.objects.get(code="G08").answer == "not_applicable"


def test_unknown_codes_and_answers_are_400_and_nothing_is_saved(users, town):
    response = _put(
        {"answers": [{"question": "G01", "answer": "yes"}, {"question": "G99", "answer": "yes"},
                     {"question": "G02", "answer": "perhaps"}]}
    )  # fmt: skip
    assert response.status_code == 400
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "G99" in text and "perhaps" in text and response.json()["errors"]
    assert all(set(error) == {"field", "message"} for error in response.json()["errors"])
    assert not AssessmentRound.objects.exists() and not GovernanceAnswer.objects.exists()
    refused = _put({"answers": [{"question": "G01", "answer": "not_applicable"}]})
    assert refused.status_code == 400 and "G01" in json.dumps(refused.json())


def test_department_head_needs_a_round_and_their_sections(users, round_2026):
    head = users["department_head"]
    assert (
        _put({"answers": all_yes(["G01"])}, "department_head", URL[:-4] + "2024").status_code == 404
    )
    refused = _put({"answers": all_yes(["G01"])}, "department_head")
    assert refused.status_code == 403 and refused.json()["errors"] == ["G01"]
    services.section_assign(
        round=round_2026, section="GS-I.1", assignee_id=head.pk, actor=users["city_coordinator"]
    )
    assert _put({"answers": all_yes(["G01"])}, "department_head").status_code == 200
    assert _put({"answers": all_yes(["G01"])}, "community_group").status_code == 403


def test_a_closed_round_refuses_with_409(users, round_2026):
    coordinator = users["city_coordinator"]
    codes = sorted(selectors.catalogue_questions(selectors.catalogue_version()))
    services.answers_save(round=round_2026, answers=all_yes(codes), actor=coordinator)
    services.round_save(
        round=round_2026,
        values={"agreed_assessment": "A", "rights_summary": "S"},
        actor=coordinator,
    )
    services.round_close(round=round_2026, actor=coordinator)
    response = _put({"answers": [{"question": "G01", "answer": "no"}]})
    assert response.status_code == 409
    assert GovernanceAnswer.objects.get(code="G01").answer == "yes"


def test_session_writes_need_the_csrf_token(users, round_2026):
    session = Client(enforce_csrf_checks=True)
    session.force_login(users["city_coordinator"])
    body = json.dumps({"answers": all_yes(["G01"])})
    assert session.put(URL, body, content_type="application/json").status_code == 403
    session.get(f"/en/preparation/{TOWN}/governance/")
    token = session.cookies["csrftoken"].value
    response = session.put(URL, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert session.get(URL).json()["summary"]["yes"] == 1


def test_reading_needs_preparation_read(users, round_2026):
    assert Client().get(URL).status_code == 401
    assert Client().get(URL, **_basic("community_group")).status_code == 403
    assert Client().get(URL[:-4] + "2020", **_basic("city_coordinator")).status_code == 404


def test_the_council_api(users, town):
    client = Client()
    assert (
        client.get(f"/api/v1/municipalities/{TOWN}/council", **_basic("reviewer")).status_code
        == 404
    )
    services.council_save(
        municipality=town, values={"chair_name": "Ержан", "chair_role": "akim"}, actor=None
    )
    services.member_save(
        municipality=town,
        values={"name": "Айгуль", "organisation": "НПО", "council_role": "member",
                "status": "approved"},
        actor=None,
    )  # fmt: skip
    body = client.get(f"/api/v1/municipalities/{TOWN}/council", **_basic("reviewer")).json()
    assert body["chair_role"] == "akim" and body["members"][0]["status"] == "approved"
    assert body["has_tor_document"] is False and body["meetings"] == []
    refused = client.get(f"/api/v1/municipalities/{TOWN}/council", **_basic("community_group"))
    assert refused.status_code == 403
