"""The council's services: cycles and their workflow, criteria, freezing, the 48-month cap,
the registry's daily task (expiry, notices exactly once) and the lifecycle status."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from meirim.accounts.models import Role
from meirim.common.models import AuditEvent
from meirim.common.workflow import NotAllowed
from meirim.portfolio import steps
from meirim.recognition import cycles, registry, status, tasks
from meirim.recognition.models import Application, Cycle, Decision, Level, Recognition
from tests.factories import user_with_role
from tests.recognition.factories import (
    TOWN,
    application_make,
    cycle_make,
    phase1_feedback_received,
    today,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _values(**changes):
    base = today()
    values = {
        "name": "2027–2029",
        "starts_on": base,
        "eoi_deadline": base + 30 * DAY,
        "portfolio_deadline": base + 120 * DAY,
        "community_report_deadline": base + 150 * DAY,
        "decision_date": base + 200 * DAY,
        "level1_threshold": 50,
        "level2_threshold": 75,
    }
    values.update(changes)
    return values


def _errors(refused):
    return dict(refused.value.errors)


def test_a_new_cycle_takes_the_seed_defaults_and_ends_after_its_length(users):
    council = users[Role.NATIONAL_COUNCIL]
    cycle = cycles.cycle_create(values=_values(starts_on=datetime.date(2027, 1, 31),
                                               eoi_deadline=datetime.date(2027, 3, 1)),
                                actor=council)  # fmt: skip
    assert cycle.state == Cycle.State.DRAFT
    assert (cycle.cycle_months, cycle.level1_months, cycle.level2_months) == (24, 24, 48)
    assert cycle.min_assessment_months == 12
    assert cycle.ends_on == datetime.date(2029, 1, 31)
    assert AuditEvent.objects.filter(action="recognition.cycle.create", object_id=str(cycle.pk))


def test_deadlines_out_of_order_are_refused_naming_them(users):
    with pytest.raises(cycles.Rejected) as refused:
        cycles.cycle_create(
            values=_values(portfolio_deadline=today() + 10 * DAY), actor=users["national_council"]
        )
    assert "portfolio_deadline" in _errors(refused)
    assert not Cycle.objects.exists()


def test_no_validity_over_48_months_and_the_reason_is_given(users):
    with pytest.raises(cycles.Rejected) as refused:
        cycles.cycle_create(values=_values(level2_months=60), actor=users["national_council"])
    message = _errors(refused)["level2_months"]
    assert "48" in message and "R-6.10" in message


def test_level1_threshold_above_level2_is_refused(users):
    with pytest.raises(cycles.Rejected) as refused:
        cycles.cycle_create(
            values=_values(level1_threshold=80, level2_threshold=70),
            actor=users["national_council"],
        )
    assert "level2_threshold" in _errors(refused)


def test_criteria_codes_are_checked_against_the_published_catalogue(users, catalogue):
    cycle = cycle_make(Cycle.State.DRAFT, criteria=0)
    with pytest.raises(cycles.Rejected) as refused:
        cycles.criterion_save(
            cycle=cycle,
            values={"code": "K1", "name_en": "Heard", "indicators": ["I01", "I99"],
                    "governance_questions": ["G01", "G999"],
                    "participation_evidence": ["P1", "P12"]},
            actor=users["national_council"],
        )  # fmt: skip
    errors = _errors(refused)
    assert "I99" in errors["indicators"] and "I01" not in errors["indicators"]
    assert "G999" in errors["governance_questions"]
    assert "P12" in errors["participation_evidence"]
    item = cycles.criterion_save(
        cycle=cycle,
        values={"code": "K1", "name_ru": "Слышат", "indicators": "I01, i02"},
        actor=users["national_council"],
    )
    assert item.indicators == ["I01", "I02"]


def test_a_criterion_needs_a_name_in_one_language(users, catalogue):
    cycle = cycle_make(Cycle.State.DRAFT, criteria=0)
    with pytest.raises(cycles.Rejected) as refused:
        cycles.criterion_save(cycle=cycle, values={"code": "K1"}, actor=users["national_council"])
    assert "name_kk" in _errors(refused)


def test_opening_the_call_needs_criteria_and_thresholds(users):
    council = users["national_council"]
    cycle = cycle_make(Cycle.State.DRAFT, criteria=0, level1_threshold=None)
    with translation.override("en"), pytest.raises(NotAllowed) as refused:
        cycles.cycle_transition(cycle=cycle, action="open_call", actor=council)
    text = " ".join(refused.value.reasons)
    assert "criteria" in text and "threshold" in text
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.DRAFT


def test_only_the_council_opens_a_call(users):
    cycle = cycle_make(Cycle.State.DRAFT)
    with pytest.raises(NotAllowed):
        cycles.cycle_transition(cycle=cycle, action="open_call", actor=users["city_coordinator"])


def test_opening_the_call_freezes_criteria_and_settings_and_tells_invited_cities(users, catalogue):
    council = users["national_council"]
    coordinator = users["city_coordinator"]
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    phase1_feedback_received(TOWN)
    cycle = cycle_make(Cycle.State.DRAFT)
    with cycles_capture():
        cycle = cycles.cycle_transition(cycle=cycle, action="open_call", actor=council)
    assert cycle.state == Cycle.State.CALL_OPEN and cycle.call_opened_at is not None
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]
    with pytest.raises(cycles.Frozen):
        cycles.criterion_save(cycle=cycle, values={"code": "K9", "name_en": "Late"}, actor=council)
    with pytest.raises(cycles.Frozen):
        cycles.criterion_delete(criterion=cycle.criteria.first(), actor=council)
    with pytest.raises(cycles.Frozen):
        cycles.cycle_update(cycle=cycle, values={"level1_threshold": 10}, actor=council)
    # A deadline extension is allowed, and audited.
    later = cycle.eoi_deadline + 14 * DAY
    cycles.cycle_update(
        cycle=cycle, values={"eoi_deadline": later, "level1_threshold": 50}, actor=council
    )
    cycle.refresh_from_db()
    assert cycle.eoi_deadline == later
    event = AuditEvent.objects.get(action="recognition.cycle.dates_change")
    assert event.changes["eoi_deadline"][1] == later.isoformat()


class cycles_capture:
    """Run the on-commit callbacks (the e-mails) of the block, as a real commit would."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def test_publishing_decisions_names_the_cities_without_one(users, geography):
    council = users["national_council"]
    cycle = cycle_make(Cycle.State.APPLICATIONS_CLOSED)
    application_make(cycle, TOWN, Application.State.UNDER_REVIEW)
    with pytest.raises(NotAllowed) as refused:
        cycles.cycle_transition(cycle=cycle, action="publish_decisions", actor=council)
    assert "Kokshetau" in refused.value.reasons[0] or "Көкшетау" in refused.value.reasons[0]
    application = Application.objects.get()
    Decision.objects.create(
        application=application, level=Level.L1, reasons="Good", decided_on=today()
    )
    cycle = cycles.cycle_transition(cycle=cycle, action="publish_decisions", actor=council)
    assert cycle.decisions_published_at is not None
    cycle = cycles.cycle_transition(cycle=cycle, action="close", actor=council)
    assert cycle.state == Cycle.State.CLOSED
    with pytest.raises(cycles.Frozen):
        cycles.cycle_update(cycle=cycle, values={"eoi_deadline": today()}, actor=council)


