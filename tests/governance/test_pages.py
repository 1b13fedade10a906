"""The council and assessment pages through the Django test client."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from meirim.governance import selectors, services
from meirim.governance.models import (
    AssessmentRound,
    CoordinationCouncil,
    CouncilMeeting,
    CouncilMember,
    GovernanceAnswer,
)
from tests.governance.conftest import TOWN, all_yes

pytestmark = pytest.mark.django_db
BASE = f"/en/preparation/{TOWN}"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_council_is_recorded_with_its_document_and_read_by_the_region(users, town):
    client = _client(users["department_head"])
    response = client.post(
        f"{BASE}/council/",
        {
            "chair_name": "Ержан Сейтқали",
            "chair_role": "deputy_akim",
            "established_on": "2026-02-01",
            "tor_functions": "Координация",
            "tor_responsibilities": "Ответственность",
            "tor_document": SimpleUploadedFile("tor.pdf", b"%PDF-1.4 tor"),
        },
    )
    assert response.status_code == 302
    council = CoordinationCouncil.objects.get(municipality=town)
    assert council.chair_role == "deputy_akim" and council.tor_document
    reader = _client(users["region_officer"])
    page = reader.get(f"{BASE}/council/")
    assert "Ержан Сейтқали" in page.content.decode()
    assert 'action="/en/preparation/' not in page.content.decode()  # no edit form
    document = reader.get(f"{BASE}/council/tor-document/")
    assert document.status_code == 200 and document["Cache-Control"] == "private, no-store"
    assert b"".join(document.streaming_content) == b"%PDF-1.4 tor"
    assert Client().get(f"{BASE}/council/tor-document/").status_code == 302
    assert _client(users["community_group"]).get(f"{BASE}/council/tor-document/").status_code == 403


def test_a_refused_tor_document_is_a_message(users, town):
    response = _client(users["city_coordinator"]).post(
        f"{BASE}/council/",
        {"chair_name": "X", "tor_document": SimpleUploadedFile("tor.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert any("not accepted" in m for m in _messages(response))
    assert not CoordinationCouncil.objects.filter(municipality=town, chair_name="X").exists()


def test_members_and_meetings_are_added_edited_and_removed(users, town):
    client = _client(users["city_coordinator"])
    response = client.post(
        f"{BASE}/council/members/add/",
        {"name": "Айгуль Нурланова", "organisation": "Отдел образования",
         "council_role": "member", "status": "invited"},
    )  # fmt: skip
    assert response.status_code == 302
    member = CouncilMember.objects.get()
    client.post(
        f"{BASE}/council/members/{member.pk}/",
        {"name": member.name, "organisation": member.organisation,
         "council_role": "secretary", "status": "approved"},
    )  # fmt: skip
    member.refresh_from_db()
    assert member.council_role == "secretary" and member.approved_on is not None
    client.post(
        f"{BASE}/council/meetings/add/",
        {"held_on": "2026-03-10", "agenda": "Повестка", "minutes": "Протокол",
         "minutes_document": SimpleUploadedFile("minutes.docx", b"doc")},
    )  # fmt: skip
    meeting = CouncilMeeting.objects.get()
    assert meeting.minutes_document
    page = client.get(f"{BASE}/council/").content.decode()
    assert "Айгуль Нурланова" in page and "Протокол" in page
    got = client.get(f"{BASE}/council/meetings/{meeting.pk}/minutes/")
    assert got.status_code == 200
    client.post(f"{BASE}/council/meetings/{meeting.pk}/remove/")
    client.post(f"{BASE}/council/members/{member.pk}/remove/")
    assert not CouncilMember.objects.exists() and not CouncilMeeting.objects.exists()


def test_another_citys_member_is_not_found(users, town):
    from meirim.geography.models import Municipality

    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    other = services.member_save(
        municipality=pavlodar,
        values={"name": "N", "organisation": "O", "council_role": "member"},
        actor=None,
    )
    response = _client(users["city_coordinator"]).get(f"{BASE}/council/members/{other.pk}/")
    assert response.status_code == 404


def test_the_coordinator_opens_a_round_and_answers_a_section(users, town):
    client = _client(users["city_coordinator"])
    response = client.post(f"{BASE}/governance/", {"year": "2026", "mode": "checklist"})
    assert response.status_code == 302 and response["Location"].endswith("/governance/2026/")
    data = {"section": "GS-I.1"}
    for code in ("G01", "G02", "G03", "G04", "G05"):
        data[f"{code}-answer"] = "yes"
    data["G02-answer"] = "planned"
    data["G02-future_action"] = "Разработать план"
    data["G03-answer"] = "not_applicable"
    data["G03-reason"] = "Нет такого органа"
    data["G01-evidence_file"] = SimpleUploadedFile("evidence.pdf", b"%PDF evidence")
    response = client.post(f"{BASE}/governance/2026/?section=GS-I.1", data)
    assert response.status_code == 302 and "section=GS-I.1" in response["Location"]
    answers = dict(GovernanceAnswer.objects.values_list("code", "answer"))
    assert answers == {"G01": "yes", "G02": "planned", "G03": "not_applicable", "G04": "yes",
                       "G05": "yes"}  # fmt: skip
    page = client.get(f"{BASE}/governance/2026/?section=GS-I.1")
    html = page.content.decode()
    assert "Нет такого органа" in html and 'value="planned" checked' in html
    evidence = client.get(f"{BASE}/governance/2026/evidence/G01/")
    assert evidence.status_code == 200
    rounds = client.get(f"{BASE}/governance/").content.decode()
    assert "2026" in rounds


def test_not_applicable_without_reason_is_refused_on_the_page(users, round_2026):
    client = _client(users["city_coordinator"])
    response = client.post(
        f"{BASE}/governance/2026/?section=GS-I.1",
        {"section": "GS-I.1", "G01-answer": "yes", "G03-answer": "not_applicable"},
        follow=True,
    )
    assert any("G03" in m and "reason" in m for m in _messages(response))
    assert not GovernanceAnswer.objects.exists()


def test_a_department_head_gets_a_clear_refusal_in_their_language(users, round_2026):
    head = users["department_head"]
    client = _client(head)
    page = client.get(f"{BASE}/governance/2026/?section=GS-I.1").content.decode()
    assert "not assigned to you" in page and 'name="G01-answer"' not in page
    response = client.post(
        "/ru/preparation/KZ-AKM-KOKSHETAU/governance/2026/?section=GS-I.1",
        {"section": "GS-I.1", "G01-answer": "yes"},
        follow=True,
    )
    with translation.override("ru"):
        expected = str(services.SectionRefused(["G01"]))
    assert expected in _messages(response)
    assert "G01" in expected and "You may answer" not in expected
    assert not GovernanceAnswer.objects.exists()
    coordinator = _client(users["city_coordinator"])
    coordinator.post(
        f"{BASE}/governance/2026/manage/",
        {"op": "assign", "assign_section": "GS-I.1", "assignee": str(head.pk)},
    )
    client.post(
        f"{BASE}/governance/2026/?section=GS-I.1", {"section": "GS-I.1", "G01-answer": "no"}
    )
    assert GovernanceAnswer.objects.get().answer == "no"


def test_the_round_page_uses_few_queries(users, round_2026, django_assert_max_num_queries):
    client = _client(users["city_coordinator"])
    codes = sorted(selectors.catalogue_questions(selectors.catalogue_version()))
    services.answers_save(round=round_2026, answers=all_yes(codes), actor=users["city_coordinator"])
    client.get(f"{BASE}/governance/2026/")
    with django_assert_max_num_queries(25):
        assert client.get(f"{BASE}/governance/2026/?section=GS-II.1").status_code == 200
    data = {"section": "GS-II.1"}
    for code in codes[20:28]:
        data[f"{code}-answer"] = "planned"
    with django_assert_max_num_queries(25):
        assert client.post(f"{BASE}/governance/2026/", data).status_code == 302
    with django_assert_max_num_queries(25):
        assert client.get(f"{BASE}/governance/2026/report/").status_code == 200


def test_closing_on_the_page_lists_the_reasons_and_a_closed_round_is_read_only(users, round_2026):
    client = _client(users["city_coordinator"])
    response = client.post(f"{BASE}/governance/2026/manage/", {"op": "close"}, follow=True)
    texts = _messages(response)
    assert any("not answered" in t for t in texts) and any("agreed assessment" in t for t in texts)
    codes = sorted(selectors.catalogue_questions(selectors.catalogue_version()))
    services.answers_save(round=round_2026, answers=all_yes(codes), actor=users["city_coordinator"])
    client.post(
        f"{BASE}/governance/2026/manage/",
        {"op": "report", "mode": "group_discussion", "agreed_assessment": "A",
         "rights_summary": "S"},
    )  # fmt: skip
    client.post(f"{BASE}/governance/2026/manage/", {"op": "close"})
    round_2026.refresh_from_db()
    assert (
        round_2026.state == AssessmentRound.State.CLOSED and round_2026.mode == "group_discussion"
    )
    page = client.get(f"{BASE}/governance/2026/").content.decode()
    assert "is closed" in page and 'name="G01-answer"' not in page
    client.post(
        f"{BASE}/governance/2026/?section=GS-I.1", {"section": "GS-I.1", "G01-answer": "no"}
    )
    assert GovernanceAnswer.objects.get(code="G01").answer == "yes"
    client.post(f"{BASE}/governance/2026/manage/", {"op": "reopen"})
    round_2026.refresh_from_db()
    assert round_2026.state == AssessmentRound.State.OPEN


def test_participants_and_additional_questions_on_the_page(users, round_2026):
    client = _client(users["city_coordinator"])
    client.post(
        f"{BASE}/governance/2026/manage/",
        {"op": "participant_add", "name": "Дана Омарова", "agency": "НПО «Балалар»",
         "position": "Директор"},
    )  # fmt: skip
    client.post(f"{BASE}/governance/2026/manage/", {"op": "question_add", "text": "Вопрос?"})
    page = client.get(f"{BASE}/governance/2026/?section=GS-II.10").content.decode()
    assert "Дана Омарова" in page and "GX1" in page and 'name="GX1-answer"' in page


def test_report_shows_gaps_planned_and_change(users, town):
    coordinator = users["city_coordinator"]
    earlier = services.round_open(municipality=town, year=2025, actor=coordinator)
    services.answers_save(round=earlier, answers=[{"question": "G07", "answer": "no"}],
                          actor=coordinator)  # fmt: skip
    later = services.round_open(municipality=town, year=2026, actor=coordinator)
    services.answers_save(
        round=later,
        answers=[{"question": "G07", "answer": "planned"}, {"question": "G09", "answer": "no"}],
        actor=coordinator,
    )
    html = _client(users["national_council"]).get(f"{BASE}/governance/2026/report/")
    text = html.content.decode()
    assert "No → Planned" in text
    gaps = text.split("Gaps (answered")[1].split("Planned (answered")[0]
    assert "G09" in gaps and "G07" not in gaps
    round_page = _client(coordinator).get(f"{BASE}/governance/2026/?section=GS-I.3")
    assert "Previous assessment: No → Planned" in round_page.content.decode()


def test_a_planned_answer_offers_a_draft_action(users, round_2026):
    services.answers_save(
        round=round_2026,
        answers=[{"question": "G02", "answer": "planned"}, {"question": "G01", "answer": "no"}],
        actor=users["city_coordinator"],
    )
    client = _client(users["city_coordinator"])
    html = client.get(f"{BASE}/governance/2026/?section=GS-I.1").content.decode()
    action = f'action="/en/preparation/{TOWN}/actions/from-question/"'
    assert html.count(action) == 1
    form = html.split(action)[1].split("</form>")[0]
    assert 'name="question" value="G02"' in form and 'name="year" value="2026"' in form
    assert "Make it a draft action of the action plan" in form
    # Readers who may not edit the plan do not see it.
    reader = _client(users["region_officer"]).get(f"{BASE}/governance/2026/?section=GS-I.1")
    assert action not in reader.content.decode()
