"""The national council's cycles, their criteria and rubric (R-2.3, R-2.4, R-6.1–6.13, R-9.x).

Services write inside ``transaction.atomic`` and record an audit row; refusals are
:class:`Rejected` with ``(field, message)`` pairs, or :class:`Frozen` once the call is open.
The cycle's own workflow is :data:`CYCLE` (draft → call open → applications closed → decisions
published → closed), moved by :func:`cycle_transition`.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.accounts.models import Role, RoleAssignment
from meirim.catalogue.models import CatalogueItem, GovernanceQuestion, Indicator
from meirim.catalogue.selectors import published_version
from meirim.common import audit
from meirim.common.i18n import mail_language
from meirim.common.workflow import NotAllowed, Transition, Workflow, transition_apply
from meirim.geography.models import Municipality
from meirim.portfolio.models import Portfolio
from meirim.recognition.dates import add_months
from meirim.recognition.models import (
    MAX_VALIDITY_MONTHS,
    Application,
    Criterion,
    Cycle,
    Level,
)

#: The cycle's dates, in the order they must come (each on or after the one before).
DATE_FIELDS = ("eoi_deadline", "portfolio_deadline", "community_report_deadline", "decision_date")
#: The settings (R-6.13), frozen with the criteria when the call opens.
SETTING_FIELDS = (
    "cycle_months",
    "level1_months",
    "level2_months",
    "min_assessment_months",
    "community_review_days",
    "level1_threshold",
    "level2_threshold",
    "disagreement_points",
)
#: What may change while the call is open or applications are closed: the dates only
#: (a deadline extension), never the criteria, the call or the settings.
DATE_ONLY_STATES = (Cycle.State.CALL_OPEN, Cycle.State.APPLICATIONS_CLOSED)
CRITERION_FIELDS = (
    "code",
    "order",
    "name_kk",
    "name_ru",
    "name_en",
    "name_ky",
    "description_kk",
    "description_ru",
    "description_en",
    "description_ky",
    "indicators",
    "governance_questions",
    "participation_evidence",
    "uses_facilities",
    "uses_strategy_impact",
    "scale_max",
    "weight",
)
NAME_FIELDS = ("name_kk", "name_ru", "name_en", "name_ky")


class Rejected(Exception):
    """Input refused; ``errors`` are ``(field, message)`` pairs with translated messages."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


class Frozen(Exception):
    """A change refused because the call is open: the criteria and settings are frozen."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- Validation ----------------------------------------------------------------------------


def dates_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The deadlines must follow each other: EOI ≤ portfolio ≤ community report ≤ decision."""
    errors: list[tuple[str, str]] = []
    starts_on = values.get("starts_on")
    first = values.get("eoi_deadline")
    if starts_on and first and first < starts_on:
        errors.append(
            ("eoi_deadline", _("The deadline for expressions of interest is before the start."))
        )
    labels = {
        "eoi_deadline": _("the deadline for expressions of interest"),
        "portfolio_deadline": _("the deadline for portfolios"),
        "community_report_deadline": _("the deadline for community reports"),
        "decision_date": _("the decision date"),
    }
    for earlier, later in itertools.pairwise(DATE_FIELDS):
        a, b = values.get(earlier), values.get(later)
        if a and b and b < a:
            errors.append(
                (
                    later,
                    _("%(later)s (%(b)s) cannot be before %(earlier)s (%(a)s).")
                    % {"later": labels[later], "earlier": labels[earlier], "a": _date(a),
                       "b": _date(b)},
                )
            )  # fmt: skip
    ends_on = values.get("ends_on")
    if starts_on and ends_on and ends_on <= starts_on:
        errors.append(("ends_on", _("The cycle must end after it starts.")))
    return errors


