"""The city's transitions of an application: submit the recognition portfolio, withdraw.

``submit_portfolio`` (eoi_submitted → portfolio_submitted, the coordinator) is guarded by:
every indicator I01–I74 of the published catalogue has a value or an explicit no-data /
outside-competence state in the latest year (R-5.3.4), the introduction is written, every
criterion of the cycle has an evidence statement, the community group is formed with at
least one child or young person (R-2.20), and the portfolio deadline has not passed. On
success the portfolio is frozen as the next :class:`PortfolioSnapshot`; the national council
and the group's members with an account are told after the commit (only that a portfolio was
submitted, with the link to their copy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment
from meirim.common import audit
from meirim.common.workflow import Transition
from meirim.recognition.assembly import portfolio_assemble, portfolio_of
from meirim.recognition.index_section import index_section
from meirim.recognition.models import (
    Application,
    CommunityGroupMember,
    Criterion,
    CriterionEvidence,
    PortfolioSnapshot,
)

EOI = Application.State.EOI_SUBMITTED.value
SUBMITTED = Application.State.PORTFOLIO_SUBMITTED.value
WITHDRAWN = Application.State.WITHDRAWN.value
YOUNG_KINDS = (CommunityGroupMember.Kind.CHILD, CommunityGroupMember.Kind.YOUNG_PERSON)


def missing_indicators(application: Application) -> list[str]:
    """The indicator codes with neither a value nor an explicit state in the latest year."""
    return index_section(application.municipality).missing_codes


def _indicators_stated(application: Application, context: dict[str, Any]) -> str | None:
    missing = missing_indicators(application)
    context["missing_indicators"] = missing
    if not missing:
        return None
    return _(
        "Every indicator needs a value or an explicit “no data” or “outside the city's "
        "competence” state in the latest year; missing: %(codes)s."
    ) % {"codes": ", ".join(missing)}


def _introduction(application: Application, context: dict[str, Any]) -> str | None:
    if portfolio_of(application).introduction.strip():
        return None
    return _("Write the portfolio's introduction.")


def _criteria_evidenced(application: Application, context: dict[str, Any]) -> str | None:
    done = set(
        CriterionEvidence.objects.filter(application=application)
        .exclude(statement="")
        .values_list("criterion_id", flat=True)
    )
    missing = [
        c.code
        for c in Criterion.objects.filter(cycle=application.cycle).order_by("order", "code")
        if c.pk not in done
    ]
    if not missing:
        return None
    return _("Write the evidence for every criterion; missing: %(codes)s.") % {
        "codes": ", ".join(missing)
    }


def _group_formed(application: Application, context: dict[str, Any]) -> str | None:
    if CommunityGroupMember.objects.filter(
        group__municipality_id=application.municipality_id, kind__in=YOUNG_KINDS
    ).exists():
        return None
    return _(
        "The community-level group must be formed, with at least one child or young person "
        "among its members, before the portfolio is submitted."
    )


def _in_time(application: Application, context: dict[str, Any]) -> str | None:
    deadline = application.cycle.portfolio_deadline
    if timezone.localdate() <= deadline:
        return None
    return _("The deadline for portfolios was %(deadline)s.") % {
        "deadline": date_format(deadline, "DATE_FORMAT")
    }


SUBMIT_GUARDS = (_in_time, _indicators_stated, _introduction, _criteria_evidenced, _group_formed)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(EOI, "submit_portfolio", SUBMITTED, "recognition.apply", SUBMIT_GUARDS),
    Transition(EOI, "withdraw", WITHDRAWN, "recognition.apply"),
    Transition(SUBMITTED, "withdraw", WITHDRAWN, "recognition.apply"),
)


def _record_submission(
    application: Application, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    last = application.snapshots.order_by("-number").first()
    number = (last.number if last else 0) + 1
    now = timezone.now()
    application.portfolio_submitted_at = now
    context["snapshot"] = PortfolioSnapshot.objects.create(
        application=application,
        number=number,
        content=portfolio_assemble(application),
        submitted_at=now,
        submitted_by=audit.acting_user(actor),
    )
    return {"snapshot": number}


ON_APPLIED: dict[str, Callable[[Any, Transition, Any, dict[str, Any]], dict[str, Any]]] = {
    "submit_portfolio": _record_submission,
}


# --- E-mails --------------------------------------------------------------------------------


def council_addresses() -> list[str]:
    people = RoleAssignment.objects.filter(role=Role.NATIONAL_COUNCIL).select_related("user")
    return sorted({a.user.email for a in people if a.user.email and a.user.is_active})


def group_addresses(application: Application) -> list[str]:
    members = CommunityGroupMember.objects.filter(
        group__municipality_id=application.municipality_id, user__isnull=False
    ).select_related("user")
    return sorted({m.user.email for m in members if m.user and m.user.email and m.user.is_active})


def send(addresses: list[str], subject: str, body: str) -> None:
    if addresses:
        send_mass_mail([(subject, body, None, [address]) for address in addresses])


def _link(name: str, application: Application) -> str:
    return reverse(name, args=[application.municipality.code, application.pk])


def _tell_submitted(
    application: Application, transition: Transition, actor: Any, context: dict[str, Any]
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Recognition portfolio submitted: %(municipality)s") % {
            "municipality": application.municipality
        }
        body = _("%(municipality)s submitted its recognition portfolio. Read it: %(link)s") % {
            "municipality": application.municipality,
            "link": _link("recognition:application", application),
        }
        send(council_addresses(), subject, body)
        group_body = _("A portfolio was submitted. Your copy: %(link)s") % {
            "link": _link("recognition:group_copy", application)
        }
        send(group_addresses(application), _("A portfolio was submitted"), group_body)


def _tell_withdrawn(
    application: Application, transition: Transition, actor: Any, context: dict[str, Any]
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Application withdrawn: %(municipality)s") % {
            "municipality": application.municipality
        }
        body = _("%(municipality)s withdrew its application in the cycle %(cycle)s.") % {
            "municipality": application.municipality,
            "cycle": application.cycle,
        }
        send(council_addresses(), subject, body)


NOTIFY: dict[str, Callable[[Any, Transition, Any, dict[str, Any]], None]] = {
    "submit_portfolio": _tell_submitted,
    "withdraw": _tell_withdrawn,
}
