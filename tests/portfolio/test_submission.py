"""Submitting the preparatory portfolio: refused with the missing items by step, then accepted;
frozen versions; resubmission; the council's feedback and the city's reply."""

from __future__ import annotations

import base64

import pytest
from django.core import mail
from django.test import Client

from meirim.common.audit import AuditEvent
from meirim.facilities.models import Facility
from meirim.planning.models import Strategy
from meirim.portfolio import services
from meirim.portfolio.models import Portfolio, PortfolioVersion, StepFeedback
from tests.factories import PASSWORD
from tests.portfolio import builders

pytestmark = pytest.mark.django_db

TOWN = builders.TOWN
SUBMIT_API = f"/api/v1/municipalities/{TOWN}/preparatory-portfolio/submit"


def _basic(username: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()


@pytest.fixture
def town(geography, catalogue):
    return builders.town()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_refuses_with_the_missing_items_by_step_then_submits(town, users):
    client = _client(users["city_coordinator"])
    url = f"/en/preparation/{TOWN}/portfolio/"
    response = client.post(url, {"action": "submit"}, follow=True)
    text = response.content.decode()
    assert "cannot be submitted yet" in text
    for step in ("PH1.S1", "PH1.S2", "PH1.S7"):
        assert step in text
    assert "No council member is approved yet." in text
    assert not PortfolioVersion.objects.exists()

    builders.complete(town)
    users["national_council"].email = "council@example.org"
    users["national_council"].save()
    response = client.post(url, {"action": "submit"}, follow=True)
    assert "Version 1 of the portfolio is submitted" in response.content.decode()
    portfolio = Portfolio.objects.get(municipality=town)
    assert portfolio.state == "submitted"
    assert portfolio.versions.get().number == 1
    assert AuditEvent.objects.filter(action="portfolio.submit").exists()


def test_department_heads_edit_texts_but_only_the_coordinator_submits(town, users):
    client = _client(users["department_head"])
    url = f"/en/preparation/{TOWN}/portfolio/"
    response = client.post(
        url, {"action": "save", "introduction": "Введение", "self_assessment": "Оценка"}
    )
    assert response.status_code == 302
    assert Portfolio.objects.get(municipality=town).introduction == "Введение"
    assert client.post(url, {"action": "submit"}).status_code == 403


def test_api_basic_refuses_with_409_by_step_then_201(town, users):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    auth = {"HTTP_AUTHORIZATION": _basic("city_coordinator")}
    response = client.post(SUBMIT_API, {}, content_type="application/json", **auth)
    assert response.status_code == 409
    body = response.json()
    steps_missing = {row["step"]: row["missing"] for row in body["missing"]}
    assert set(steps_missing) == {f"PH1.S{n}" for n in range(1, 8)}
    assert "The strategy's vision is not written." in steps_missing["PH1.S5"]

    builders.complete(town)
    Strategy.objects.update(vision="")
    response = client.post(SUBMIT_API, {}, content_type="application/json", **auth)
    assert response.status_code == 409
    assert [row["step"] for row in response.json()["missing"]] == ["PH1.S5"]

    Strategy.objects.update(vision="Видение")
    response = client.post(SUBMIT_API, {}, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json() == {"version": 1, "status": "PHASE1_SUBMITTED"}
    # Submitted already: a conflict, not a second version.
    response = client.post(SUBMIT_API, {}, content_type="application/json", **auth)
    assert response.status_code == 409
    assert PortfolioVersion.objects.count() == 1


def test_api_session_needs_csrf_and_the_coordinator(town, users):
    builders.complete(town)
    head = Client(enforce_csrf_checks=True)
    head.force_login(users["department_head"])
    assert head.post(SUBMIT_API, {}, content_type="application/json").status_code == 403
    coordinator = Client(enforce_csrf_checks=True)
    coordinator.force_login(users["city_coordinator"])
    assert coordinator.post(SUBMIT_API, {}, content_type="application/json").status_code == 403
    coordinator.get("/en/")
    token = coordinator.cookies["csrftoken"].value
    response = coordinator.post(
        SUBMIT_API, {}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_a_frozen_version_never_changes_and_resubmission_makes_a_new_one(town, users):
    builders.complete(town)
    first = services.portfolio_submit(municipality=town, actor=users["city_coordinator"])
    frozen = dict(first.content)
    assert frozen["part_a"]["audit"]["total"] == 1
    assert frozen["part_a"]["self_assessment"] == "Самооценка города"
    # Live edits after submission.
    builders.step4(town)
    Facility.objects.update(name="Переименовано")
    services.portfolio_texts_save(
        municipality=town, introduction="Новое", self_assessment="Новая самооценка", actor=None
    )
    first.refresh_from_db()
    assert first.content == frozen
    page = Client().get(f"/en/preparation/{TOWN}/portfolio/v1/").content.decode()
    assert "Самооценка города" in page and "Новая самооценка" not in page

    services.feedback_add(
        version=first, step="PH1.S4", comment="Добавьте объекты", requests_changes=True, actor=None
    )
    services.feedback_return(municipality=town, actor=None)
    second = services.portfolio_submit(municipality=town, actor=users["city_coordinator"])
    assert second.number == 2
    assert second.content["part_a"]["audit"]["total"] == 2
    assert second.content["part_a"]["self_assessment"] == "Новая самооценка"
    first.refresh_from_db()
    assert first.content == frozen
    assert Portfolio.objects.get(municipality=town).state == "submitted"


def test_feedback_per_step_returned_and_answered(town, users, django_capture_on_commit_callbacks):
    builders.complete(town)
    users["city_coordinator"].email = "coordinator@example.org"
    users["city_coordinator"].save()
    services.portfolio_submit(municipality=town, actor=users["city_coordinator"])
    council = _client(users["national_council"])
    url = f"/en/preparation/{TOWN}/portfolio/v1/"
    # Returning without any comment is refused.
    response = council.post(url, {"action": "return_feedback"}, follow=True)
    assert "Write feedback on at least one step" in response.content.decode()
    response = council.post(
        url,
        {
            "action": "feedback",
            "comment-PH1.S1": "Совет сформирован хорошо.",
            "comment-PH1.S5": "Уточните сроки.",
            "changes-PH1.S5": "on",
        },
    )
    assert response.status_code == 302
    assert StepFeedback.objects.count() == 2
    assert StepFeedback.objects.get(step="PH1.S5").requests_changes
    # Before it is returned, the city does not see it.
    coordinator = _client(users["city_coordinator"])
    portfolio_url = f"/en/preparation/{TOWN}/portfolio/"
    assert "Уточните сроки." not in coordinator.get(portfolio_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        council.post(url, {"action": "return_feedback"})
    assert Portfolio.objects.get(municipality=town).state == "feedback_received"
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]
    assert "Уточните сроки." in coordinator.get(portfolio_url).content.decode()
    feedback = StepFeedback.objects.get(step="PH1.S5")
    response = coordinator.post(
        portfolio_url, {"action": "reply", "feedback": feedback.pk, "reply": "Сроки уточнены."}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.reply == "Сроки уточнены."
    assert "Сроки уточнены." in Client().get(url).content.decode()
    # A department head may read but not reply.
    head = _client(users["department_head"])
    response = head.post(portfolio_url, {"action": "reply", "feedback": feedback.pk, "reply": "x"})
    assert response.status_code == 403
    # The coordinator cannot write the council's feedback.
    assert coordinator.post(url, {"action": "feedback", "comment-PH1.S1": "x"}).status_code == 403


def test_the_council_hears_of_a_submission(town, users, django_capture_on_commit_callbacks):
    builders.complete(town)
    users["national_council"].email = "council@example.org"
    users["national_council"].save()
    mail.outbox.clear()
    client = _client(users["city_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/preparation/{TOWN}/portfolio/", {"action": "submit"})
    assert [m.to for m in mail.outbox] == [["council@example.org"]]
