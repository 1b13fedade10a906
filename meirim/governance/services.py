"""Writes of the coordination council and the governance self-assessment (audited)."""

from __future__ import annotations

import os
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.common import audit
from meirim.common.files import evidence_file_problem
from meirim.common.workflow import NotAllowed, transition_apply
from meirim.geography.models import Municipality
from meirim.governance import selectors
from meirim.governance.models import (
    AdditionalQuestion,
    Answer,
    AssessmentRound,
    CoordinationCouncil,
    CouncilMeeting,
    CouncilMember,
    GovernanceAnswer,
    RoundParticipant,
    SectionAssignment,
)
from meirim.governance.workflows import ROUND, may_act

ANSWER_FIELDS = ("comment", "responsible", "future_action", "reason", "evidence")


class Rejected(Exception):
    """Input refused; ``errors`` are ``(field, message)`` pairs with translated messages."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


class SectionRefused(Exception):
    """A department head answering a question of a section not given to them."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(
            _(
                "You may answer only the questions of the sections assigned to you; "
                "not assigned: %(codes)s"
            )
            % {"codes": ", ".join(codes)}
        )


def file_check(file: UploadedFile[Any], field: str = "file") -> None:
    """The evidence rule shared by every upload (``meirim.common.files``)."""
    problem = evidence_file_problem(file)
    if problem is not None:
        raise Rejected([(field, problem)])


# --- Council -----------------------------------------------------------------------------

COUNCIL_FIELDS = (
    "chair_name",
    "chair_role",
    "established_on",
    "tor_functions",
    "tor_responsibilities",
    "tor_targets",
    "tor_deadlines",
    "information_programme",
)


def council_ensure(municipality: Municipality) -> CoordinationCouncil:
    council, _created = CoordinationCouncil.objects.get_or_create(municipality=municipality)
    return council


def _changes(obj: Any, values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    changes = {}
    for name in fields:
        if name in values and getattr(obj, name) != values[name]:
            changes[name] = [str(getattr(obj, name) or ""), str(values[name] or "")]
            setattr(obj, name, values[name])
    return changes


def council_save(
    *,
    municipality: Municipality,
    values: dict[str, Any],
    actor: Any,
    tor_document: UploadedFile[Any] | None = None,
) -> CoordinationCouncil:
    if tor_document is not None:
        file_check(tor_document, "tor_document")
    with transaction.atomic():
        council = council_ensure(municipality)
        council = CoordinationCouncil.objects.select_for_update().get(pk=council.pk)
        changes = _changes(council, values, COUNCIL_FIELDS)
        if tor_document is not None:
            council.tor_document.save(os.path.basename(tor_document.name or "tor"), tor_document)
            changes["tor_document"] = council.tor_document.name
        council.save()
        audit.record(actor=actor, action="governance.council_save", obj=council, changes=changes)
    return council


MEMBER_FIELDS = (
    "name",
    "organisation",
    "council_role",
    "status",
    "invited_on",
    "approved_on",
    "left_on",
)


def _member_dates(values: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    status = values.get("status")
    if status == CouncilMember.Status.APPROVED and not values.get("approved_on"):
        values["approved_on"] = today
    if status == CouncilMember.Status.LEFT and not values.get("left_on"):
        values["left_on"] = today
    return values


def member_save(
    *,
    municipality: Municipality,
    values: dict[str, Any],
    actor: Any,
    member: CouncilMember | None = None,
) -> CouncilMember:
    values = _member_dates(dict(values))
    with transaction.atomic():
        if member is None:
            member = CouncilMember(council=council_ensure(municipality))
            if not values.get("invited_on"):
                values["invited_on"] = timezone.localdate()
            verb = "governance.member_add"
        else:
            verb = "governance.member_save"
        changes = _changes(member, values, MEMBER_FIELDS)
        member.save()
        audit.record(actor=actor, action=verb, obj=member, changes=changes)
    return member


def member_remove(*, member: CouncilMember, actor: Any) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="governance.member_remove",
            obj=member,
            changes={"name": [member.name, ""]},
        )
        member.delete()


MEETING_FIELDS = ("held_on", "agenda", "minutes")


def meeting_save(
    *,
    municipality: Municipality,
    values: dict[str, Any],
    actor: Any,
    meeting: CouncilMeeting | None = None,
    minutes_document: UploadedFile[Any] | None = None,
) -> CouncilMeeting:
    if minutes_document is not None:
        file_check(minutes_document, "minutes_document")
    with transaction.atomic():
        verb = "governance.meeting_save"
        if meeting is None:
            meeting = CouncilMeeting(council=council_ensure(municipality))
            verb = "governance.meeting_add"
        changes = _changes(meeting, values, MEETING_FIELDS)
        if minutes_document is not None:
            meeting.minutes_document.save(
                os.path.basename(minutes_document.name or "minutes"),
                minutes_document,
                save=False,
            )
            changes["minutes_document"] = meeting.minutes_document.name
        meeting.save()
        audit.record(actor=actor, action=verb, obj=meeting, changes=changes)
    return meeting


def meeting_remove(*, meeting: CouncilMeeting, actor: Any) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="governance.meeting_remove",
            obj=meeting,
            changes={"held_on": [str(meeting.held_on), ""]},
        )
        meeting.delete()