def settings_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for name in ("level1_months", "level2_months"):
        months = values.get(name)
        if months is not None and months > MAX_VALIDITY_MONTHS:
            errors.append(
                (
                    name,
                    _(
                        "No recognition may be valid for more than %(max)s months (R-6.10): "
                        "a city is re-assessed at least every four years so that its status "
                        "reflects children's lives today."
                    )
                    % {"max": MAX_VALIDITY_MONTHS},
                )
            )
        if months is not None and months < 1:
            errors.append((name, _("A validity must be at least one month.")))
    one, two = values.get("level1_threshold"), values.get("level2_threshold")
    for name, value in (("level1_threshold", one), ("level2_threshold", two)):
        if value is not None and not (0 <= Decimal(value) <= 100):
            errors.append((name, _("A threshold is a percentage between 0 and 100.")))
    if one is not None and two is not None and Decimal(one) > Decimal(two):
        errors.append(
            (
                "level2_threshold",
                _("The Level 2 threshold cannot be lower than the Level 1 threshold."),
            )
        )
    return errors


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [str(code).strip().upper() for code in value or [] if str(code).strip()]


def criterion_problems(cycle: Cycle, values: Mapping[str, Any], criterion: Criterion | None) -> (
    list[tuple[str, str]]
):  # fmt: skip
    """Codes known in the published catalogue, at least one name, a unique code."""
    errors: list[tuple[str, str]] = []
    code = str(values.get("code") or "").strip()
    if not code:
        errors.append(("code", _("Give the criterion a code.")))
    elif (
        Criterion.objects.filter(cycle=cycle, code=code)
        .exclude(pk=criterion.pk if criterion else 0)
        .exists()
    ):
        errors.append(("code", _("The cycle already has a criterion %(code)s.") % {"code": code}))
    if not any(str(values.get(name) or "").strip() for name in NAME_FIELDS):
        errors.append(("name_kk", _("Give the criterion a name in at least one language.")))
    version = published_version()
    known: dict[str, set[str]] = {"indicators": set(), "governance_questions": set()}
    known_p: set[str] = set()
    if version is not None:
        known["indicators"] = set(
            Indicator.objects.filter(version=version).values_list("code", flat=True)
        )
        known["governance_questions"] = set(
            GovernanceQuestion.objects.filter(version=version).values_list("code", flat=True)
        )
        known_p = set(
            CatalogueItem.objects.filter(
                version=version, list=CatalogueItem.List.PARTICIPATION_EVIDENCE
            ).values_list("code", flat=True)
        )
    if not known_p:
        known_p = {f"P{n}" for n in range(1, 10)}
    messages = {
        "indicators": _("Unknown indicator codes (not in the published catalogue): %(codes)s."),
        "governance_questions": _(
            "Unknown governance question codes (not in the published catalogue): %(codes)s."
        ),
        "participation_evidence": _("Unknown participation evidence codes: %(codes)s."),
    }
    for name in ("indicators", "governance_questions", "participation_evidence"):
        pool = known_p if name == "participation_evidence" else known[name]
        unknown = [c for c in _codes(values.get(name)) if c not in pool]
        if unknown:
            errors.append((name, messages[name] % {"codes": ", ".join(unknown)}))
    scale = values.get("scale_max")
    if scale is not None and not (1 <= int(scale) <= 100):
        errors.append(("scale_max", _("The highest score is a whole number from 1 to 100.")))
    weight = values.get("weight")
    if weight is not None and Decimal(weight) < 0:
        errors.append(("weight", _("A weight cannot be negative.")))
    return errors


# --- Cycles ----------------------------------------------------------------------------------


def _frozen_reason(cycle: Cycle) -> str:
    return _(
        "The call opened on %(date)s: the criteria, the call and the settings are frozen "
        "(only the dates may still change)."
    ) % {"date": _date(timezone.localdate(cycle.call_opened_at or timezone.now()))}


def _closed_reason(cycle: Cycle) -> str:
    return _("The cycle is “%(state)s”: it can no longer be changed.") % {
        "state": cycle.get_state_display()
    }


def _snapshot(cycle: Cycle, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(cycle, name)) for name in fields}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and new is not None:
        try:
            return old == Decimal(str(new))
        except ArithmeticError:
            return False
    return bool(old == new)


EDITABLE_FIELDS = ("name", "call_text", "starts_on", "ends_on", *DATE_FIELDS, *SETTING_FIELDS)


