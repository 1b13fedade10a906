"""Reminders ahead of a cycle's deadlines, sent by the daily task, each once per city:

- the expression of interest: to the coordinators of every city that may apply (its Phase 1
  feedback returned, R-3.2) and has not applied yet;
- the recognition portfolio: to the coordinators of a city whose application still waits for
  its portfolio;
- the community report: to the linked members of the city's group, while their report is not
  sent (the group's own deadline: the later of the cycle's and the minimum review period's).

They say what is due and when; never anything of a community report.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment
from meirim.common.i18n import mail_language
from meirim.geography.models import Municipality
from meirim.portfolio.models import Portfolio
from meirim.recognition.city_flow import group_addresses
from meirim.recognition.models import Application, Cycle, DeadlineReminder
from meirim.recognition.review_flow import group_deadline

#: How many days ahead of a deadline the reminder goes.
DAYS_AHEAD = 7

Message = tuple[str, str, None, list[str]]


def _coordinators(municipality: Municipality) -> list[str]:
    people = RoleAssignment.objects.filter(
        role=Role.CITY_COORDINATOR, municipality=municipality
    ).select_related("user")
    return sorted({a.user.email for a in people if a.user.email and a.user.is_active})


def _due(deadline: datetime.date, today: datetime.date) -> bool:
    return today <= deadline <= today + datetime.timedelta(days=DAYS_AHEAD)


def _record(cycle: Cycle, municipality: Municipality, kind: str, deadline: datetime.date) -> bool:
    """Record the reminder; False when it was sent before (by an earlier or a parallel run)."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                cycle=cycle, municipality=municipality, kind=kind, deadline=deadline
            )
    except IntegrityError:
        return False
    return True


def _message(
    municipality: Municipality, kind: str, cycle: Cycle, deadline: datetime.date, to: list[str]
) -> Message:
    language = mail_language(municipality.country)
    with translation.override(language):
        values = {
            "city": municipality.name,
            "cycle": cycle.name,
            "date": date_format(deadline, "DATE_FORMAT"),
        }
        if kind == DeadlineReminder.Kind.EOI:
            subject = _("Reminder: expressions of interest for cycle %(cycle)s") % values
            body = (
                _(
                    "%(city)s may apply for recognition in cycle %(cycle)s. Expressions of "
                    "interest are received until %(date)s (inclusive)."
                )
                % values
            )
        elif kind == DeadlineReminder.Kind.PORTFOLIO:
            subject = _("Reminder: the recognition portfolio of %(city)s") % values
            body = (
                _(
                    "The recognition portfolio of %(city)s for cycle %(cycle)s is due by %(date)s "
                    "(inclusive). The readiness page shows what is still missing."
                )
                % values
            )
        else:
            subject = _("Reminder: your group's report on %(city)s") % values
            body = (
                _(
                    "Your community group's report on the portfolio of %(city)s is due by "
                    "%(date)s. It goes straight to the national council."
                )
                % values
            )
    return (str(subject), str(body), None, to)


def _eoi(cycle: Cycle, today: datetime.date) -> Iterable[Message]:
    if cycle.state != Cycle.State.CALL_OPEN or not _due(cycle.eoi_deadline, today):
        return
    may_apply = Municipality.objects.filter(
        preparatory_portfolio__state=Portfolio.State.FEEDBACK_RECEIVED
    ).exclude(recognition_applications__cycle=cycle)
    for municipality in may_apply:
        to = _coordinators(municipality)
        if to and _record(cycle, municipality, DeadlineReminder.Kind.EOI, cycle.eoi_deadline):
            yield _message(municipality, DeadlineReminder.Kind.EOI, cycle, cycle.eoi_deadline, to)


def _applications(cycle: Cycle, today: datetime.date) -> Iterable[Message]:
    waiting = Application.objects.filter(cycle=cycle).select_related("municipality", "cycle")
    for application in waiting:
        municipality = application.municipality
        if application.state == Application.State.EOI_SUBMITTED:
            kind, deadline = DeadlineReminder.Kind.PORTFOLIO, cycle.portfolio_deadline
            to = _coordinators(municipality)
        elif (
            application.state
            in (Application.State.PORTFOLIO_SUBMITTED, Application.State.UNDER_REVIEW)
            and application.community_report_received_at is None
        ):
            kind = DeadlineReminder.Kind.COMMUNITY_REPORT
            deadline = group_deadline(application) or cycle.community_report_deadline
            to = group_addresses(application)
        else:
            continue
        if to and _due(deadline, today) and _record(cycle, municipality, kind, deadline):
            yield _message(municipality, kind, cycle, deadline, to)


def reminders_send(today: datetime.date | None = None) -> int:
    """Send the reminders due today; how many were sent (each to one city's people)."""
    today = today or timezone.localdate()
    messages: list[Message] = []
    cycles = Cycle.objects.filter(
        state__in=[Cycle.State.CALL_OPEN, Cycle.State.APPLICATIONS_CLOSED]
    )
    for cycle in cycles:
        messages.extend(_eoi(cycle, today))
        messages.extend(_applications(cycle, today))
    if messages:
        send_mass_mail(messages)
    return len(messages)
