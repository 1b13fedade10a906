"""Children's surveys: their definitions and suppressed results; anonymous answers.

Only open and closed surveys are public. Results follow the same small-group suppression
as the pages (a figure under 5 is null, listed in ``suppressed``); written answers are
never in the API. An answer is checked against the definition and its relevance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from meirim.api.access import PUBLIC, declared_access
from meirim.api.phase1 import ErrorOut, RefusedOut
from meirim.geography.models import Municipality
from meirim.surveys import selectors, services
from meirim.surveys.models import Survey
from meirim.voice.limits import allow

router = Router(tags=["surveys"])


class SurveySummaryOut(Schema):
    id: int
    title: str
    municipality: str | None
    state: str
    facility: int | None
    action: str | None
    opens_on: dt.date | None
    closes_on: dt.date | None
    accepting_answers: bool


class SurveyDetailOut(SurveySummaryOut):
    definition: dict[str, Any]


class SurveyResultsOut(Schema):
    id: int
    respondents: int | None
    threshold: int
    periods: list[dict[str, Any]]


class SurveyAnswerIn(Schema):
    municipality: str
    answers: dict[str, Any]


class SurveyAnswerOut(Schema):
    id: int
    received_on: dt.date


def _summary(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "municipality": survey.municipality.code if survey.municipality else None,
        "state": survey.state,
        "facility": survey.facility_id,
        "action": survey.action.code if survey.action else None,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "accepting_answers": services.accepting_answers(survey),
    }


def _public(survey_id: int) -> Survey:
    survey = selectors.public_surveys().filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


@router.get(
    "/surveys",
    response=list[SurveySummaryOut],
    openapi_extra=declared_access(PUBLIC),
)
def list_surveys(request: HttpRequest) -> Any:
    """Every open or closed survey (a short list, not paged)."""
    return [_summary(survey) for survey in selectors.public_surveys()]


@router.get(
    "/surveys/{id}",
    response={200: SurveyDetailOut, 404: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def get_survey(request: HttpRequest, id: int) -> Any:
    """The survey and its definition (questions, labels by language, choices, relevance)."""
    survey = _public(id)
    return {**_summary(survey), "definition": survey.definition}


@router.get(
    "/surveys/{id}/results",
    response={200: SurveyResultsOut, 404: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def get_results(request: HttpRequest, id: int) -> Any:
    """Counts per question and choice (``_none``: no answer), suppressed below 5; by
    ``period`` (before/after) when the survey has one. Written answers are never given."""
    survey = _public(id)
    outcome = selectors.survey_results(survey)
    periods = []
    for period in outcome.periods:
        questions = []
        for result in period.questions:
            entry: dict[str, Any] = {
                "name": result.question["name"],
                "type": result.question["type"],
            }
            if result.table is not None:
                entry.update(result.table.as_json())
                entry["mean"] = result.mean
            questions.append(entry)
        periods.append(
            {
                "period": period.code or None,
                "respondents": period.respondents,
                "questions": questions,
            }
        )
    return {
        "id": survey.pk,
        "respondents": outcome.respondents,
        "threshold": 5,
        "periods": periods,
    }


@router.post(
    "/surveys/{id}/responses",
    response={201: SurveyAnswerOut, 400: RefusedOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def post_response(request: HttpRequest, id: int, payload: SurveyAnswerIn) -> Any:
    """One anonymous set of answers (question name → code, list of codes, whole number or
    text), checked against the definition and relevance. Nothing about the sender is kept."""
    survey = _public(id)
    municipality = Municipality.objects.filter(code=payload.municipality).first()
    if municipality is None:
        return Status(
            400,
            {
                "detail": _("The answers were not saved."),
                "errors": [{"field": "municipality", "message": _("Unknown municipality.")}],
            },
        )
    if not allow(request, "survey"):
        return Status(429, {"detail": _("Too many answers from this connection today.")})
    try:
        response = services.response_record(survey, municipality=municipality, raw=payload.answers)
    except services.Refused as refusal:
        return Status(409, {"detail": str(refusal)})
    except ValidationError as problems:
        errors = [
            {"field": name, "message": " ".join(messages)}
            for name, messages in problems.message_dict.items()
        ]
        return Status(400, {"detail": _("The answers were not saved."), "errors": errors})
    return Status(201, {"id": response.pk, "received_on": response.received_on})
