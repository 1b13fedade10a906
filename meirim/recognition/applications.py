"""The city's side of an application: the expression of interest (Annex 3, R-5.1.1,
R-5.2.1, R-17.1) that creates it, the recognition portfolio's texts, evidence per criterion
and attachments, its submission (the ``submit_portfolio`` transition, frozen as a
:class:`PortfolioSnapshot`) and withdrawal. Selectors for the city's pages come first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueItem
from meirim.catalogue.selectors import published_version
from meirim.common import audit
from meirim.common.files import evidence_file_problem
from meirim.common.workflow import NotAllowed, transition_apply
from meirim.geography.models import Municipality
from meirim.portfolio.models import Portfolio
from meirim.recognition import workflows
from meirim.recognition.city_flow import council_addresses, send
from meirim.recognition.models import (
    Application,
    Criterion,
    CriterionEvidence,
    Cycle,
    PortfolioAttachment,
    PortfolioSnapshot,
    RecognitionPortfolio,
)

COMMITMENT_CODES = tuple(f"A{n}" for n in range(1, 8))
PORTFOLIO_TEXTS = (
    "introduction",
    "index_commentary",
    "facilities_improvement",
    "users_evaluation",
    "participation_summary",
    "impact_summary",
)

# --- Selectors ----------------------------------------------------------------------------


def commitments() -> list[CatalogueItem]:
    """The seven commitments A1–A7 of the published catalogue (Annex 3)."""
    version = published_version()
    if version is None:
        return []
    return list(
        CatalogueItem.objects.filter(version=version, list=CatalogueItem.List.COMMITMENTS).order_by(
            "order", "code"
        )
    )


def open_cycles() -> QuerySet[Cycle]:
    return Cycle.objects.filter(state=Cycle.State.CALL_OPEN).order_by("eoi_deadline", "pk")


def applications_of(municipality: Municipality) -> QuerySet[Application]:
    return (
        Application.objects.filter(municipality=municipality)
        .select_related("cycle")
        .order_by("-cycle__starts_on", "-pk")
    )


def application_in(municipality: Municipality, pk: int) -> Application | None:
    return (
        Application.objects.filter(pk=pk, municipality=municipality)
        .select_related("cycle", "municipality")
        .first()
    )


def criteria_of(application: Application) -> list[Criterion]:
    return list(Criterion.objects.filter(cycle=application.cycle).order_by("order", "code"))


def evidence_by_criterion(application: Application) -> dict[int, CriterionEvidence]:
    return {e.criterion_id: e for e in CriterionEvidence.objects.filter(application=application)}


def previous_snapshot(snapshot: PortfolioSnapshot) -> PortfolioSnapshot | None:
    """The portfolio the city submitted before this one: an earlier number of the same
    application, else its latest snapshot in an earlier cycle."""
    earlier = (
        PortfolioSnapshot.objects.filter(
            application=snapshot.application, number__lt=snapshot.number
        )
        .order_by("-number")
        .first()
    )
    if earlier is not None:
        return earlier
    application = snapshot.application
    return (
        PortfolioSnapshot.objects.filter(
            application__municipality_id=application.municipality_id,
            application__cycle__starts_on__lt=application.cycle.starts_on,
        )
        .order_by("-application__cycle__starts_on", "-number")
        .first()
    )


def status_of(application: Application) -> str:
    """The application's lifecycle status by its R-3.6 name."""
    state = application.state
    if state == Application.State.DECIDED:
        decision = getattr(application, "decision", None)
        level = decision.level if decision is not None else ""
        return {"L1": "RECOGNISED_L1", "L2": "RECOGNISED_L2"}.get(level, "NOT_RECOGNISED")
    if state == Application.State.UNDER_REVIEW:
        return "UNDER_REVIEW"
    if state == Application.State.PORTFOLIO_SUBMITTED:
        if application.community_report_received_at is not None:
            return "COMMUNITY_REPORT_RECEIVED"
        return "PORTFOLIO_SUBMITTED"
    if state == Application.State.WITHDRAWN:
        # Not an step: the city is back "in the A&R process".
        return "PHASE1_FEEDBACK_RECEIVED"
    return "EOI_SUBMITTED"


def phase1_feedback_received(municipality: Municipality) -> bool:
    """R-3.2: the city's preparatory portfolio has received the council's feedback."""
    return Portfolio.objects.filter(
        municipality=municipality, state=Portfolio.State.FEEDBACK_RECEIVED
    ).exists()


