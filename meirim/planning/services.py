"""Writing the strategy and the action plan. Every write is atomic and audited.

Refusals: :class:`PlanRejected` (bad fields or codes, by field) and
:class:`~meirim.common.workflow.NotAllowed` (an action marked evaluated without impact evidence;
a governance answer that cannot become an action).
"""

from __future__ import annotations

import re
import string
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meirim.common import audit
from meirim.common.files import evidence_file_problem
from meirim.common.programme import StaffRole, TargetAge
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.governance.models import Answer
from meirim.planning import selectors
from meirim.planning.models import Action, ActionStream, Goal, PriorityArea, Strategy

#: A stream's code, as in the Surrey example: ``7.1``.
STREAM_CODE = re.compile(r"^\d{1,2}\.\d{1,2}$")
#: An action's code: its stream's code and one or two letters, Latin or Cyrillic (``7.1.a``,
#: ``7.1.б``).
ACTION_CODE = re.compile(r"^(\d{1,2}\.\d{1,2})\.([a-zа-яёәғқңөұүһі]{1,2})$", re.IGNORECASE)
#: A goal's code: letters, digits, dots and dashes (``G1``, ``1.2``).
GOAL_CODE = re.compile(r"^[\w.\-]{1,16}$")
#: A question the city added to its governance round under GS-II.10 (GX1, GX2…).
ADDITIONAL_QUESTION = re.compile(r"^GX\d{1,3}$")
#: The streams that collect the actions the platform drafts.
DATA_GAP_STREAM = "0.1"
GOVERNANCE_STREAM = "0.2"

ACTION_FIELDS = (
    "code",
    "title",
    "description",
    "stream",
    "priority_area",
    "status",
    "target_ages",
    "department",
    "staff_roles",
    "starts_on",
    "ends_on",
    "indicators",
    "governance_question",
    "data_gap_indicator",
    "participation_where",
    "participation_when",
    "participation_type",
    "participation_rung",
    "impact_before",
    "impact_after",
    "impact_children_feedback",
)


class PlanRejected(Exception):
    """Values refused, by field: ``errors`` maps a field name to its translated messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class AlreadyDrafted(NotAllowed):
    """The governance answer already has its action (``action``)."""

    def __init__(self, action: Action) -> None:
        self.action = action
        super().__init__(
            [
                _("Action %(code)s was already drafted from question %(question)s.")
                % {"code": action.code, "question": action.governance_question}
            ]
        )


def _codes(value: Any) -> list[str]:
    """A list of codes from a list or a comma- or space-separated text, upper-cased."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r"[\s,;]+", str(value))
    result: list[str] = []
    for item in items:
        code = str(item).strip().upper()
        if code and code not in result:
            result.append(code)
    return result


def _unknown(codes: list[str], known: set[str] | list[str]) -> list[str]:
    return [code for code in codes if code not in known]


def _check_file(file: Any, errors: dict[str, list[str]], name: str) -> None:
    if file and (problem := evidence_file_problem(file)) is not None:
        errors.setdefault(name, []).append(problem)


# --- Strategy ------------------------------------------------------------------------------


def strategy_get_or_create(municipality: Municipality) -> Strategy:
    strategy, _created = Strategy.objects.get_or_create(municipality=municipality)
    return strategy


def strategy_save(*, municipality: Municipality, values: dict[str, Any], actor: Any) -> Strategy:
    """Write the strategy's own fields (title, vision, principles, period, involvement)."""
    first, last = values.get("first_year"), values.get("last_year")
    if first and last and last < first:
        raise PlanRejected({"last_year": [_("The last year cannot come before the first.")]})
    fields = ("title", "vision", "principles", "first_year", "last_year", "children_involvement")
    with transaction.atomic():
        strategy = strategy_get_or_create(municipality)
        changes = {}
        for name in fields:
            if name in values and getattr(strategy, name) != values[name]:
                changes[name] = values[name]
                setattr(strategy, name, values[name])
        strategy.save()
        audit.record(actor=actor, action="planning.strategy_save", obj=strategy, changes=changes)
    return strategy


