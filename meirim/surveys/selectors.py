"""Reading surveys and their results, suppressed for the public (fewer than 5 respondents
in a group is never shown, and no hidden figure can be worked out from the shown ones).

Every question's table counts its respondents, with a cell for those who gave no answer,
so that its total is the survey's respondents: the skipped cell is suppressed like the
others, and the question's figures cannot be set against the respondents' count to recover
a small group. A select_multiple table is not additive (several answers each). When the
survey has a before/after ``period`` question, the results are given per period only (an
overall table beside them would let one period be worked out from the other).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from meirim.common.programme import SMALL_GROUP_THRESHOLD
from meirim.common.suppression import SuppressedTable, shown, suppress_table
from meirim.facilities.models import Facility
from meirim.planning.models import Action
from meirim.surveys import answers as answering
from meirim.surveys.models import Survey, SurveyResponse
from meirim.voice.privacy import redact

NO_ANSWER = "_none"
PUBLIC_STATES = (Survey.State.OPEN, Survey.State.CLOSED)


def public_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(state__in=PUBLIC_STATES).select_related(
        "municipality", "facility", "action"
    )


def managed_surveys(municipality: Any, *, national: bool) -> QuerySet[Survey]:
    scope = (
        Q(municipality=municipality) | Q(municipality=None)
        if national
        else Q(municipality=municipality)
    )
    return Survey.objects.filter(scope).select_related("facility", "action")


@dataclass
class QuestionResult:
    question: dict[str, Any]
    table: SuppressedTable[str] | None = None
    mean: float | None = None
    answered: int = 0
    texts: list[str] = field(default_factory=list)


@dataclass
class PeriodResult:
    code: str  # "" when the survey has no before/after
    respondents: int | None
    questions: list[QuestionResult]
    too_few: bool


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int | None  # suppressed
    too_few: bool
    periods: list[PeriodResult]
    has_period: bool


def _question_result(
    item: dict[str, Any], rows: list[dict[str, Any]], *, private: bool
) -> QuestionResult:
    name, kind = item["name"], item["type"]
    values = [row.get(name) for row in rows]
    given = [value for value in values if not answering.is_empty(value)]
    result = QuestionResult(question=item, answered=len(given))
    if kind == "text":
        if private:
            result.texts = [redact(str(value)) for value in given]
        return result
    counts: Counter[str] = Counter()
    if kind == "select_one":
        counts.update(str(value) for value in given)
        keys = answering.choice_codes(item)
    elif kind == "select_multiple":
        for value in given:
            counts.update(value if isinstance(value, list) else str(value).split())
        keys = answering.choice_codes(item)
    else:  # integer: the distribution of values
        counts.update(str(value) for value in given)
        keys = sorted(counts, key=lambda key: int(key) if key.lstrip("-").isdigit() else 0)
        if len(given) >= SMALL_GROUP_THRESHOLD:
            numbers = [int(str(v)) for v in given]
            result.mean = round(sum(numbers) / len(numbers), 1)
    cells = {key: counts.get(key, 0) for key in keys}
    cells[NO_ANSWER] = len(rows) - len(given)
    result.table = suppress_table(cells, total=len(rows), additive=kind != "select_multiple")
    if result.table.any_hidden and not private:
        # The mean times the respondents is the sum of the values: with the shown cells it
        # would give the hidden ones back.
        result.mean = None
    return result


def _period_result(
    definition: dict[str, Any], code: str, rows: list[dict[str, Any]], *, private: bool
) -> PeriodResult:
    respondents = len(rows)
    too_few = respondents < SMALL_GROUP_THRESHOLD
    period = (definition.get("period") or {}).get("question")
    items = [q for q in answering.asked(definition) if q["name"] != period]
    return PeriodResult(
        code=code,
        respondents=shown(respondents),
        questions=[] if too_few else [_question_result(q, rows, private=private) for q in items],
        too_few=too_few,
    )


def survey_results(survey: Survey, *, private: bool = False) -> SurveyResults:
    """The survey's results; ``private`` adds the written answers (redacted) for its
    managers — never for a public page or the API."""
    rows = list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))
    definition = survey.definition
    respondents = len(rows)
    too_few = respondents < SMALL_GROUP_THRESHOLD
    period = definition.get("period")
    periods: list[PeriodResult] = []
    if not too_few:
        if period:
            for code in ("before", "after"):
                part = [row for row in rows if row.get(period["question"]) == code]
                periods.append(_period_result(definition, code, part, private=private))
        else:
            periods.append(_period_result(definition, "", rows, private=private))
    return SurveyResults(
        survey=survey,
        respondents=shown(respondents),
        too_few=too_few,
        periods=periods,
        has_period=bool(period),
    )


def rating_question(definition: dict[str, Any]) -> dict[str, Any] | None:
    """The first select_one whose choices are all numbers (1–5, 1–3…): a rating."""
    for item in answering.asked(definition):
        codes = answering.choice_codes(item)
        if item["type"] == "select_one" and codes and all(c.isdigit() for c in codes):
            return item
    return None


def _mean_rating(rows: list[dict[str, Any]], name: str) -> float | None:
    values = [int(row[name]) for row in rows if str(row.get(name, "")).isdigit()]
    if len(values) < SMALL_GROUP_THRESHOLD:
        return None
    return round(sum(values) / len(values), 1)


def evidence_summary(survey: Survey) -> dict[str, Any]:
    """What a survey says as impact evidence: its respondents and its children's mean
    rating (before → after when it has periods), suppressed below 5."""
    rows = list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))
    rating = rating_question(survey.definition)
    scale = max((int(c) for c in answering.choice_codes(rating)), default=0) if rating else 0
    summary: dict[str, Any] = {
        "id": survey.pk,
        "title": survey.title,
        "state": survey.state,
        "respondents": shown(len(rows)),
        "rating": None,
        "before": None,
        "after": None,
        "scale": scale,
    }
    if rating is None or len(rows) < SMALL_GROUP_THRESHOLD:
        return summary
    summary["rating"] = _mean_rating(rows, rating["name"])
    period = survey.definition.get("period")
    if period:
        for code in ("before", "after"):
            part = [row for row in rows if row.get(period["question"]) == code]
            summary[code] = _mean_rating(part, rating["name"])
    return summary


def evidence_text(summary: dict[str, Any]) -> str:
    """One line for a portfolio (the language-neutral figures of :func:`evidence_summary`)."""
    from django.utils.translation import gettext as _

    from meirim.common.suppression import label

    parts = [
        _("Children's survey “%(title)s”: %(count)s respondents")
        % {"title": summary["title"], "count": label(summary["respondents"])}
    ]
    if summary["before"] is not None and summary["after"] is not None:
        parts.append(
            _("mean rating %(before)s → %(after)s of %(scale)s")
            % {"before": summary["before"], "after": summary["after"], "scale": summary["scale"]}
        )
    elif summary["rating"] is not None:
        parts.append(
            _("mean rating %(rating)s of %(scale)s")
            % {"rating": summary["rating"], "scale": summary["scale"]}
        )
    return ", ".join(parts)


def evidence_for_action(action: Action) -> list[dict[str, Any]]:
    """The action's answered (non-draft) surveys as impact evidence."""
    return [
        evidence_summary(s)
        for s in Survey.objects.filter(action=action, state__in=PUBLIC_STATES)
        if s.responses.exists()
    ]


def evidence_for_facility(facility: Facility) -> list[dict[str, Any]]:
    return [
        evidence_summary(s)
        for s in Survey.objects.filter(facility=facility, state__in=PUBLIC_STATES)
        if s.responses.exists()
    ]
