"""The council's transitions of an application: start the review, decide.

``start_review`` happens by itself when the council assigns the first reviewer. ``decide``
waits for the community group (R-2.22): its report received, or the group's deadline passed
— the later of the minimum review period after the portfolio's submission and the cycle's
community-report deadline."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment
from meirim.common.i18n import mail_language
from meirim.common.workflow import NotAllowed, Transition

PORTFOLIO_SUBMITTED = "portfolio_submitted"
UNDER_REVIEW = "under_review"
DECIDED = "decided"


class Invalid(NotAllowed):
    """A request wrong in itself (unknown code, empty reasons, a score out of range): 400 in
    the API, where other refusals are 409."""


def group_deadline(application: Any) -> datetime.date | None:
    """The community group's deadline: the later of the end of its minimum review period
    (``community_review_days`` after the portfolio's submission) and the cycle's
    community-report deadline; None before the portfolio is submitted."""
    submitted = application.portfolio_submitted_at
    if submitted is None:
        return None
    cycle = application.cycle
    review_end = timezone.localdate(submitted) + datetime.timedelta(
        days=cycle.community_review_days
    )
    deadline: datetime.date = max(review_end, cycle.community_report_deadline)
    return deadline


def _group_heard(application: Any, context: dict[str, Any]) -> str | None:
    if application.community_report_received_at is not None:
        return None
    deadline = group_deadline(application)
    if deadline is not None and timezone.localdate() > deadline:
        return None
    return _(
        "The community group's report has not been received and its review period runs "
        "until %(date)s: decide after that date or once the report arrives."
    ) % {"date": date_format(deadline, "DATE_FORMAT") if deadline else "—"}


def _decided(
    application: Any, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    return {"level": context.get("level", "")}


def _tell_city(
    application: Any, transition: Transition, actor: Any, context: dict[str, Any]
) -> None:
    """The city's coordinators hear the decision: level, dates, the public summary."""
    decision = getattr(application, "decision", None)
    if decision is None:
        application.refresh_from_db()
        decision = getattr(application, "decision", None)
    if decision is None:
        return
    municipality = application.municipality
    coordinators = RoleAssignment.objects.filter(
        role=Role.CITY_COORDINATOR, municipality_id=municipality.pk
    ).select_related("user")
    addresses = sorted({a.user.email for a in coordinators if a.user.email})
    if not addresses:
        return
    language = mail_language(municipality.country)
    with translation.override(language):
        recognition = getattr(decision, "recognition", None)
        lines = [
            _("The national council decided on the application of %(city)s (%(cycle)s): %(level)s.")
            % {
                "city": municipality.name,
                "cycle": application.cycle.name,
                "level": decision.get_level_display(),
            }
        ]
        if recognition is not None:
            lines.append(
                _("Granted on %(granted)s, valid until %(expires)s.")
                % {
                    "granted": date_format(recognition.granted_on, "DATE_FORMAT"),
                    "expires": date_format(recognition.expires_on, "DATE_FORMAT"),
                }
            )
        link = reverse("recognition:decision_summary", kwargs={"application": application.pk})
        lines.append(_("The decision summary: %(link)s") % {"link": link})
        subject = _("The national council's decision: %(city)s") % {"city": municipality.name}
    body = "\n\n".join(str(line) for line in lines)
    send_mass_mail([(subject, body, None, [address]) for address in addresses])


TRANSITIONS: tuple[Transition, ...] = (
    Transition(PORTFOLIO_SUBMITTED, "start_review", UNDER_REVIEW, "recognition.decide"),
    Transition(
        PORTFOLIO_SUBMITTED, "decide", DECIDED, "recognition.decide", guards=(_group_heard,)
    ),
    Transition(UNDER_REVIEW, "decide", DECIDED, "recognition.decide", guards=(_group_heard,)),
)
ON_APPLIED: dict[str, Callable[[Any, Transition, Any, dict[str, Any]], dict[str, Any]]] = {
    "decide": _decided
}
NOTIFY: dict[str, Callable[[Any, Transition, Any, dict[str, Any]], None]] = {"decide": _tell_city}