def cycle_create(
    *, values: Mapping[str, Any], actor: Any, criteria: Iterable[Mapping[str, Any]] = ()
) -> Cycle:
    """A new draft cycle; ``ends_on`` defaults to the start plus the cycle's length."""
    fields = {k: v for k, v in values.items() if k in EDITABLE_FIELDS and v is not None}
    cycle = Cycle(**fields)
    if not cycle.ends_on and cycle.starts_on:
        cycle.ends_on = add_months(cycle.starts_on, cycle.cycle_months)
    errors = dates_problems(_snapshot_raw(cycle)) + settings_problems(_snapshot_raw(cycle))
    if not str(cycle.name or "").strip():
        errors.insert(0, ("name", _("Give the cycle a name.")))
    criteria = list(criteria)
    if errors:
        raise Rejected(errors)
    with transaction.atomic():
        cycle.created_by = audit.acting_user(actor)
        cycle.save()
        audit.record(
            actor=actor,
            action="recognition.cycle.create",
            obj=cycle,
            changes=_snapshot(cycle, EDITABLE_FIELDS),
        )
        for number, item in enumerate(criteria):
            try:
                criterion_save(cycle=cycle, values=item, actor=actor)
            except Rejected as refused:
                raise Rejected(
                    [(f"criteria[{number}].{field}", message) for field, message in refused.errors]
                ) from None
    return cycle


def _snapshot_raw(cycle: Cycle) -> dict[str, Any]:
    return {name: getattr(cycle, name) for name in EDITABLE_FIELDS}


def cycle_update(*, cycle: Cycle, values: Mapping[str, Any], actor: Any) -> Cycle:
    """Change a cycle. A draft: everything. Call open or applications closed: only the dates
    (a deadline extension) — anything else is refused with :class:`Frozen`. Later: nothing."""
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        before = _snapshot(locked, EDITABLE_FIELDS)
        wanted = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
        if locked.state in DATE_ONLY_STATES:
            dates = ("starts_on", "ends_on", *DATE_FIELDS)
            changed = [
                k for k, v in wanted.items() if k not in dates and not _same(getattr(locked, k), v)
            ]
            if changed:
                raise Frozen(_frozen_reason(locked))
        elif locked.state != Cycle.State.DRAFT:
            raise Frozen(_closed_reason(locked))
        for name, value in wanted.items():
            if name == "ends_on" and value is None:
                continue
            setattr(locked, name, value)
        if "ends_on" in wanted and wanted["ends_on"] is None and locked.state == Cycle.State.DRAFT:
            # Left empty: the start plus the cycle's length, as when it was created.
            locked.ends_on = add_months(locked.starts_on, locked.cycle_months)
        raw = _snapshot_raw(locked)
        errors = dates_problems(raw) + settings_problems(raw)
        if not str(locked.name or "").strip():
            errors.insert(0, ("name", _("Give the cycle a name.")))
        if errors:
            raise Rejected(errors)
        locked.save()
        changes = audit.diff(before, _snapshot(locked, EDITABLE_FIELDS))
        if changes:
            audit.record(
                actor=actor,
                action=(
                    "recognition.cycle.dates_change"
                    if locked.state in DATE_ONLY_STATES
                    else "recognition.cycle.update"
                ),
                obj=locked,
                changes=changes,
            )
    return locked


# --- Criteria ------------------------------------------------------------------------------