def goal_save(
    *, municipality: Municipality, values: dict[str, Any], actor: Any, goal: Goal | None = None
) -> Goal:
    """Add or change a goal; rights must be R1–R11 and indicators the catalogue's codes."""
    version = selectors.catalogue_version()
    errors: dict[str, list[str]] = {}
    code = str(values.get("code", "")).strip()
    if not GOAL_CODE.match(code):
        errors["code"] = [_("Give the goal a short code (letters, digits, dots).")]
    title = str(values.get("title", "")).strip()
    if not title:
        errors["title"] = [_("Give the goal a title.")]
    rights = _codes(values.get("rights"))
    known_rights = {item.code for item in selectors.list_items(version, "R")}
    if bad := _unknown(rights, known_rights):
        errors["rights"] = [_("Unknown rights: %(codes)s.") % {"codes": ", ".join(bad)}]
    indicators = _codes(values.get("indicators"))
    if bad := _unknown(indicators, selectors.indicator_codes(version)):
        errors["indicators"] = [
            _("Not indicators of the published catalogue: %(codes)s.") % {"codes": ", ".join(bad)}
        ]
    with transaction.atomic():
        strategy = strategy_get_or_create(municipality)
        clash = Goal.objects.filter(strategy=strategy, code=code)
        if goal is not None:
            clash = clash.exclude(pk=goal.pk)
        if code and clash.exists():
            errors["code"] = [_("The strategy already has a goal %(code)s.") % {"code": code}]
        if errors:
            raise PlanRejected(errors)
        goal = goal or Goal(strategy=strategy)
        goal.code, goal.title = code, title
        goal.description = str(values.get("description", "")).strip()
        goal.rights = [c for c in known_rights_order(version) if c in rights]
        goal.crc_articles = str(values.get("crc_articles", "")).strip()
        goal.indicators = indicators
        goal.save()
        audit.record(
            actor=actor,
            action="planning.goal_save",
            obj=goal,
            changes={"code": code, "rights": goal.rights, "indicators": indicators},
        )
    return goal


def known_rights_order(version: Any) -> list[str]:
    return [item.code for item in selectors.list_items(version, "R")]


def goal_delete(*, goal: Goal, actor: Any) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action="planning.goal_delete", obj=goal)
        goal.delete()


def priority_add(
    *,
    municipality: Municipality,
    title: str,
    source: str,
    reference: str = "",
    description: str = "",
    actor: Any,
) -> PriorityArea:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the priority area a title.")]
    if source not in PriorityArea.Source.values:
        errors["source"] = [_("Unknown source: %(code)s.") % {"code": source}]
    if errors:
        raise PlanRejected(errors)
    with transaction.atomic():
        strategy = strategy_get_or_create(municipality)
        area = PriorityArea.objects.create(
            strategy=strategy,
            title=title.strip()[:300],
            source=source,
            source_reference=reference.strip()[:64],
            description=description.strip(),
        )
        audit.record(
            actor=actor,
            action="planning.priority_add",
            obj=area,
            changes={"source": source, "reference": area.source_reference},
        )
    return area


def priority_delete(*, area: PriorityArea, actor: Any) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action="planning.priority_delete", obj=area)
        area.delete()


def stream_save(
    *,
    municipality: Municipality,
    code: str,
    title: str,
    actor: Any,
    stream: ActionStream | None = None,
) -> ActionStream:
    code = code.strip()
    errors: dict[str, list[str]] = {}
    if not STREAM_CODE.match(code):
        errors["code"] = [_("A stream's code looks like 7.1.")]
    if not title.strip():
        errors["title"] = [_("Give the stream a title.")]
    clash = ActionStream.objects.filter(municipality=municipality, code=code)
    if stream is not None:
        clash = clash.exclude(pk=stream.pk)
    if clash.exists():
        errors["code"] = [_("The plan already has a stream %(code)s.") % {"code": code}]
    if errors:
        raise PlanRejected(errors)
    with transaction.atomic():
        stream = stream or ActionStream(municipality=municipality)
        stream.code, stream.title = code, title.strip()[:300]
        stream.save()
        audit.record(actor=actor, action="planning.stream_save", obj=stream, changes={"code": code})
    return stream