# --- Assessment rounds -------------------------------------------------------------------


def _refuse_closed(round: AssessmentRound) -> None:
    if round.state == AssessmentRound.State.CLOSED:
        raise NotAllowed(
            [
                _("The assessment of %(year)s is closed; reopen it to change it.")
                % {"year": round.year}
            ]
        )


def round_open(
    *, municipality: Municipality, year: int, actor: Any, mode: str = ""
) -> AssessmentRound:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Rejected([("year", _("Give a year between 2000 and next year."))])
    if mode and mode not in AssessmentRound.Mode.values:
        raise Rejected([("mode", _("Unknown mode: %(mode)s") % {"mode": mode})])
    with transaction.atomic():
        if AssessmentRound.objects.filter(municipality=municipality, year=year).exists():
            raise Rejected(
                [("year", _("There is already an assessment for %(year)s.") % {"year": year})]
            )
        round = AssessmentRound.objects.create(
            municipality=municipality, year=year, mode=mode or AssessmentRound.Mode.CHECKLIST
        )
        audit.record(actor=actor, action="governance.round_open", obj=round, changes={"year": year})
    return round


def round_save(*, round: AssessmentRound, values: dict[str, Any], actor: Any) -> AssessmentRound:
    """Mode and the two-component report (R-15.6)."""
    if "mode" in values and values["mode"] not in AssessmentRound.Mode.values:
        raise Rejected([("mode", _("Unknown mode: %(mode)s") % {"mode": values["mode"]})])
    with transaction.atomic():
        round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
        _refuse_closed(round)
        changes = _changes(round, values, ("mode", "agreed_assessment", "rights_summary"))
        round.save()
        audit.record(actor=actor, action="governance.round_save", obj=round, changes=changes)
    return round


def participant_add(
    *, round: AssessmentRound, name: str, agency: str, position: str, actor: Any
) -> RoundParticipant:
    errors = []
    if not name.strip():
        errors.append(("name", _("Give the participant's name.")))
    if not agency.strip():
        errors.append(("agency", _("Give the participant's agency or NGO.")))
    if errors:
        raise Rejected(errors)
    with transaction.atomic():
        _refuse_closed(round)
        participant = RoundParticipant.objects.create(
            round=round, name=name.strip(), agency=agency.strip(), position=position.strip()
        )
        audit.record(
            actor=actor,
            action="governance.participant_add",
            obj=participant,
            changes={"name": participant.name, "agency": participant.agency},
        )
    return participant


def participant_remove(*, round: AssessmentRound, participant_id: int, actor: Any) -> None:
    with transaction.atomic():
        _refuse_closed(round)
        participant = RoundParticipant.objects.filter(round=round, pk=participant_id).first()
        if participant is None:
            return
        audit.record(
            actor=actor,
            action="governance.participant_remove",
            obj=participant,
            changes={"name": participant.name},
        )
        participant.delete()


