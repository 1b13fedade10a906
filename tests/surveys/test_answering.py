"""A child answers on the platform's own page: no JavaScript, one question per step, the
relevance decided on the server, nothing kept about the child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from meirim.geography.models import Municipality
from meirim.surveys import services
from meirim.surveys.models import Survey, SurveyResponse
from tests.surveys.helpers import TOWN, survey_make

pytestmark = pytest.mark.django_db


def _url(survey, town=TOWN, lang="en"):
    with translation.override(lang):
        return reverse("surveys:answer", args=[survey.pk, town])


def _step(client, url, **data):
    response = client.post(url, {"go": "next", **data})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(url)


def test_a_relevance_dependent_question_is_asked_or_skipped(geography):
    survey = survey_make()
    client = Client()
    url = _url(survey)
    page = client.get(url).content.decode()
    assert "Hello" in page and "Do you play?" in page
    # "yes" → the select_multiple about things is asked; the "why not" never is.
    page = _step(client, url, answer="yes").content.decode()
    assert "What?" in page
    page = _step(client, url, answer=["ball", "slide"]).content.decode()
    assert "Age?" in page
    page = _step(client, url, answer="12").content.decode()
    assert "Why not?" not in page and "Send my answers" in page
    response = client.post(url, {"go": "send"})
    assert response.status_code == 302
    assert "Thank you" in client.get(url).content.decode()
    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.answers == {"plays": "yes", "things": ["ball", "slide"], "age": 12}

    # "no" at 12 → the things are skipped, the "why not" is asked.
    other = Client()
    page = _step(other, url, answer="no").content.decode()
    assert "What?" not in page and "Age?" in page
    page = _step(other, url, answer="12").content.decode()
    assert "Why not?" in page
    page = _step(other, url, answer="Too far").content.decode()
    other.post(url, {"go": "send"})
    assert SurveyResponse.objects.filter(survey=survey).count() == 2
    assert SurveyResponse.objects.last().answers == {"plays": "no", "age": 12, "why": "Too far"}


def test_going_back_and_changing_an_answer_drops_what_is_no_longer_asked(geography):
    survey = survey_make()
    client = Client()
    url = _url(survey)
    _step(client, url, answer="yes")
    _step(client, url, answer=["ball"])
    client.post(url, {"go": "back"})
    client.post(url, {"go": "back"})
    page = client.get(url).content.decode()
    assert "Do you play?" in page
    _step(client, url, answer="no")
    _step(client, url, answer="20")
    client.post(url, {"go": "send"})
    assert SurveyResponse.objects.get().answers == {"plays": "no", "age": 20}


def test_required_and_whole_number_answers_are_checked_in_the_childs_language(geography):
    survey = survey_make()
    client = Client()
    url = _url(survey, lang="ru")
    response = client.post(url, {"go": "next", "answer": ""})
    assert response.status_code == 200
    assert "Играешь?" in response.content.decode()
    _step(client, url, answer="no")
    response = client.post(url, {"go": "next", "answer": "twelve"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    response = client.post(url, {"go": "next", "answer": "40"})  # the constraint: 5–24
    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_nothing_about_the_child_is_stored(geography):
    survey = survey_make()
    client = Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="CheapPhone/1.0")
    url = _url(survey)
    _step(client, url, answer="no")
    _step(client, url, answer="9")
    _step(client, url, answer="")
    client.post(url, {"go": "send"})
    stored = SurveyResponse.objects.get()
    values = [str(getattr(stored, f.attname)) for f in SurveyResponse._meta.concrete_fields]
    assert not any("203.0.113.9" in v or "CheapPhone" in v for v in values)
    assert stored.received_on == timezone.localdate()
    assert isinstance(stored.received_on, dt.date) and not isinstance(
        stored.received_on, dt.datetime
    )
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {
        "id", "survey", "municipality", "answers", "received_on", "source",
    }  # fmt: skip


def test_over_the_daily_limit_the_child_gets_a_friendly_429(geography, settings):
    settings.VOICE_DAILY_LIMITS = {"survey": 1}
    survey = survey_make()
    for expected in (302, 429):
        client = Client()
        url = _url(survey)
        _step(client, url, answer="no")
        _step(client, url, answer="9")
        _step(client, url, answer="")
        response = client.post(url, {"go": "send"})
        assert response.status_code == expected
    assert "tomorrow" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_draft_or_closed_survey_takes_no_answer(geography):
    draft = survey_make(publish=False)
    assert Client().get(_url(draft)).status_code == 404
    closed = services.survey_close(survey_make(), actor=None)
    page = Client().get(_url(closed)).content.decode()
    assert "not open for answers" in page
    later = survey_make(opens_on=timezone.localdate() + dt.timedelta(days=3))
    assert "not open for answers" in Client().get(_url(later)).content.decode()


def test_a_national_survey_is_answered_for_a_chosen_city(geography):
    survey = survey_make(municipality=None)
    client = Client()
    with translation.override("en"):
        choose = reverse("surveys:choose", args=[survey.pk])
    response = client.get(choose, {"municipality": "KZ-PAV-PAVLODAR"})
    assert response.status_code == 302
    url = response["Location"]
    _step(client, url, answer="no")
    _step(client, url, answer="15")
    _step(client, url, answer="")
    client.post(url, {"go": "send"})
    assert SurveyResponse.objects.get().municipality == Municipality.objects.get(
        code="KZ-PAV-PAVLODAR"
    )
    # A city's own survey is not answered for another city.
    own = survey_make()
    assert Client().get(_url(own, "KZ-PAV-PAVLODAR")).status_code == 404
    assert Survey.objects.count() == 2
