"""The surveys' JSON API: public definitions and suppressed results, anonymous answers."""

from __future__ import annotations

import json

import pytest

from meirim.geography.models import Municipality
from meirim.surveys import services
from meirim.surveys.models import SurveyResponse
from tests.surveys.helpers import TOWN, survey_make

pytestmark = pytest.mark.django_db


def _post(client, survey, body):
    return client.post(
        f"/api/v1/surveys/{survey.pk}/responses", json.dumps(body), content_type="application/json"
    )


def test_only_published_surveys_are_listed_with_their_definition(client, geography):
    survey = survey_make()
    draft = survey_make(publish=False)
    listed = client.get("/api/v1/surveys").json()
    assert [item["id"] for item in listed] == [survey.pk]
    assert listed[0]["municipality"] == TOWN and listed[0]["accepting_answers"] is True
    detail = client.get(f"/api/v1/surveys/{survey.pk}").json()
    assert [q["name"] for q in detail["definition"]["questions"]][:2] == ["hello", "plays"]
    assert client.get(f"/api/v1/surveys/{draft.pk}").status_code == 404


def test_an_answer_is_checked_against_the_definition_and_relevance(client, geography):
    survey = survey_make()
    answers = {"plays": "yes", "things": ["ball"], "age": 10}
    ok = _post(client, survey, {"municipality": TOWN, "answers": answers})
    assert ok.status_code == 201, ok.content
    assert SurveyResponse.objects.get().answers == answers
    bad = _post(
        client,
        survey,
        {"municipality": TOWN, "answers": {"plays": "yes", "age": "ten", "why": "x", "colour": 1}},
    )
    assert bad.status_code == 400
    assert {error["field"] for error in bad.json()["errors"]} == {"age", "why", "colour"}
    missing = _post(client, survey, {"municipality": TOWN, "answers": {"age": 10}})
    assert {e["field"] for e in missing.json()["errors"]} == {"plays"}
    unknown = _post(client, survey, {"municipality": "XX", "answers": {"plays": "no", "age": 9}})
    assert unknown.status_code == 400
    elsewhere = _post(
        client, survey, {"municipality": "KZ-PAV-PAVLODAR", "answers": {"plays": "no", "age": 9}}
    )
    assert elsewhere.status_code == 409
    assert SurveyResponse.objects.count() == 1


def test_an_answer_of_the_wrong_json_type_is_refused_not_stored(client, geography):
    survey = survey_make()
    body = {"municipality": TOWN, "answers": {"plays": "no", "age": [9], "why": {"a": 1}}}
    response = _post(client, survey, body)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"age", "why"}
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_refuses_answers_with_409(client, geography):
    survey = services.survey_close(survey_make(), actor=None)
    response = _post(client, survey, {"municipality": TOWN, "answers": {"plays": "no", "age": 9}})
    assert response.status_code == 409


def test_over_the_daily_limit_the_api_answers_429(client, geography, settings):
    settings.VOICE_DAILY_LIMITS = {"survey": 2}
    survey = survey_make()
    body = {"municipality": TOWN, "answers": {"plays": "no", "age": 9}}
    codes = [_post(client, survey, body).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_results_are_suppressed_and_never_hold_written_answers(client, geography):
    survey = survey_make()
    town = Municipality.objects.get(code=TOWN)
    rows = [{"plays": "yes", "age": 10}] * 8 + [{"plays": "no", "age": 9, "why": "secret"}] * 2
    for row in rows:
        SurveyResponse.objects.create(
            survey=survey, municipality=town, answers=row, received_on="2026-05-01", source="web"
        )
    body = client.get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert body["respondents"] == 10
    plays = next(q for q in body["periods"][0]["questions"] if q["name"] == "plays")
    assert plays["counts"]["no"] is None and "no" in plays["suppressed"]
    assert plays["counts"]["yes"] is None  # else 10 − 8 would give the 2 back
    assert "secret" not in json.dumps(body)
    few = survey_make()
    SurveyResponse.objects.create(
        survey=few, municipality=town, answers={"plays": "no"}, received_on="2026-05-01",
        source="web",
    )  # fmt: skip
    assert client.get(f"/api/v1/surveys/{few.pk}/results").json() == {
        "id": few.pk,
        "respondents": None,
        "threshold": 5,
        "periods": [],
    }
