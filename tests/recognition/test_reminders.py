"""Reminders ahead of a cycle's deadlines: sent once, to the right people, only when due."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meirim.recognition.models import Application, DeadlineReminder
from meirim.recognition.reminders import DAYS_AHEAD, reminders_send
from meirim.recognition.tasks import recognition_daily
from tests.recognition.factories import (
    TOWN,
    application_make,
    cycle_make,
    group_make,
    phase1_feedback_received,
    today,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def people(users, catalogue):
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return users


def _to(message) -> list[str]:
    return list(message.to)


def test_cities_that_may_apply_are_reminded_once_before_the_eoi_deadline(people):
    phase1_feedback_received(TOWN)
    cycle = cycle_make(eoi_deadline=today() + 3 * DAY)
    assert reminders_send() == 1
    assert _to(mail.outbox[0]) == [people["city_coordinator"].email]
    assert cycle.name in mail.outbox[0].subject
    assert reminders_send() == 0  # once
    assert DeadlineReminder.objects.get().kind == DeadlineReminder.Kind.EOI


def test_no_eoi_reminder_too_early_after_applying_or_before_phase1(people):
    cycle = cycle_make(eoi_deadline=today() + 3 * DAY)
    assert reminders_send() == 0  # Phase 1 feedback not returned: the city may not apply
    phase1_feedback_received(TOWN)
    application_make(cycle, TOWN)
    cycle_make(eoi_deadline=today() + (DAYS_AHEAD + 1) * DAY, name="later")
    assert reminders_send() == 0


def test_a_portfolio_still_awaited_is_reminded_to_the_coordinators(people):
    cycle = cycle_make(
        eoi_deadline=today() - 10 * DAY,
        portfolio_deadline=today() + 2 * DAY,
        community_report_deadline=today() + 30 * DAY,
    )
    application_make(cycle, TOWN)
    assert reminders_send() == 1
    assert _to(mail.outbox[0]) == [people["city_coordinator"].email]
    assert reminders_send() == 0


def test_the_group_is_reminded_of_its_report_and_only_while_it_is_not_sent(people):
    cycle = cycle_make(
        eoi_deadline=today() - 60 * DAY,
        portfolio_deadline=today() - 20 * DAY,
        community_report_deadline=today() + 4 * DAY,
        community_review_days=10,
    )
    application = application_make(
        cycle,
        TOWN,
        Application.State.PORTFOLIO_SUBMITTED,
        portfolio_submitted_at=timezone.now() - 20 * DAY,
    )
    group_make(TOWN, user=people["community_group"])
    received = application_make(
        cycle_make(
            name="other",
            eoi_deadline=today() - 60 * DAY,
            portfolio_deadline=today() - 20 * DAY,
            community_report_deadline=today() + 4 * DAY,
        ),
        TOWN,
        Application.State.PORTFOLIO_SUBMITTED,
        community_report_received_at=timezone.now(),
    )
    assert reminders_send() == 1
    assert _to(mail.outbox[0]) == [people["community_group"].email]
    assert not DeadlineReminder.objects.filter(cycle=received.cycle).exists()
    assert DeadlineReminder.objects.get(cycle=application.cycle).kind == "community_report"


def test_the_daily_task_sends_the_reminders(people):
    phase1_feedback_received(TOWN)
    cycle_make(eoi_deadline=today() + DAY)
    result = recognition_daily.enqueue()
    assert result.return_value["reminders"] == 1
    assert len(mail.outbox) == 1