def test_an_unknown_action_is_refused(users):
    with pytest.raises(NotAllowed):
        cycles.cycle_transition(
            cycle=cycle_make(), action="explode", actor=users["national_council"]
        )


# --- Lifecycle status and registry ---------------------------------------------------------


def _recognise(cycle, level=Level.L1, granted=None, months=24, **fields):
    granted = granted or today() - 10 * DAY
    from meirim.geography.models import Municipality
    from meirim.recognition.dates import add_months

    return Recognition.objects.create(
        municipality=Municipality.objects.get(code=TOWN),
        cycle=cycle,
        level=level,
        granted_on=granted,
        expires_on=fields.pop("expires_on", add_months(granted, months)),
        **fields,
    )


def test_lifecycle_follows_the_application_then_the_recognition(geography):
    from meirim.geography.models import Municipality

    town = Municipality.objects.get(code=TOWN)
    assert status.lifecycle(town) == steps.NOT_ENROLLED
    phase1_feedback_received(town)
    assert status.lifecycle(town) == steps.PHASE1_FEEDBACK_RECEIVED
    cycle = cycle_make()
    application = application_make(cycle, town)
    assert status.lifecycle(town) == status.EOI_SUBMITTED
    application.state = Application.State.PORTFOLIO_SUBMITTED
    application.save()
    assert status.lifecycle(town) == status.PORTFOLIO_SUBMITTED
    application.community_report_received_at = timezone.now()
    application.save()
    assert status.lifecycle(town) == status.COMMUNITY_REPORT_RECEIVED
    application.state = Application.State.UNDER_REVIEW
    application.save()
    assert status.lifecycle(town) == status.UNDER_REVIEW
    application.state = Application.State.DECIDED
    application.save()
    decision = Decision.objects.create(
        application=application, level=Level.L2, reasons="x", decided_on=today()
    )
    recognition = _recognise(cycle, Level.L2, decision=decision, months=48)
    assert status.lifecycle(town) == status.RECOGNISED_L2
    assert status.current_recognition(town) == recognition
    # Expired by date, without the daily task having run: back "in the A&R process".
    assert status.lifecycle(town, today=recognition.expires_on) == steps.PHASE1_FEEDBACK_RECEIVED
    assert status.status_label(status.RECOGNISED_L2)


