"""The cities' data workflows, declared as tables (see :mod:`meirim.common.workflow`).

A municipality's year of data: open for entry → approved (locked) by its coordinator →
reopened by the national council, with the reason, when figures must be corrected.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.accounts.models import Role, RoleAssignment
from meirim.common import audit
from meirim.common.i18n import mail_language
from meirim.common.workflow import Transition, Workflow
from meirim.data.models import DataYear
from meirim.data.validation import FIRST_YEAR, max_year

OPEN = DataYear.State.OPEN.value
APPROVED = DataYear.State.APPROVED.value


def may_act(actor: Any, action: str, obj: Any) -> bool:
    """The access table; system jobs (demo set-up, commands) act without a user."""
    return actor is None or access.may(actor, action, obj)


def _year_in_range(year: DataYear, context: dict[str, Any]) -> str | None:
    last = max_year(timezone.localdate().year)
    if FIRST_YEAR <= year.year <= last:
        return None
    return _("the year must be between %(first)s and %(last)s") % {
        "first": FIRST_YEAR,
        "last": last,
    }


def _reason_given(year: DataYear, context: dict[str, Any]) -> str | None:
    if str(context.get("reason") or "").strip():
        return None
    return _("Give the reason for reopening the year.")


def _record(
    year: DataYear, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    """The approval's own fields, and what the audit row adds to the state change."""
    user = audit.acting_user(actor)
    extra: dict[str, Any] = {"version": year.version.code, "year": year.year}
    if transition.target == APPROVED:
        year.approved_at = timezone.now()
        year.approved_by = user
        extra["missing"] = list(context.get("missing", []))
    else:
        extra["reason"] = str(context["reason"]).strip()
        extra["approved_at"] = year.approved_at.isoformat() if year.approved_at else None
        extra["approved_by"] = year.approved_by.get_username() if year.approved_by else None
        year.approved_at = None
        year.approved_by = None
    return extra


def _tell_coordinators(
    year: DataYear, transition: Transition, actor: Any, context: dict[str, Any]
) -> None:
    """A reopened year concerns the city: its coordinators hear of it, with the reason."""
    if transition.target != OPEN:
        return
    coordinators = RoleAssignment.objects.filter(
        role=Role.CITY_COORDINATOR, municipality_id=year.municipality_id
    ).select_related("user")
    addresses = sorted({a.user.email for a in coordinators if a.user.email})
    if not addresses:
        return
    language = mail_language(year.municipality.country)
    with translation.override(language):
        subject = _("Data for %(year)s reopened") % {"year": year.year}
        body = _(
            "The national council reopened the data of %(municipality)s for %(year)s so "
            "that they can be corrected. Reason: %(reason)s"
        ) % {
            "municipality": year.municipality,
            "year": year.year,
            "reason": str(context.get("reason", "")).strip(),
        }
    send_mass_mail([(subject, body, None, [address]) for address in addresses])


def _wrong_state(year: DataYear, action: str) -> str:
    if year.state == APPROVED:
        return _("The data for %(year)s are already approved.") % {"year": year.year}
    return _("The data for %(year)s are not approved; there is nothing to reopen.") % {
        "year": year.year
    }


YEAR_APPROVAL = Workflow(
    name="data.year",
    state_field="state",
    transitions=(
        Transition(OPEN, "approve", APPROVED, "data.approve_year", (_year_in_range,)),
        Transition(APPROVED, "reopen", OPEN, "data.reopen_year", (_reason_given,)),
    ),
    on_applied=_record,
    notify=_tell_coordinators,
    wrong_state=_wrong_state,
)