def _criterion_values(values: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in CRITERION_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in ("indicators", "governance_questions", "participation_evidence"):
            value = _codes(value)
        elif name in ("code",) or name in NAME_FIELDS or name.startswith("description_"):
            value = str(value or "").strip()
        if value is None and name in ("order", "scale_max", "weight"):
            continue
        result[name] = value
    return result


def criterion_save(
    *, cycle: Cycle, values: Mapping[str, Any], actor: Any, criterion: Criterion | None = None
) -> Criterion:
    """Add or change a criterion of a draft cycle; refused with :class:`Frozen` once the call
    is open (R-9.4)."""
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.criteria_frozen:
            raise Frozen(_frozen_reason(locked))
        cleaned = _criterion_values(values)
        errors = criterion_problems(locked, cleaned, criterion)
        if errors:
            raise Rejected(errors)
        target = criterion or Criterion(cycle=locked)
        if criterion is None and "order" not in cleaned:
            cleaned["order"] = locked.criteria.count() + 1
        before = {n: _jsonable(getattr(target, n)) for n in CRITERION_FIELDS} if criterion else {}
        for name, value in cleaned.items():
            setattr(target, name, value)
        target.save()
        after = {n: _jsonable(getattr(target, n)) for n in CRITERION_FIELDS}
        audit.record(
            actor=actor,
            action="recognition.criterion.update" if criterion else "recognition.criterion.add",
            obj=target,
            changes=audit.diff(before, after) if criterion else after,
        )
    return target


def criterion_delete(*, criterion: Criterion, actor: Any) -> None:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=criterion.cycle_id)
        if cycle.criteria_frozen:
            raise Frozen(_frozen_reason(cycle))
        audit.record(
            actor=actor,
            action="recognition.criterion.delete",
            obj=criterion,
            changes={"code": criterion.code},
        )
        criterion.delete()


# --- The cycle's workflow ------------------------------------------------------------------


def _needs_criteria(cycle: Cycle, context: dict[str, Any]) -> str | None:
    if not cycle.criteria.exists():
        return _("The cycle has no criteria: add at least one before opening the call.")
    return None


def _needs_thresholds(cycle: Cycle, context: dict[str, Any]) -> str | None:
    if cycle.level1_threshold is None or cycle.level2_threshold is None:
        return _("Set both thresholds of the rubric (Level 1 and Level 2) before opening the call.")
    return None


def _needs_ordered_dates(cycle: Cycle, context: dict[str, Any]) -> str | None:
    problems = dates_problems(_snapshot_raw(cycle)) + settings_problems(_snapshot_raw(cycle))
    return " ".join(message for _field, message in problems) or None


def _needs_decisions(cycle: Cycle, context: dict[str, Any]) -> str | None:
    waiting = (
        Application.objects.filter(
            cycle=cycle,
            state__in=[Application.State.PORTFOLIO_SUBMITTED, Application.State.UNDER_REVIEW],
            decision__isnull=True,
        )
        .select_related("municipality")
        .order_by("municipality__code")
    )
    names = [str(application.municipality) for application in waiting]
    if names:
        return _("These cities have no decision yet: %(cities)s.") % {"cities": ", ".join(names)}
    return None


def _on_applied(
    cycle: Cycle, transition: Transition, actor: Any, context: dict[str, Any]
) -> dict[str, Any]:
    if transition.action == "open_call":
        cycle.call_opened_at = timezone.now()
        return {"call_opened_at": cycle.call_opened_at.isoformat()}
    if transition.action == "publish_decisions":
        cycle.decisions_published_at = timezone.now()
        return {"decisions_published_at": cycle.decisions_published_at.isoformat()}
    return {}


def invited_cities() -> list[Municipality]:
    """Cities whose preparatory portfolio received feedback: they may apply (R-3.2)."""
    return list(
        Municipality.objects.filter(
            pk__in=Portfolio.objects.filter(state=Portfolio.State.FEEDBACK_RECEIVED).values(
                "municipality_id"
            )
        )
    )


def _notify(cycle: Cycle, transition: Transition, actor: Any, context: dict[str, Any]) -> None:
    """When the call opens, every city that may apply hears of it, in its language."""
    if transition.action != "open_call":
        return
    cities = {m.pk: m for m in invited_cities()}
    assignments = RoleAssignment.objects.filter(
        role=Role.CITY_COORDINATOR, municipality_id__in=cities
    ).select_related("user")
    messages = []
    for assignment in assignments:
        if not assignment.user.email or assignment.municipality_id is None:
            continue
        municipality = cities[assignment.municipality_id]
        language = mail_language(municipality.country)
        with translation.override(language):
            subject = _("Call for expressions of interest: %(cycle)s") % {"cycle": cycle.name}
            body = _(
                "The national council opened the call for expressions of interest of the "
                "cycle %(cycle)s. %(municipality)s may apply until %(deadline)s."
            ) % {
                "cycle": cycle.name,
                "municipality": municipality,
                "deadline": _date(cycle.eoi_deadline),
            }
        messages.append((subject, body, None, [assignment.user.email]))
    if messages:
        send_mass_mail(messages)


