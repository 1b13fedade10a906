"""The action plan's services: codes, dates, catalogue codes, and the evaluated guard."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from meirim.common.models import AuditEvent
from meirim.common.workflow import NotAllowed
from meirim.planning import selectors, services
from meirim.planning.models import Action

pytestmark = pytest.mark.django_db


def _add(town, actor, **values):
    base = {"code": "7.1.a", "title": "Leisure pass", "status": "planned"}
    return services.action_save(municipality=town, values={**base, **values}, actor=actor)


def test_an_action_cannot_be_evaluated_without_impact_evidence(town, coordinator):
    action = _add(town, coordinator, status="done")
    with pytest.raises(NotAllowed) as refused, translation.override("en"):
        services.action_save(
            municipality=town, values={"status": "evaluated"}, actor=coordinator, action=action
        )
    assert "7.1.a" in refused.value.reasons[0]
    assert "figure before" in refused.value.reasons[0]
    action.refresh_from_db()
    assert action.status == "done"
    # One figure is not enough: both figures are needed.
    with pytest.raises(NotAllowed):
        services.action_save(
            municipality=town,
            values={"status": "evaluated", "impact_before": "12%"},
            actor=coordinator,
            action=action,
        )


@pytest.mark.parametrize(
    "evidence",
    [
        {"impact_before": "12%", "impact_after": "30%"},
        {"impact_children_feedback": "We go to the park every week now."},
    ],
)
def test_evidence_lets_an_action_be_evaluated(town, coordinator, evidence):
    action = _add(town, coordinator, status="done")
    services.action_save(
        municipality=town,
        values={"status": "evaluated", **evidence},
        actor=coordinator,
        action=action,
    )
    action.refresh_from_db()
    assert action.status == "evaluated"
    assert AuditEvent.objects.filter(action="planning.action_save", object_id=str(action.pk))


def test_an_impact_file_is_evidence_too(town, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = _add(town, coordinator, status="done")
    services.action_save(
        municipality=town,
        values={"status": "evaluated"},
        actor=coordinator,
        action=action,
        impact_file=SimpleUploadedFile("survey.pdf", b"%PDF-1.4 results"),
    )
    action.refresh_from_db()
    assert action.status == "evaluated" and action.impact_file


@pytest.mark.parametrize("code", ["7.1.a", "7.1.б", "12.3.ab", "7.1.А"])
def test_action_codes_like_the_surrey_example(town, coordinator, code):
    action = _add(town, coordinator, code=code)
    assert action.code == code.lower()


@pytest.mark.parametrize("code", ["7.1", "7", "a.1.b", "7.1.a.b", "7.1.abc", ""])
def test_bad_action_codes_are_refused(town, coordinator, code):
    with pytest.raises(services.PlanRejected) as rejected:
        _add(town, coordinator, code=code)
    assert "code" in rejected.value.errors


def test_codes_are_unique_per_city(town, coordinator, users):
    _add(town, coordinator)
    with pytest.raises(services.PlanRejected) as rejected:
        _add(town, coordinator)
    assert "7.1.a" in rejected.value.errors["code"][0]


def test_end_date_cannot_come_before_start(town, coordinator):
    with pytest.raises(services.PlanRejected) as rejected:
        _add(
            town,
            coordinator,
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 1),
        )
    assert list(rejected.value.errors) == ["ends_on"]


def test_catalogue_codes_are_checked(town, coordinator):
    with pytest.raises(services.PlanRejected) as rejected:
        _add(
            town,
            coordinator,
            indicators=["I01", "I999"],
            target_ages=["E", "Q"],
            staff_roles=["SR1", "SR9"],
            participation_rung="H2",
            participation_type="T9",
            governance_question="G999",
        )
    errors = rejected.value.errors
    assert "I999" in errors["indicators"][0]
    assert "Q" in errors["target_ages"][0]
    assert "SR9" in errors["staff_roles"][0]
    assert set(errors) >= {"participation_rung", "participation_type", "governance_question"}
    action = _add(
        town,
        coordinator,
        indicators="I01, I02",
        target_ages=["Y", "E"],
        staff_roles=["SR2"],
        participation_rung="H6",
        participation_type="T1",
    )
    assert action.indicators == ["I01", "I02"]
    assert action.target_ages == ["E", "Y"]


def test_action_joins_its_stream_by_code(town, coordinator):
    stream = services.stream_save(municipality=town, code="7.1", title="Leisure", actor=coordinator)
    action = _add(town, coordinator)
    assert action.stream == stream
    with pytest.raises(services.PlanRejected) as rejected:
        _add(town, coordinator, code="7.2.a", stream="7.1")
    assert "7.1" in rejected.value.errors["code"][0]


def test_overdue_and_summary(town, coordinator):
    today = datetime.date(2026, 6, 1)
    late = _add(
        town,
        coordinator,
        starts_on=today.replace(month=1),
        ends_on=today.replace(day=1) - datetime.timedelta(days=1),
    )
    _add(town, coordinator, code="7.1.b", status="done", ends_on=datetime.date(2026, 2, 1))
    _add(town, coordinator, code="7.1.c", ends_on=datetime.date(2026, 12, 1))
    assert list(selectors.overdue_actions(town, today)) == [late]
    summary = selectors.plan_summary(town, today)
    assert summary.total == 3 and summary.overdue == 1
    assert summary.by_status["planned"] == 2 and summary.by_status["done"] == 1


def test_data_gap_action(town, coordinator):
    action = services.data_gap_action(municipality=town, indicator="I05", actor=coordinator)
    assert action.status == Action.Status.DRAFT
    assert action.data_gap_indicator == "I05" and action.code == "0.1.a"
    again = services.data_gap_action(municipality=town, indicator="I05", actor=coordinator)
    assert again == action
    gaps = selectors.data_gaps(town, selectors.catalogue_version())
    assert gaps is not None
    assert "I05" not in [i.code for i in gaps.indicators]
    assert "I06" in [i.code for i in gaps.indicators]