# --- The expression of interest -------------------------------------------------------------


@dataclass
class EoiInvalid(Exception):
    """The expression of interest's content is not acceptable (the API's 400): translated
    sentences by field, and the commitment codes missing or unknown."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)


def _day(value: datetime.date) -> str:
    return str(date_format(value, "DATE_FORMAT"))


def eoi_refusals(cycle: Cycle, municipality: Municipality) -> list[str]:
    """Why ``municipality`` cannot express its interest in ``cycle`` now (the API's 409)."""
    reasons = []
    if cycle.state != Cycle.State.CALL_OPEN:
        reasons.append(_("The call for expressions of interest of this cycle is not open."))
    elif timezone.localdate() > cycle.eoi_deadline:
        reasons.append(
            _("The deadline for expressions of interest was %(deadline)s.")
            % {"deadline": _day(cycle.eoi_deadline)}
        )
    if not phase1_feedback_received(municipality):
        reasons.append(
            _(
                "The city's preparatory portfolio has not yet received the national council's "
                "feedback: Phase 1 must be completed first."
            )
        )
    if Application.objects.filter(cycle=cycle, municipality=municipality).exists():
        reasons.append(_("The city has already applied in this cycle."))
    return reasons


def eoi_submit(
    *,
    cycle: Cycle,
    municipality: Municipality,
    commitments: list[str],
    signatory_name: str,
    signed_on: datetime.date | None,
    signatory_position: str = "",
    scan: Any = None,
    actor: Any,
) -> Application:
    """Create the application (state ``eoi_submitted``) or raise :class:`NotAllowed` (the
    cycle or the city does not allow it now) or :class:`EoiInvalid` (the form's content)."""
    reasons = eoi_refusals(cycle, municipality)
    if reasons:
        raise NotAllowed(reasons)
    invalid = EoiInvalid()
    given = {str(code).strip().upper() for code in commitments}
    invalid.missing = [code for code in COMMITMENT_CODES if code not in given]
    invalid.unknown = sorted(given - set(COMMITMENT_CODES))
    if invalid.missing:
        invalid.errors["commitments"] = [
            _("Confirm every commitment; not confirmed: %(codes)s.")
            % {"codes": ", ".join(invalid.missing)}
        ]
    if invalid.unknown:
        invalid.errors.setdefault("commitments", []).append(
            _("Unknown commitments: %(codes)s.") % {"codes": ", ".join(invalid.unknown)}
        )
    if not signatory_name.strip():
        invalid.errors["signatory"] = [_("Name the person who signed (the akim).")]
    if signed_on is None:
        invalid.errors["signed_on"] = [_("Give the date the application was signed.")]
    elif signed_on > timezone.localdate():
        invalid.errors["signed_on"] = [_("The date signed cannot be in the future.")]
    if scan:
        problem = evidence_file_problem(scan)
        if problem:
            invalid.errors["signed_scan"] = [problem]
    if invalid.errors:
        raise invalid
    assert signed_on is not None
    with transaction.atomic():
        application = Application.objects.create(
            cycle=cycle,
            municipality=municipality,
            commitments=list(COMMITMENT_CODES),
            signatory_name=signatory_name.strip(),
            signatory_position=signatory_position.strip(),
            signed_on=signed_on,
            signed_scan=scan or "",
            eoi_submitted_at=timezone.now(),
            eoi_submitted_by=audit.acting_user(actor),
        )
        RecognitionPortfolio.objects.create(application=application)
        audit.record(
            actor=actor,
            action="recognition.eoi_submit",
            obj=application,
            changes={
                "cycle": cycle.pk,
                "commitments": list(COMMITMENT_CODES),
                "signatory": application.signatory_name,
                "signed_on": signed_on.isoformat(),
                "scan": bool(scan),
            },
        )
        transaction.on_commit(lambda: _tell_council_of_eoi(application))
    return application


def _tell_council_of_eoi(application: Application) -> None:
    addresses = council_addresses()
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Expression of interest: %(municipality)s") % {
            "municipality": application.municipality
        }
        body = _(
            "%(municipality)s expressed its interest in the cycle %(cycle)s. Its application: "
            "%(link)s"
        ) % {
            "municipality": application.municipality,
            "cycle": application.cycle,
            "link": reverse(
                "recognition:application", args=[application.municipality.code, application.pk]
            ),
        }
    send(addresses, subject, body)