def section_assign(*, round: AssessmentRound, section: str, assignee_id: int, actor: Any) -> None:
    """The coordinator gives a section to one of the city's department heads."""
    version = selectors.catalogue_version()
    sections = {s.code: s.section for s in selectors.checklist(version)}
    heads = {u.pk: u for u in selectors.department_heads(round.municipality)}
    errors = []
    if section not in sections:
        errors.append(("section", _("Unknown section: %(code)s") % {"code": section}))
    if assignee_id not in heads:
        errors.append(("assignee", _("Choose a department head of this city.")))
    if errors:
        raise Rejected(errors)
    with transaction.atomic():
        _refuse_closed(round)
        _assignment, created = SectionAssignment.objects.get_or_create(
            round=round, section=sections[section], assignee=heads[assignee_id]
        )
        if created:
            audit.record(
                actor=actor,
                action="governance.section_assign",
                obj=round,
                changes={"section": section, "assignee": heads[assignee_id].get_username()},
            )


def section_unassign(*, round: AssessmentRound, assignment_id: int, actor: Any) -> None:
    with transaction.atomic():
        _refuse_closed(round)
        found = (
            SectionAssignment.objects.filter(round=round, pk=assignment_id)
            .select_related("section", "assignee")
            .first()
        )
        if found is None:
            return
        audit.record(
            actor=actor,
            action="governance.section_unassign",
            obj=round,
            changes={"section": found.section.code, "assignee": found.assignee.get_username()},
        )
        found.delete()


def additional_question_add(*, round: AssessmentRound, text: str, actor: Any) -> AdditionalQuestion:
    """A free-form question under GS-II.10, coded GX1, GX2… within the round."""
    if not text.strip():
        raise Rejected([("text", _("Write the question."))])
    with transaction.atomic():
        locked = AssessmentRound.objects.select_for_update().get(pk=round.pk)
        _refuse_closed(locked)
        numbers = [
            int(code[2:])
            for code in AdditionalQuestion.objects.filter(round=round).values_list(
                "code", flat=True
            )
            if code[2:].isdigit()
        ]
        question = AdditionalQuestion.objects.create(
            round=round, code=f"GX{max(numbers, default=0) + 1}", text=text.strip()
        )
        audit.record(
            actor=actor,
            action="governance.question_add",
            obj=question,
            changes={"code": question.code, "text": question.text},
        )
    return question


def may_answer_all(actor: Any, round: AssessmentRound) -> bool:
    """The coordinator answers any question; system jobs too."""
    return actor is None or access.may(actor, "governance.manage", round.municipality)


