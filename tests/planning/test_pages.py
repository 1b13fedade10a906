"""The strategy, action plan, action, timeline and from-question pages, through HTTP."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from meirim.facilities.models import Facility
from meirim.planning import services
from meirim.planning.models import Action, Goal, PriorityArea
from tests.planning.conftest import TOWN, make_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _url(name, *args):
    with translation.override("en"):
        return reverse(f"planning:{name}", args=[TOWN, *args])


def test_strategy_goal_with_rights_and_checked_indicators(coordinator_client, town):
    url = _url("strategy")
    response = coordinator_client.post(
        url,
        {"form": "strategy", "title": "Kokshetau for children", "vision": "A city where…"},
    )
    assert response.status_code == 302
    response = coordinator_client.post(
        url,
        {
            "form": "goal",
            "code": "G1",
            "title": "Safe play",
            "rights": ["R1", "R4"],
            "crc_articles": "31",
            "indicators": "I01, I999",
        },
    )
    assert response.status_code == 200
    assert "I999" in response.content.decode()
    assert not Goal.objects.exists()
    coordinator_client.post(
        url,
        {"form": "goal", "code": "G1", "title": "Safe play", "rights": ["R1"], "indicators": "I01"},
    )
    goal = Goal.objects.get()
    assert goal.rights == ["R1"] and goal.indicators == ["I01"]
    page = coordinator_client.get(url).content.decode()
    assert "Kokshetau for children" in page and "Safe play" in page
    assert 'name="rights" value="R11"' in page


def test_candidates_from_audit_and_governance_adopted_in_one_click(coordinator_client, town):
    Facility.objects.create(
        municipality=town, name="Park", kind="play", availability="not_accessible",
        barriers=["cost", "distance"],
    )  # fmt: skip
    Facility.objects.create(municipality=town, name="Pool", kind="sport", availability="absent")
    make_answer(town, 2024, "G05", "no")
    make_answer(town, 2025, "G07", "no", comment="No budget line")
    make_answer(town, 2025, "G08", "yes")
    page = coordinator_client.get(_url("strategy")).content.decode()
    assert 'value="barrier:cost"' in page and 'value="barrier:distance"' in page
    assert 'value="absent:sport"' in page
    assert 'value="G07"' in page
    assert 'value="G05"' not in page and 'value="G08"' not in page
    assert "The index has no results for this city yet" in page
    response = coordinator_client.post(
        _url("strategy"),
        {
            "form": "candidate",
            "title": "Remove the barrier: Cost",
            "source": "audit_barrier",
            "source_reference": "barrier:cost",
        },
    )
    assert response.status_code == 302
    area = PriorityArea.objects.get()
    assert (area.source, area.source_reference) == ("audit_barrier", "barrier:cost")
    page = coordinator_client.get(_url("strategy")).content.decode()
    assert 'value="barrier:cost"' not in page


def test_data_gap_candidate_becomes_an_action(coordinator_client, town):
    page = coordinator_client.get(_url("strategy")).content.decode()
    assert 'name="indicator" value="I03"' in page
    coordinator_client.post(_url("strategy"), {"form": "data_gap", "indicator": "I03"})
    action = Action.objects.get()
    assert action.data_gap_indicator == "I03" and action.status == "draft"


def _action_form(**values):
    base = {"code": "7.1.a", "title": "Leisure pass", "status": "planned"}
    return {**base, **values}


def test_add_and_edit_an_action_and_the_evaluated_guard(coordinator_client, town):
    response = coordinator_client.post(
        _url("action_add"),
        _action_form(
            target_ages=["E", "M"],
            staff_roles=["SR2"],
            starts_on="2026-01-10",
            ends_on="2026-09-30",
            indicators="I01",
            participation_type="T2",
            participation_rung="H6",
            department="Department of education",
        ),
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert response["Location"] == _url("action", "7.1.a")
    assert action.target_ages == ["E", "M"] and action.participation_rung == "H6"
    response = coordinator_client.post(_url("action", "7.1.a"), _action_form(status="evaluated"))
    assert response.status_code == 200
    assert "cannot be marked evaluated" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "planned"
    response = coordinator_client.post(
        _url("action", "7.1.a"), _action_form(status="evaluated", participation_rung="H2")
    )
    assert "H2 is not one of the available choices" in response.content.decode()
    response = coordinator_client.post(
        _url("action", "7.1.a"),
        _action_form(status="evaluated", impact_children_feedback="We like it"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "evaluated"


def test_date_order_refused_on_the_page(coordinator_client, town):
    response = coordinator_client.post(
        _url("action_add"), _action_form(starts_on="2026-05-01", ends_on="2026-04-01")
    )
    assert response.status_code == 200
    assert "cannot come before the start" in response.content.decode()
    assert not Action.objects.exists()


def test_actions_page_streams_filters_and_overdue(coordinator_client, town, coordinator):
    services.stream_save(municipality=town, code="7.1", title="Leisure", actor=coordinator)
    past = datetime.date.today() - datetime.timedelta(days=10)
    services.action_save(
        municipality=town,
        values=_action_form(ends_on=past, department="Sport", target_ages=["Y"]),
        actor=coordinator,
    )
    services.action_save(
        municipality=town,
        values=_action_form(code="7.1.b", title="Reading club", status="done", ends_on=past),
        actor=coordinator,
    )
    page = coordinator_client.get(_url("actions")).content.decode()
    assert "7.1 Leisure" in page and "Leisure pass" in page and "Reading club" in page
    assert page.count('class="overdue">Overdue') == 1
    filtered = coordinator_client.get(_url("actions"), {"status": "done"}).content.decode()
    assert "Reading club" in filtered and "Leisure pass" not in filtered
    by_age = coordinator_client.get(_url("actions"), {"age": "Y"}).content.decode()
    assert "Leisure pass" in by_age and "Reading club" not in by_age
    by_dept = coordinator_client.get(_url("actions"), {"department": "spo"}).content.decode()
    assert "Leisure pass" in by_dept and "Reading club" not in by_dept


def test_timeline_draws_bars_today_and_a_table(coordinator_client, town, coordinator):
    today = datetime.date.today()
    services.action_save(
        municipality=town,
        values=_action_form(
            starts_on=today - datetime.timedelta(days=90),
            ends_on=today - datetime.timedelta(days=5),
        ),
        actor=coordinator,
    )
    services.action_save(
        municipality=town,
        values=_action_form(code="7.1.b", title="Undated"),
        actor=coordinator,
    )
    page = coordinator_client.get(_url("timeline")).content.decode()
    assert "<svg" in page and 'class="today"' in page
    assert "bar status-planned overdue" in page
    assert 'class="scroll timeline"' in page
    assert "<caption" in page and "Undated" in page


def test_region_officer_reads_but_cannot_edit(client, users, town):
    client.force_login(users["region_officer"])
    assert client.get(_url("actions")).status_code == 200
    assert client.post(_url("action_add"), _action_form()).status_code == 403
    assert not Action.objects.exists()


def test_action_from_a_planned_answer(coordinator_client, town):
    make_answer(
        town, 2025, "G07", "planned",
        future_action="Open a children's budget line\nin 2026", responsible="Finance department",
    )  # fmt: skip
    make_answer(town, 2025, "G08", "no")
    url = _url("action_from_question")
    response = coordinator_client.post(url, {"year": 2025, "question": "G07"})
    action = Action.objects.get()
    assert response["Location"] == _url("action", action.code)
    assert action.status == "draft" and action.governance_question == "G07"
    assert action.title == "Open a children's budget line"
    assert action.department == "Finance department"
    again = coordinator_client.post(url, {"year": 2025, "question": "G07"})
    assert again["Location"] == _url("action", action.code)
    assert Action.objects.count() == 1
    refused = coordinator_client.post(url, {"year": 2025, "question": "G08"}, follow=True)
    assert "planned" in refused.content.decode()
    assert Action.objects.count() == 1


def test_budget_lines_shown_on_the_action(coordinator_client, town, coordinator):
    action = services.action_save(municipality=town, values=_action_form(), actor=coordinator)
    page = coordinator_client.get(_url("action", action.code)).content.decode()
    assert "No budget line is linked to this action." in page


def test_impact_file_is_served_only_to_readers(
    coordinator_client, client, town, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from tests.factories import user_with_role

    settings.MEDIA_ROOT = tmp_path
    response = coordinator_client.post(
        _url("action_add"),
        {
            **_action_form(status="evaluated"),
            "impact_file": SimpleUploadedFile("survey.pdf", b"%PDF-1.4 survey"),
        },
    )
    assert response.status_code == 302
    url = _url("action_impact_file", "7.1.a")
    download = coordinator_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 survey"
    other = user_with_role("city_coordinator", "pavlodar", municipality="KZ-PAV-PAVLODAR")
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(url).status_code == 403
    refused = coordinator_client.post(
        _url("action_add"),
        {
            **_action_form(code="7.1.b"),
            "impact_file": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert refused.status_code == 200 and not Action.objects.filter(code="7.1.b").exists()


def test_page_action_joins_the_stream_its_code_names(coordinator_client, town, coordinator):
    stream = services.stream_save(municipality=town, code="7.2", title="Voice", actor=coordinator)
    coordinator_client.post(_url("action_add"), _action_form(code="7.2.a", stream=""))
    assert Action.objects.get().stream == stream


def test_action_from_an_additional_question(coordinator_client, town):
    from meirim.governance.models import AdditionalQuestion, AssessmentRound, GovernanceAnswer

    round_ = AssessmentRound.objects.create(municipality=town, year=2025)
    extra = AdditionalQuestion.objects.create(
        round=round_, code="GX1", text="Is there a youth map?"
    )
    GovernanceAnswer.objects.create(
        round=round_, additional_question=extra, code="GX1", answer="planned"
    )
    coordinator_client.post(_url("action_from_question"), {"year": 2025, "question": "GX1"})
    action = Action.objects.get()
    assert action.governance_question == "GX1" and action.title == "Is there a youth map?"


def test_a_goal_is_edited_in_place(coordinator_client, town, coordinator):
    goal = services.goal_save(
        municipality=town,
        values={"code": "G1", "title": "Safe play", "rights": ["R1"], "indicators": "I01"},
        actor=coordinator,
    )
    page = coordinator_client.get(_url("strategy")).content.decode()
    assert f'id="goal{goal.pk}_code"' in page
    coordinator_client.post(
        _url("strategy"),
        {"form": "goal", "goal": goal.pk, "code": "G1", "title": "Safer play", "rights": ["R2"]},
    )
    goal.refresh_from_db()
    assert goal.title == "Safer play" and goal.rights == ["R2"]
    assert Goal.objects.count() == 1


def test_the_actions_filter_by_target_age(coordinator_client, town):
    # The demo's SQLite has no JSON containment: the filter must work there as on PostgreSQL.
    for code, title, ages in (("7.1.a", "Leisure pass", ["E", "M"]), ("7.1.b", "Youth hub", ["Y"])):
        coordinator_client.post(
            _url("action_add"), _action_form(code=code, title=title, target_ages=ages)
        )
    response = coordinator_client.get(_url("actions"), {"age": "Y"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Youth hub" in text and "Leisure pass" not in text