def _wrong_state(cycle: Cycle, action: str) -> str:
    return _("The cycle is “%(state)s”: this cannot be done now.") % {
        "state": cycle.get_state_display()
    }


S = Cycle.State
CYCLE = Workflow(
    name="recognition.cycle",
    state_field="state",
    transitions=(
        Transition(
            S.DRAFT,
            "open_call",
            S.CALL_OPEN,
            "recognition.manage",
            (_needs_criteria, _needs_thresholds, _needs_ordered_dates),
        ),
        Transition(S.CALL_OPEN, "close_applications", S.APPLICATIONS_CLOSED, "recognition.manage"),
        Transition(
            S.APPLICATIONS_CLOSED,
            "publish_decisions",
            S.DECISIONS_PUBLISHED,
            "recognition.manage",
            (_needs_decisions,),
        ),
        Transition(S.DECISIONS_PUBLISHED, "close", S.CLOSED, "recognition.manage"),
    ),
    on_applied=_on_applied,
    notify=_notify,
    wrong_state=_wrong_state,
)
ACTIONS = ("open_call", "close_applications", "publish_decisions", "close")


def action_label(action: str) -> str:
    labels = {
        "open_call": _("Open the call"),
        "close_applications": _("Close applications"),
        "publish_decisions": _("Publish the decisions"),
        "close": _("Close the cycle"),
    }
    return labels.get(action, action)


def _may(actor: Any, action: str, obj: Any) -> bool:
    return access.may(actor, action, obj)


def cycle_transition(*, cycle: Cycle, action: str, actor: Any) -> Cycle:
    """Move the cycle along :data:`CYCLE`; :class:`NotAllowed` with the reasons."""
    if action not in ACTIONS:
        raise NotAllowed([_("Unknown action: %(action)s.") % {"action": action}])
    result = transition_apply(workflow=CYCLE, obj=cycle, action=action, actor=actor, may=_may)
    assert isinstance(result, Cycle)
    return result


def available_actions(cycle: Cycle) -> list[str]:
    return [t.action for t in CYCLE.transitions if t.source == cycle.state]


# --- The rubric (R-9.6, D-10) ---------------------------------------------------------------


def weighted_percentage(
    cycle: Cycle, scores_by_criterion: Mapping[str, Iterable[int | float | Decimal]]
) -> Decimal | None:
    """The weighted mean, over the criteria scored, of each criterion's mean score as a
    percentage of its highest score; None when nothing is scored or every weight is zero."""
    total = Decimal(0)
    weights = Decimal(0)
    for criterion in cycle.criteria.all():
        scores = [Decimal(str(s)) for s in scores_by_criterion.get(criterion.code, ())]
        if not scores:
            continue
        mean = sum(scores, Decimal(0)) / len(scores)
        share = min(max(mean / Decimal(criterion.scale_max), Decimal(0)), Decimal(1)) * 100
        weight = Decimal(criterion.weight)
        total += share * weight
        weights += weight
    if weights == 0:
        return None
    return total / weights


def recommendation(
    cycle: Cycle, scores_by_criterion: Mapping[str, Iterable[int | float | Decimal]]
) -> str:
    """The level the rubric offers the council (a :class:`Level` value): Level 2 from the
    cycle's Level 2 threshold, Level 1 from its Level 1 threshold, otherwise none. The
    council decides; this is only the recommendation."""
    percentage = weighted_percentage(cycle, scores_by_criterion)
    if percentage is None or cycle.level1_threshold is None:
        return Level.NONE
    if cycle.level2_threshold is not None and percentage >= Decimal(cycle.level2_threshold):
        return Level.L2
    if percentage >= Decimal(cycle.level1_threshold):
        return Level.L1
    return Level.NONE
