"""The review part's API: the community report (404 to everyone else), reviewers,
conflicts, scores and the decision."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from meirim.recognition.models import Application, CommunityReport
from tests.recognition.factories import TOWN, group_make
from tests.recognition.test_review_setup import MARKER, report_send, submitted_application

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_group_posts_the_report_and_only_council_and_group_read_it(users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    url = f"/api/v1/applications/{application.pk}/community-report"
    body = {"text": f"Text {MARKER}",
            "criteria": [{"criterion": "K1", "verdict": "agree", "comment": MARKER}]}  # fmt: skip
    for key in ("city_coordinator", "reviewer", "national_admin", "region_officer"):
        assert _post(_as(users[key]), url, body).status_code == 404, key
        assert _as(users[key]).get(url).status_code == 404, key
    assert Client().get(url).status_code == 404
    bad = {**body, "criteria": [{"criterion": "K1", "verdict": "maybe", "comment": ""}]}
    assert _post(_as(users["community_group"]), url, bad).status_code == 400
    # Before it is sent the council is not even told it exists.
    assert _as(users["national_council"]).get(url).status_code == 404
    response = _post(_as(users["community_group"]), url, body)
    assert response.status_code == 201 and response.json()["sent"] is True
    application.refresh_from_db()
    assert application.community_report_received_at is not None
    assert _post(_as(users["community_group"]), url, body).status_code == 409
    assert _post(_as(users["national_council"]), url, body).status_code == 403
    read = _as(users["national_council"]).get(url)
    assert read.status_code == 200
    assert read.json()["criteria"] == [{"criterion": "K1", "verdict": "agree", "comment": MARKER}]
    assert CommunityReport.objects.get().text == f"Text {MARKER}"
    assert (
        MARKER
        not in _as(users["city_coordinator"])
        .get(f"/api/v1/applications/{application.pk}")
        .content.decode()
    )


def test_reviewers_conflict_scores_and_decision(users):
    application = submitted_application()
    council, reviewer = _as(users["national_council"]), _as(users["reviewer"])
    base = f"/api/v1/applications/{application.pk}"
    assert _post(reviewer, f"{base}/reviewers", {"reviewer": "reviewer"}).status_code == 403
    response = _post(council, f"{base}/reviewers", {"reviewer": "reviewer"})
    assert response.status_code == 201 and response.json()["application_state"] == "under_review"
    assert _post(council, f"{base}/reviewers", {"reviewer": "norole"}).status_code == 409
    scores = {"scores": [{"criterion": "K1", "score": 3, "comment": "Good", "evidence": "p. 4"},
                         {"criterion": "K2", "score": 2, "comment": "Fair"}]}  # fmt: skip
    assert _post(reviewer, f"{base}/scores", scores).status_code == 409
    assert _post(reviewer, f"{base}/conflict", {"conflict": False}).status_code == 200
    too_high = {"scores": [{"criterion": "K1", "score": 9, "comment": "x"}]}
    assert _post(reviewer, f"{base}/scores", too_high).status_code == 400
    assert _post(reviewer, f"{base}/scores", scores).status_code == 201
    # Not assigned: 404.
    assert _post(council, f"{base}/scores", scores).status_code == 404
    table = council.get(f"{base}/scores").json()
    assert table["criteria"][0]["mean"] == 3 and table["recommendation"] == "L1"
    assert reviewer.get(f"{base}/scores").status_code == 403
    decision = {"level": "L1", "reasons": "Good"}
    refused = _post(council, f"{base}/decision", decision)
    deadline = application.cycle.community_report_deadline
    assert refused.status_code == 409 and str(deadline.year) in refused.json()["reasons"][0]
    assert _post(council, f"{base}/decision", {"level": "L7", "reasons": ""}).status_code == 400
    Application.objects.filter(pk=application.pk).update(
        community_report_received_at=application.eoi_submitted_at
    )
    response = _post(
        council, f"{base}/decision",
        {**decision, "criteria": [{"criterion": "K1", "reason": "Strong"}]},
    )  # fmt: skip
    assert response.status_code == 201
    data = response.json()
    assert data["recognition"]["level"] == "L1" and data["criteria"][0]["reason"] == "Strong"
    assert data["outcome"] == "Level 1"
    assert _post(council, f"{base}/decision", decision).status_code == 409


def test_anonymous_callers_get_404_on_the_community_report_too(users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    url = f"/api/v1/applications/{application.pk}/community-report"
    body = json.dumps({"text": "x", "criteria": []})
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(url).status_code == 404
    assert anonymous.post(url, body, content_type="application/json").status_code == 404
    wrong = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"nobody:wrong").decode()}
    # Wrong credentials are refused as such, the same for any id: nothing is confirmed.
    bad = anonymous.get(url, **wrong)
    unknown = anonymous.get("/api/v1/applications/999999/community-report", **wrong)
    assert bad.status_code == unknown.status_code == 401
    assert bad.content == unknown.content
    # A signed-in member without the CSRF token is refused, not let through as anonymous.
    member = Client(enforce_csrf_checks=True)
    member.force_login(users["community_group"])
    refused = member.post(url, body, content_type="application/json")
    assert refused.status_code in (401, 403)
    assert not CommunityReport.objects.filter(application=application).exists()


def test_a_hidden_report_and_a_missing_application_answer_alike(users):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    report_send(application, users["community_group"])
    coordinator = Client()
    coordinator.force_login(users["city_coordinator"])
    hidden = coordinator.get(f"/api/v1/applications/{application.pk}/community-report")
    missing = coordinator.get("/api/v1/applications/999999/community-report")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