# --- The recognition portfolio ------------------------------------------------------------


def _editable(application: Application) -> None:
    if application.state != Application.State.EOI_SUBMITTED:
        raise NotAllowed(
            [_("The portfolio has been submitted: it can no longer be changed.")]
            if application.state != Application.State.WITHDRAWN
            else [_("The application was withdrawn.")]
        )


def portfolio_texts_save(
    *, application: Application, texts: dict[str, str], actor: Any
) -> RecognitionPortfolio:
    """Save the portfolio's own texts (only those given)."""
    _editable(application)
    with transaction.atomic():
        portfolio, _created = RecognitionPortfolio.objects.select_for_update().get_or_create(
            application=application
        )
        changed = []
        for name in PORTFOLIO_TEXTS:
            if name in texts and getattr(portfolio, name) != texts[name]:
                setattr(portfolio, name, texts[name])
                changed.append(name)
        portfolio.updated_by = audit.acting_user(actor)
        portfolio.save()
        audit.record(
            actor=actor,
            action="recognition.portfolio_save",
            obj=application,
            changes={"fields": changed},
        )
    return portfolio


def evidence_save(*, application: Application, statements: dict[str, str], actor: Any) -> list[str]:
    """Save the city's statement per criterion code (an empty one removes it); returns the
    codes changed."""
    _editable(application)
    criteria = {c.code: c for c in criteria_of(application)}
    unknown = sorted(set(statements) - set(criteria))
    if unknown:
        raise NotAllowed([_("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}])
    changed = []
    with transaction.atomic():
        existing = evidence_by_criterion(application)
        for code, text in statements.items():
            criterion = criteria[code]
            text = text.strip()
            found = existing.get(criterion.pk)
            if not text:
                if found is not None:
                    found.delete()
                    changed.append(code)
            elif found is None:
                CriterionEvidence.objects.create(
                    application=application, criterion=criterion, statement=text
                )
                changed.append(code)
            elif found.statement != text:
                found.statement = text
                found.save()
                changed.append(code)
        audit.record(
            actor=actor,
            action="recognition.evidence_save",
            obj=application,
            changes={"criteria": changed},
        )
    return changed


def attachment_add(
    *,
    application: Application,
    kind: str,
    title: str,
    file: Any,
    criterion: Criterion | None,
    actor: Any,
) -> PortfolioAttachment:
    _editable(application)
    problem = evidence_file_problem(file) if file else _("Choose a file.")
    if problem:
        raise NotAllowed([problem])
    if criterion is not None and criterion.cycle_id != application.cycle_id:
        raise NotAllowed([_("The criterion is not one of this cycle's.")])
    with transaction.atomic():
        attachment = PortfolioAttachment.objects.create(
            application=application,
            kind=kind,
            title=title.strip(),
            file=file,
            criterion=criterion,
            uploaded_by=audit.acting_user(actor),
        )
        audit.record(
            actor=actor,
            action="recognition.attachment_add",
            obj=application,
            changes={"attachment": attachment.pk, "kind": kind, "title": attachment.title},
        )
    return attachment


def attachment_remove(*, attachment: PortfolioAttachment, actor: Any) -> None:
    application = attachment.application
    _editable(application)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="recognition.attachment_remove",
            obj=application,
            changes={"attachment": attachment.pk, "title": attachment.title},
        )
        attachment.delete()


# --- Transitions ----------------------------------------------------------------------------


def portfolio_submit(*, application: Application, actor: Any) -> PortfolioSnapshot:
    """Submit (and freeze) the recognition portfolio, or raise :class:`NotAllowed` with
    every reason (see ``city_flow``)."""
    transition_apply(
        workflow=workflows.APPLICATION,
        obj=application,
        action="submit_portfolio",
        actor=actor,
        may=workflows.may_act,
    )
    application.refresh_from_db()
    snapshot = application.snapshots.order_by("-number").first()
    assert snapshot is not None  # written by the transition
    return snapshot


def application_withdraw(*, application: Application, actor: Any) -> Application:
    transition_apply(
        workflow=workflows.APPLICATION,
        obj=application,
        action="withdraw",
        actor=actor,
        may=workflows.may_act,
    )
    application.refresh_from_db()
    return application
