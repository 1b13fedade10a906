"""The preparatory portfolio's submission, declared as a table (see :mod:`meirim.common.workflow`).

draft → submitted (the coordinator, once steps S1–S7 are complete) → feedback received (the
national council, with at least one comment) → submitted again (a new frozen version). Each
submission freezes the assembled content as the next :class:`PortfolioVersion`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.accounts.models import Role, RoleAssignment
from meirim.catalogue.models import CatalogueItem
from meirim.catalogue.selectors import published_version
from meirim.common import audit
from meirim.common.i18n import mail_language
from meirim.common.workflow import Guard, Transition, Workflow
from meirim.portfolio import steps
from meirim.portfolio.assembly import portfolio_assemble
from meirim.portfolio.models import Portfolio, PortfolioVersion

DRAFT = Portfolio.State.DRAFT.value
SUBMITTED = Portfolio.State.SUBMITTED.value
FEEDBACK_RECEIVED = Portfolio.State.FEEDBACK_RECEIVED.value


def may_act(actor: Any, action: str, obj: Any) -> bool:
    """The access table; system jobs (demo set-up, commands) act without a user."""
    return actor is None or access.may(actor, action, obj)


def step_names() -> dict[str, CatalogueItem]:
    version = published_version()
    if version is None:
        return {}
    return {
        item.code: item
        for item in CatalogueItem.objects.filter(
            version=version, list=CatalogueItem.List.PHASE1_STEPS
        )
    }


def _programme(portfolio: Portfolio, context: dict[str, Any]) -> steps.Programme:
    if "programme" not in context:
        context["programme"] = steps.programme(portfolio.municipality)
        context["step_names"] = step_names()
    programme: steps.Programme = context["programme"]
    return programme


def _step_guard(step: str) -> Guard:
    def guard(portfolio: Portfolio, context: dict[str, Any]) -> str | None:
        programme = _programme(portfolio, context)
        state = next(s for s in programme.steps if s.step == step)
        if state.complete:
            return None
        item = context["step_names"].get(step)
        title = f"{step} {item.name}" if item is not None else step
        return _("%(step)s: %(missing)s") % {"step": title, "missing": " ".join(state.missing)}

    return guard


STEP_GUARDS = tuple(_step_guard(step) for step in steps.SUBMISSION_STEPS)


def _has_feedback(portfolio: Portfolio, context: dict[str, Any]) -> str | None:
    latest = portfolio.versions.order_by("-number").first()
    if latest is not None and latest.feedback.exists():
        return None
    return _("Write feedback on at least one step before returning it.")


def _record(
    portfolio: Portfolio, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    user = audit.acting_user(actor)
    if transition.target == SUBMITTED:
        last = portfolio.versions.order_by("-number").first()
        number = (last.number if last else 0) + 1
        version = PortfolioVersion.objects.create(
            portfolio=portfolio,
            number=number,
            content=portfolio_assemble(portfolio.municipality),
            submitted_at=timezone.now(),
            submitted_by=user,
        )
        context["version"] = version
        return {"version": number}
    latest = portfolio.versions.order_by("-number").first()
    assert latest is not None  # guarded: feedback exists on it
    latest.feedback_returned_at = timezone.now()
    latest.save(update_fields=["feedback_returned_at"])
    context["version"] = latest
    return {"version": latest.number, "feedback": latest.feedback.count()}


def _send(addresses: list[str], language: str, subject: str, body: str) -> None:
    if addresses:
        send_mass_mail([(subject, body, None, [address]) for address in addresses])


def _notify(
    portfolio: Portfolio, transition: Transition, actor: Any, context: dict[str, Any]
) -> None:
    """A submission is news for the national council; feedback for the city's coordinators."""
    municipality = portfolio.municipality
    version = context.get("version")
    number = version.number if version else ""
    if transition.target == SUBMITTED:
        people = RoleAssignment.objects.filter(role=Role.NATIONAL_COUNCIL).select_related("user")
        language = settings.LANGUAGE_CODE
    else:
        people = RoleAssignment.objects.filter(
            role=Role.CITY_COORDINATOR, municipality_id=municipality.pk
        ).select_related("user")
        language = mail_language(municipality.country)
    addresses = sorted({a.user.email for a in people if a.user.email})
    if not addresses:
        return
    with translation.override(language):
        if transition.target == SUBMITTED:
            subject = _("Preparatory portfolio submitted: %(municipality)s") % {
                "municipality": municipality
            }
            body = _(
                "%(municipality)s submitted version %(number)s of its preparatory portfolio. "
                "It awaits the national council's feedback."
            ) % {"municipality": municipality, "number": number}
        else:
            subject = _("Feedback on your preparatory portfolio")
            body = _(
                "The national council returned its feedback on version %(number)s of the "
                "preparatory portfolio of %(municipality)s. Read it and reply on the "
                "portfolio's page."
            ) % {"municipality": municipality, "number": number}
    _send(addresses, language, subject, body)


def _wrong_state(portfolio: Portfolio, action: str) -> str:
    if portfolio.state == SUBMITTED and action in ("submit", "resubmit"):
        return _("The portfolio is already submitted and awaits the national council's feedback.")
    if portfolio.state == DRAFT and action == "return_feedback":
        return _("The portfolio has not been submitted.")
    if portfolio.state == FEEDBACK_RECEIVED and action == "return_feedback":
        return _("The feedback on this version has already been returned.")
    return _("This cannot be done in the current state.")


SUBMISSION = Workflow(
    name="portfolio",
    state_field="state",
    transitions=(
        Transition(DRAFT, "submit", SUBMITTED, "portfolio.submit", STEP_GUARDS),
        Transition(
            SUBMITTED, "return_feedback", FEEDBACK_RECEIVED, "portfolio.feedback", (_has_feedback,)
        ),
        Transition(FEEDBACK_RECEIVED, "resubmit", SUBMITTED, "portfolio.submit", STEP_GUARDS),
    ),
    on_applied=_record,
    notify=_notify,
    wrong_state=_wrong_state,
)
