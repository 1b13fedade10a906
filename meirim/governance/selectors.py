"""Reads of the coordination council and the governance self-assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from meirim.accounts.models import Role, RoleAssignment, User
from meirim.catalogue.models import CatalogueVersion, GovernanceQuestion, GovernanceSection
from meirim.catalogue.selectors import published_version
from meirim.geography.models import Municipality
from meirim.governance.models import (
    AdditionalQuestion,
    Answer,
    AssessmentRound,
    CoordinationCouncil,
    CouncilMeeting,
    CouncilMember,
    GovernanceAnswer,
    SectionAssignment,
)

# Free-form questions a city adds live under this section of the checklist.
ADDITIONAL_SECTION = "GS-II.10"
ANSWER_KEYS = [choice.value for choice in Answer]


# --- Council -----------------------------------------------------------------------------


def council_get(municipality: Municipality) -> CoordinationCouncil | None:
    return (
        CoordinationCouncil.objects.filter(municipality=municipality)
        .prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.order_by("council_role", "name")),
            Prefetch("meetings", queryset=CouncilMeeting.objects.order_by("-held_on", "-id")),
        )
        .first()
    )


def member_get(municipality: Municipality, member_id: int) -> CouncilMember:
    return CouncilMember.objects.select_related("council").get(
        pk=member_id, council__municipality=municipality
    )


def meeting_get(municipality: Municipality, meeting_id: int) -> CouncilMeeting:
    return CouncilMeeting.objects.select_related("council").get(
        pk=meeting_id, council__municipality=municipality
    )


# --- Catalogue questions -----------------------------------------------------------------


@dataclass
class Section:
    code: str
    name: str
    section: GovernanceSection | None
    questions: list[Any] = field(default_factory=list)


def catalogue_version() -> CatalogueVersion | None:
    return published_version()


def checklist(version: CatalogueVersion | None) -> list[Section]:
    """The checklist's sections (GS-I.1 … GS-II.10) with their catalogue questions, 2 queries."""
    if version is None:
        return []
    sections = list(
        GovernanceSection.objects.filter(version=version, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__order", "order", "code")
    )
    by_id = {s.pk: Section(s.code, s.name, s) for s in sections}
    questions = GovernanceQuestion.objects.filter(version=version).order_by("order", "code")
    for question in questions:
        target = by_id.get(question.subsection_id or question.section_id)
        if target is not None:
            target.questions.append(question)
    return list(by_id.values())


def catalogue_questions(version: CatalogueVersion | None) -> dict[str, GovernanceQuestion]:
    if version is None:
        return {}
    return {
        q.code: q
        for q in GovernanceQuestion.objects.filter(version=version).select_related("subsection")
    }


def section_of_code(code: str, questions: dict[str, GovernanceQuestion]) -> str | None:
    """The checklist section (GS-x.y) a question code belongs to."""
    if code.startswith("GX"):
        return ADDITIONAL_SECTION
    question = questions.get(code)
    if question is None:
        return None
    return question.subsection.code if question.subsection else None


# --- Rounds ------------------------------------------------------------------------------


def rounds_of(municipality: Municipality) -> list[AssessmentRound]:
    return list(AssessmentRound.objects.filter(municipality=municipality).order_by("-year"))


def round_get(municipality: Municipality, year: int) -> AssessmentRound | None:
    return AssessmentRound.objects.filter(municipality=municipality, year=year).first()


def previous_round(round: AssessmentRound) -> AssessmentRound | None:
    return (
        AssessmentRound.objects.filter(municipality_id=round.municipality_id, year__lt=round.year)
        .order_by("-year")
        .first()
    )


def answers_of(round: AssessmentRound | None) -> dict[str, GovernanceAnswer]:
    if round is None:
        return {}
    return {a.code: a for a in GovernanceAnswer.objects.filter(round=round)}


def additional_questions(round: AssessmentRound) -> list[AdditionalQuestion]:
    return list(AdditionalQuestion.objects.filter(round=round).order_by("id"))


def assigned_sections(round: AssessmentRound, user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        SectionAssignment.objects.filter(round=round, assignee=user).values_list(
            "section__code", flat=True
        )
    )


def assignments(round: AssessmentRound) -> list[SectionAssignment]:
    return list(
        SectionAssignment.objects.filter(round=round)
        .select_related("section", "assignee")
        .order_by("section__code", "assignee__username")
    )


def department_heads(municipality: Municipality) -> list[User]:
    ids = RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_HEAD, municipality=municipality
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def summary(answers: dict[str, GovernanceAnswer], codes: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(ANSWER_KEYS, 0)
    counts["unanswered"] = 0
    for code in codes:
        found = answers.get(code)
        if found is None or not found.answer:
            counts["unanswered"] += 1
        else:
            counts[found.answer] += 1
    return counts


@dataclass
class Row:
    code: str
    text: str
    answer: GovernanceAnswer | None
    previous: str
    additional: AdditionalQuestion | None = None

    @property
    def value(self) -> str:
        return self.answer.answer if self.answer else ""

    @property
    def previous_label(self) -> str:
        return str(Answer(self.previous).label) if self.previous else ""

    @property
    def value_label(self) -> str:
        return str(Answer(self.value).label) if self.value else "—"

    @property
    def changed(self) -> bool:
        return bool(self.previous) and self.previous != self.value


@dataclass
class SectionView:
    code: str
    name: str
    rows: list[Row]
    counts: dict[str, int]

    @property
    def answered(self) -> int:
        return len(self.rows) - self.counts["unanswered"]


def round_sections(round: AssessmentRound, version: CatalogueVersion | None) -> list[SectionView]:
    """Every section with its rows (question, answer, previous round's answer) and counts."""
    answers = answers_of(round)
    before = previous_round(round)
    previous = {code: a.answer for code, a in answers_of(before).items()}
    extra = additional_questions(round)
    result = []
    for section in checklist(version):
        rows = [
            Row(q.code, q.name, answers.get(q.code), previous.get(q.code, ""))
            for q in section.questions
        ]
        if section.code == ADDITIONAL_SECTION:
            rows += [Row(x.code, x.text, answers.get(x.code), "", x) for x in extra]
        counts = summary(answers, [row.code for row in rows])
        result.append(SectionView(section.code, section.name, rows, counts))
    return result


def round_summary(round: AssessmentRound, version: CatalogueVersion | None) -> dict[str, int]:
    codes = list(catalogue_questions(version)) + [x.code for x in additional_questions(round)]
    return summary(answers_of(round), codes)


def unanswered_catalogue_codes(
    round: AssessmentRound, version: CatalogueVersion | None
) -> list[str]:
    answered = set(
        GovernanceAnswer.objects.filter(round=round, question__isnull=False)
        .exclude(answer="")
        .values_list("code", flat=True)
    )
    return sorted(set(catalogue_questions(version)) - answered)


# --- For the other parts -----------------------------------------------------------------


@dataclass(frozen=True)
class GapItem:
    year: int
    code: str
    question: str
    answer: str
    comment: str
    responsible: str
    future_action: str


def _items(round: AssessmentRound, answer: str) -> list[GapItem]:
    rows = (
        GovernanceAnswer.objects.filter(round=round, answer=answer)
        .select_related("question", "additional_question")
        .order_by("code")
    )
    return [
        GapItem(
            year=round.year,
            code=row.code,
            question=row.question.name
            if row.question
            else (row.additional_question.text if row.additional_question else ""),
            answer=row.answer,
            comment=row.comment,
            responsible=row.responsible,
            future_action=row.future_action,
        )
        for row in rows
    ]


def latest_round(municipality: Municipality) -> AssessmentRound | None:
    """The latest closed round, else the latest round."""
    rounds = AssessmentRound.objects.filter(municipality=municipality).order_by("-year")
    return rounds.filter(state=AssessmentRound.State.CLOSED).first() or rounds.first()


def governance_gaps(municipality: Municipality) -> list[GapItem]:
    """The "no" answers of the latest closed round (else the latest round): the gaps."""
    found = latest_round(municipality)
    return _items(found, Answer.NO) if found else []


def planned_answers(municipality: Municipality, year: int) -> list[GapItem]:
    """The "planned" answers of the municipality's round of ``year``."""
    found = round_get(municipality, year)
    return _items(found, Answer.PLANNED) if found else []