# --- Actions ---------------------------------------------------------------------------------


def _resolve_stream(municipality: Municipality, value: Any) -> ActionStream | str | None:
    """A stream from an object, a primary key or a code; "" when it is not the city's."""
    if value in (None, ""):
        return None
    if isinstance(value, ActionStream):
        return value if value.municipality_id == municipality.pk else ""
    found = ActionStream.objects.filter(municipality=municipality, code=str(value)).first()
    if found is None and str(value).isdigit():
        found = ActionStream.objects.filter(municipality=municipality, pk=int(value)).first()
    return found or ""


def _resolve_priority(municipality: Municipality, value: Any) -> PriorityArea | str | None:
    if value in (None, ""):
        return None
    if isinstance(value, PriorityArea):
        ok = value.strategy.municipality_id == municipality.pk
        return value if ok else ""
    if str(value).isdigit():
        found = selectors.priorities_of(municipality).filter(pk=int(value)).first()
        return found or ""
    return ""


def _validate_action(
    municipality: Municipality, values: dict[str, Any], action: Action | None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean the values of an action: what to store, and what is wrong, by field."""
    version = selectors.catalogue_version()
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    code = str(values.get("code", action.code if action else "")).strip()
    match = ACTION_CODE.match(code)
    if not match:
        err("code", _("An action's code looks like 7.1.a (its stream's code and a letter)."))
    else:
        code = f"{match.group(1)}.{match.group(2).lower()}"
        clash = Action.objects.filter(municipality=municipality, code=code)
        if action is not None:
            clash = clash.exclude(pk=action.pk)
        if clash.exists():
            err("code", _("The plan already has an action %(code)s.") % {"code": code})
    clean["code"] = code
    for name in (
        "title",
        "description",
        "department",
        "participation_where",
        "participation_when",
        "impact_before",
        "impact_after",
        "impact_children_feedback",
    ):
        if name in values:
            clean[name] = str(values[name] or "").strip()
    if ("title" in clean and not clean["title"]) or (action is None and "title" not in clean):
        err("title", _("Give the action a title."))
    if "status" in values:
        status = str(values["status"] or "")
        if status not in Action.Status.values:
            err(
                "status",
                _("Unknown status %(status)s (allowed: %(allowed)s).")
                % {"status": status, "allowed": ", ".join(Action.Status.values)},
            )
        clean["status"] = status
    if "target_ages" in values:
        ages = _codes(values["target_ages"])
        if bad := _unknown(ages, TargetAge.values):
            err("target_ages", _("Unknown target ages: %(codes)s.") % {"codes": ", ".join(bad)})
        clean["target_ages"] = [a for a in TargetAge.values if a in ages]
    if "staff_roles" in values:
        roles = _codes(values["staff_roles"])
        if bad := _unknown(roles, StaffRole.values):
            err("staff_roles", _("Unknown staff roles: %(codes)s.") % {"codes": ", ".join(bad)})
        clean["staff_roles"] = [r for r in StaffRole.values if r in roles]
    for name in ("starts_on", "ends_on"):
        if name in values:
            clean[name] = values[name] or None
    starts = clean.get("starts_on", action.starts_on if action else None)
    ends = clean.get("ends_on", action.ends_on if action else None)
    if starts and ends and ends < starts:
        err("ends_on", _("The end date cannot come before the start date."))
    known_indicators = selectors.indicator_codes(version)
    if "indicators" in values:
        indicators = _codes(values["indicators"])
        if bad := _unknown(indicators, known_indicators):
            err(
                "indicators",
                _("Not indicators of the published catalogue: %(codes)s.")
                % {"codes": ", ".join(bad)},
            )
        clean["indicators"] = indicators
    if "data_gap_indicator" in values:
        gap = str(values["data_gap_indicator"] or "").strip().upper()
        if gap and gap not in known_indicators:
            err(
                "data_gap_indicator",
                _("Not an indicator of the published catalogue: %(code)s.") % {"code": gap},
            )
        clean["data_gap_indicator"] = gap
    if "governance_question" in values:
        question = str(values["governance_question"] or "").strip().upper()
        additional = ADDITIONAL_QUESTION.match(question)
        if question and not additional and question not in selectors.question_codes(version):
            err(
                "governance_question",
                _("Not a governance question of the catalogue: %(code)s.") % {"code": question},
            )
        clean["governance_question"] = question
    if "participation_type" in values:
        kind = str(values["participation_type"] or "").strip().upper()
        if kind and kind not in {i.code for i in selectors.list_items(version, "T")}:
            err("participation_type", _("Unknown participation type: %(code)s.") % {"code": kind})
        clean["participation_type"] = kind
    if "participation_rung" in values:
        rung = str(values["participation_rung"] or "").strip().upper()
        if rung and rung not in selectors.TARGET_RUNGS:
            err(
                "participation_rung",
                _("The target rung must be one of H4–H8 (genuine participation)."),
            )
        clean["participation_rung"] = rung
    if "stream" in values:
        stream = _resolve_stream(municipality, values["stream"])
        if stream == "":
            err("stream", _("Unknown action stream: %(code)s.") % {"code": values["stream"]})
        clean["stream"] = stream or None
    if match and clean.get("stream", action.stream if action else None) is None:
        # No stream given: the one the code names, when the plan has it.
        clean["stream"] = ActionStream.objects.filter(
            municipality=municipality, code=match.group(1)
        ).first()
    stream_obj = clean.get("stream", action.stream if action else None)
    if match and isinstance(stream_obj, ActionStream) and match.group(1) != stream_obj.code:
        err(
            "code",
            _("The action's code must begin with its stream's code %(code)s.")
            % {"code": stream_obj.code},
        )
    if "priority_area" in values:
        area = _resolve_priority(municipality, values["priority_area"])
        if area == "":
            err("priority_area", _("Unknown priority area."))
        clean["priority_area"] = area or None
    return clean, errors


def action_save(
    *,
    municipality: Municipality,
    values: dict[str, Any],
    actor: Any,
    action: Action | None = None,
    impact_file: Any = None,
    remove_impact_file: bool = False,
) -> Action:
    """Create (``action`` None) or change an action. Fields absent from ``values`` are kept.

    Raises :class:`PlanRejected` for bad fields, and :class:`NotAllowed` when the action would be
    evaluated without impact evidence (before and after figures, children's feedback, or a file).
    """
    clean, errors = _validate_action(municipality, values, action)
    _check_file(impact_file, errors, "impact_file")
    if errors:
        raise PlanRejected(errors)
    with transaction.atomic():
        if action is not None:
            action = Action.objects.select_for_update().get(pk=action.pk)
        else:
            action = Action(municipality=municipality)
        before = {name: getattr(action, name) for name in ACTION_FIELDS if hasattr(action, name)}
        for name, value in clean.items():
            setattr(action, name, value)
        if impact_file:
            action.impact_file = impact_file
        elif remove_impact_file:
            action.impact_file = ""
        if action.status == Action.Status.EVALUATED:
            missing = selectors.missing_impact_evidence(action)
            if missing:
                raise NotAllowed(
                    [
                        _(
                            "Action %(code)s cannot be marked evaluated without impact "
                            "evidence: add %(missing)s."
                        )
                        % {"code": action.code, "missing": ", ".join(missing)}
                    ]
                )
        action.updated_by = audit.acting_user(actor)
        created = action.pk is None
        action.save()
        changes = {
            name: value
            for name, value in clean.items()
            if created or before.get(name) != getattr(action, name)
        }
        if impact_file:
            changes["impact_file"] = action.impact_file.name
        audit.record(
            actor=actor,
            action="planning.action_create" if created else "planning.action_save",
            obj=action,
            changes=selectors.describe(changes),
        )
    return action


def action_delete(*, action: Action, actor: Any) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action="planning.action_delete", obj=action)
        action.delete()


def _letters() -> list[str]:
    single = list(string.ascii_lowercase)
    return single + [a + b for a in single for b in single]


def next_code(municipality: Municipality, stream_code: str) -> str:
    taken = set(
        Action.objects.filter(
            municipality=municipality, code__startswith=f"{stream_code}."
        ).values_list("code", flat=True)
    )
    for letters in _letters():
        code = f"{stream_code}.{letters}"
        if code not in taken:
            return code
    raise PlanRejected({"code": [_("The stream %(code)s is full.") % {"code": stream_code}]})


def _stream(municipality: Municipality, code: str, title: str, actor: Any) -> ActionStream:
    stream = ActionStream.objects.filter(municipality=municipality, code=code).first()
    return stream or stream_save(municipality=municipality, code=code, title=title, actor=actor)


def data_gap_action(*, municipality: Municipality, indicator: str, actor: Any) -> Action:
    """A draft action to collect data for an indicator the city has no value for (R-4.3.5)."""
    code = indicator.strip().upper()
    version = selectors.catalogue_version()
    if code not in selectors.indicator_codes(version):
        raise PlanRejected(
            {
                "data_gap_indicator": [
                    _("Not an indicator of the published catalogue: %(code)s.") % {"code": code}
                ]
            }
        )
    existing = Action.objects.filter(municipality=municipality, data_gap_indicator=code).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        stream = _stream(municipality, DATA_GAP_STREAM, _("Data gaps"), actor)
        return action_save(
            municipality=municipality,
            actor=actor,
            values={
                "code": next_code(municipality, stream.code),
                "title": _("Collect data for indicator %(code)s") % {"code": code},
                "status": Action.Status.DRAFT,
                "stream": stream,
                "data_gap_indicator": code,
                "indicators": [code],
            },
        )


def action_from_question(
    *, municipality: Municipality, year: int, question: str, actor: Any
) -> Action:
    """A draft action from a "planned" governance answer of the year's round, linked to its
    G-code. :class:`AlreadyDrafted` when the question already has an action; NotAllowed when
    the answer is not "planned"."""
    code = question.strip().upper()
    existing = Action.objects.filter(municipality=municipality, governance_question=code).first()
    if existing is not None:
        raise AlreadyDrafted(existing)
    answer = selectors.planned_answer(municipality, year, code)
    if answer is None or answer.answer != Answer.PLANNED:
        raise NotAllowed(
            [
                _(
                    "Only a “planned” answer can become an action: question "
                    "%(question)s of %(year)s is not answered “planned”."
                )
                % {"question": code, "year": year}
            ]
        )
    if answer.question is not None:
        text = answer.question.name
    elif answer.additional_question is not None:
        text = answer.additional_question.text
    else:
        text = code
    title = (answer.future_action.strip() or text).splitlines()[0][:300]
    with transaction.atomic():
        stream = _stream(
            municipality, GOVERNANCE_STREAM, _("From the governance assessment"), actor
        )
        return action_save(
            municipality=municipality,
            actor=actor,
            values={
                "code": next_code(municipality, stream.code),
                "title": title,
                "description": answer.future_action.strip() or text,
                "status": Action.Status.DRAFT,
                "stream": stream,
                "department": answer.responsible[:200],
                "governance_question": code,
            },
        )