def answers_check(
    *,
    answers: list[dict[str, Any]],
    round: AssessmentRound | None = None,
    files: dict[str, UploadedFile[Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, AdditionalQuestion]]:
    """Refuse (``Rejected``) unknown codes or answers, "not applicable" without a reason and
    unacceptable files; returns the catalogue questions and the round's own questions."""
    files = files or {}
    version = selectors.catalogue_version()
    questions = selectors.catalogue_questions(version)
    extra = {x.code: x for x in selectors.additional_questions(round)} if round else {}
    errors: list[tuple[str, str]] = []
    unknown = [
        str(item.get("question"))
        for item in answers
        if item.get("question") not in questions and item.get("question") not in extra
    ]
    if unknown:
        errors.append(
            ("question", _("Unknown questions: %(codes)s") % {"codes": ", ".join(unknown)})
        )
    valid = {*Answer.values, ""}
    for item in answers:
        code = str(item.get("question"))
        value = item.get("answer") or ""
        if value not in valid:
            errors.append(
                (
                    f"{code}.answer",
                    _("Unknown answer for %(code)s: %(answer)s") % {"code": code, "answer": value},
                )
            )
        elif value == Answer.NOT_APPLICABLE and not str(item.get("reason") or "").strip():
            errors.append(
                (
                    f"{code}.reason",
                    _("%(code)s: give the reason why the question does not apply.")
                    % {"code": code},
                )
            )
        for name in ANSWER_FIELDS:
            if item.get(name) is not None and not isinstance(item.get(name), str):
                errors.append(
                    (
                        f"{code}.{name}",
                        _("%(code)s: %(field)s must be text.") % {"code": code, "field": name},
                    )
                )
        if code in files:
            try:
                file_check(files[code], f"{code}.evidence_file")
            except Rejected as rejected:
                errors.extend(rejected.errors)
    if errors:
        raise Rejected(errors)
    return questions, extra


def answers_save(
    *,
    round: AssessmentRound,
    answers: list[dict[str, Any]],
    actor: Any,
    files: dict[str, UploadedFile[Any]] | None = None,
    replace_blank: bool = True,
) -> list[GovernanceAnswer]:
    """Save many answers at once: all of them, or none (``Rejected`` naming what is wrong).

    Each item: ``question`` (G01…G61 or the round's GX codes), ``answer`` (yes, planned, no,
    not_applicable, or empty to clear), and optionally comment, responsible, future_action,
    reason (required for not_applicable) and evidence. ``files`` maps codes to evidence files.
    A department head may answer only the sections assigned to them (``SectionRefused``).
    """
    files = files or {}
    questions, extra = answers_check(answers=answers, round=round, files=files)
    if not may_answer_all(actor, round):
        mine = selectors.assigned_sections(round, actor)
        refused = sorted(
            {
                str(item["question"])
                for item in answers
                if selectors.section_of_code(str(item["question"]), questions) not in mine
            }
        )
        if refused:
            raise SectionRefused(refused)
    now = timezone.now()
    saved = []
    with transaction.atomic():
        locked = AssessmentRound.objects.select_for_update().get(pk=round.pk)
        _refuse_closed(locked)
        existing = {
            a.code: a
            for a in GovernanceAnswer.objects.filter(
                round=round, code__in=[str(i["question"]) for i in answers]
            )
        }
        changes: dict[str, Any] = {}
        to_create: list[GovernanceAnswer] = []
        to_update: list[GovernanceAnswer] = []
        for item in answers:
            code = str(item["question"])
            row = existing.get(code)
            if row is None:
                row = GovernanceAnswer(round=round, code=code)
                if code in extra:
                    row.additional_question = extra[code]
                else:
                    row.question = questions[code]
            before = {name: getattr(row, name) for name in ("answer", *ANSWER_FIELDS)}
            row.answer = item.get("answer") or ""
            for name in ANSWER_FIELDS:
                if item.get(name) is not None or replace_blank:
                    setattr(row, name, str(item.get(name) or "").strip())
            if row.answer and row.answer != Answer.NOT_APPLICABLE:
                row.reason = ""
            after = {name: getattr(row, name) for name in ("answer", *ANSWER_FIELDS)}
            if code in files:
                row.evidence_file.save(
                    os.path.basename(files[code].name or "evidence"), files[code], save=False
                )
                after["evidence_file"] = row.evidence_file.name
            if code not in files and (
                (row.pk and before == after) or (row.pk is None and not any(after.values()))
            ):
                continue
            row.answered_at = now
            row.answered_by = audit.acting_user(actor)
            changes[code] = {
                k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v
            }
            (to_update if row.pk else to_create).append(row)
            saved.append(row)
        GovernanceAnswer.objects.bulk_create(to_create)
        if to_update:
            GovernanceAnswer.objects.bulk_update(
                to_update,
                ["answer", *ANSWER_FIELDS, "evidence_file", "answered_at", "answered_by"],
            )
        if changes:
            audit.record(actor=actor, action="governance.answers_save", obj=locked, changes=changes)
    return saved


def round_close(*, round: AssessmentRound, actor: Any) -> AssessmentRound:
    result = transition_apply(workflow=ROUND, obj=round, action="close", actor=actor, may=may_act)
    assert isinstance(result, AssessmentRound)
    return result


def round_reopen(*, round: AssessmentRound, actor: Any) -> AssessmentRound:
    result = transition_apply(workflow=ROUND, obj=round, action="reopen", actor=actor, may=may_act)
    assert isinstance(result, AssessmentRound)
    return result