def test_a_city_decided_none_is_not_recognised(geography):
    phase1_feedback_received(TOWN)
    cycle = cycle_make()
    application = application_make(cycle, TOWN, Application.State.DECIDED)
    Decision.objects.create(
        application=application, level=Level.NONE, reasons="x", decided_on=today()
    )
    assert status.lifecycle(application.municipality) == status.NOT_RECOGNISED


def test_the_registry_filters_by_dates(geography):
    cycle = cycle_make(Cycle.State.CLOSED)
    current = _recognise(cycle)
    old = _recognise(cycle, granted=today() - 800 * DAY)
    assert list(registry.current()) == [current]
    assert list(registry.history()) == [old]
    assert registry.state_of(old) == registry.EXPIRED


# --- The daily task -----------------------------------------------------------------------


def test_daily_run_ends_expired_statuses_and_sends_each_notice_once(geography):
    council = user_with_role(Role.NATIONAL_COUNCIL, "council-mail", email="council@example.org")
    coordinator = user_with_role(
        Role.CITY_COORDINATOR, "coord-mail", municipality=TOWN, email="city@example.org"
    )
    assert council and coordinator
    cycle = cycle_make(Cycle.State.CLOSED)
    soon = _recognise(cycle, expires_on=today() + 80 * DAY)
    expired = _recognise(cycle, granted=today() - 800 * DAY, expires_on=today())
    with cycles_capture():
        done = tasks.daily_run()
    assert done == {"expired": 1, "notice_90": 1, "notice_30": 0}
    expired.refresh_from_db()
    assert expired.ended_on == today() and expired.end_reason == Recognition.End.EXPIRED
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["city@example.org", "council@example.org"]
    with cycles_capture():
        assert tasks.daily_run() == {"expired": 0, "notice_90": 0, "notice_30": 0}
    assert len(mail.outbox) == 1
    # Fifty days later, the 30-day notice, once.
    with cycles_capture():
        assert tasks.daily_run(today() + 50 * DAY)["notice_30"] == 1
        assert tasks.daily_run(today() + 51 * DAY)["notice_30"] == 0
    assert len(mail.outbox) == 2
    soon.refresh_from_db()
    assert soon.notice_90_sent_at and soon.notice_30_sent_at
    assert AuditEvent.objects.filter(action="recognition.recognition.notice_30").count() == 1
    assert AuditEvent.objects.filter(action="recognition.recognition.expire").count() == 1


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_schedule_command_is_idempotent(db):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        call_command("recognition_schedule")
        call_command("recognition_schedule")
        waiting = DBTaskResult.objects.filter(task_path=tasks.TASK_PATH)
        assert waiting.count() == 1
        assert waiting.get().run_after > timezone.now()


def test_the_task_runs_the_day_and_does_not_loop_on_a_backend_that_cannot_defer(geography):
    cycle = cycle_make(Cycle.State.CLOSED)
    _recognise(cycle, granted=today() - 800 * DAY, expires_on=today() - DAY)
    result = tasks.recognition_daily.enqueue()  # the tests' immediate backend
    assert result.return_value == {"expired": 1, "notice_90": 0, "notice_30": 0, "reminders": 0}


def test_an_empty_end_follows_the_start_of_a_draft(users):
    council = users["national_council"]
    cycle = cycles.cycle_create(values=_values(starts_on=datetime.date(2027, 1, 1),
                                               eoi_deadline=datetime.date(2027, 2, 1)),
                                actor=council)  # fmt: skip
    cycles.cycle_update(
        cycle=cycle,
        values={"starts_on": datetime.date(2027, 1, 15), "cycle_months": 12, "ends_on": None},
        actor=council,
    )
    cycle.refresh_from_db()
    assert cycle.ends_on == datetime.date(2028, 1, 15)
    assert AuditEvent.objects.filter(action="recognition.cycle.update").exists()
