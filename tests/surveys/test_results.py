"""Results: counts, charts and small-group suppression; written answers never public."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meirim.geography.models import Municipality
from meirim.surveys.models import SurveyResponse
from meirim.surveys.selectors import NO_ANSWER, survey_results
from tests.surveys.helpers import TOWN, playground_make, survey_make

pytestmark = pytest.mark.django_db


def _answer(survey, *rows):
    town = Municipality.objects.get(code=TOWN)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, municipality=town, answers=row, received_on="2026-05-01", source="web"
        )
        for row in rows
    )


def _results_page(survey):
    with translation.override("en"):
        url = reverse("surveys:results", args=[survey.pk])
    return Client().get(url).content.decode()


def _tables(survey):
    outcome = survey_results(survey)
    return {q.question["name"]: q for q in outcome.periods[0].questions}, outcome


def test_fewer_than_five_respondents_show_only_fewer_than_five(geography):
    survey = survey_make()
    _answer(survey, *[{"plays": "yes", "age": 10}] * 4)
    outcome = survey_results(survey)
    assert outcome.too_few and outcome.respondents is None and outcome.periods == []
    page = _results_page(survey)
    assert "Fewer than 5" in page and "<svg" not in page


def test_counts_are_charted_with_a_table_alternative(geography):
    survey = survey_make()
    _answer(survey, *[{"plays": "yes", "things": ["ball"], "age": 10}] * 6,
            *[{"plays": "no", "age": 12, "why": "Call me on +7 701 123 4567"}] * 6)  # fmt: skip
    tables, outcome = _tables(survey)
    assert outcome.respondents == 12
    assert tables["plays"].table.cells == {"yes": 6, "no": 6, NO_ANSWER: 0}
    assert tables["age"].mean == 11.0
    page = _results_page(survey)
    assert page.count("<svg") == 3  # plays, things, age; never the written answers
    assert "<caption>Answers: Do you play?</caption>" in page
    assert "Call me" not in page and "701" not in page


def test_a_small_cell_cannot_be_recovered_from_the_respondents(geography):
    """Differencing: the question's shown counts against the survey's respondents."""
    survey = survey_make()
    _answer(survey, *[{"plays": "yes", "things": ["ball"], "age": 10}] * 10,
            *[{"plays": "no", "age": 12}] * 2)  # fmt: skip
    tables, outcome = _tables(survey)
    plays = tables["plays"].table
    assert plays.cells["no"] is None
    shown = [v for v in plays.cells.values() if v is not None]
    # 12 respondents are shown; the attacker subtracts every shown cell of "plays".
    recovered = outcome.respondents - sum(shown)
    assert recovered != 2 or sum(v is None for v in plays.cells.values()) > 1
    assert plays.cells[NO_ANSWER] == 0  # zero is shown, tells nothing
    # Skipping "things" (2 children) is not given away by its table against the respondents.
    things = tables["things"].table
    assert things.cells[NO_ANSWER] is None
    assert things.cells["ball"] == 10 and things.total == 12


def test_a_select_multiple_is_not_additive_and_its_small_cells_are_hidden(geography):
    survey = survey_make()
    _answer(survey, *[{"plays": "yes", "things": ["ball", "swing"], "age": 10}] * 6,
            *[{"plays": "yes", "things": ["slide"], "age": 10}] * 3)  # fmt: skip
    tables, _outcome = _tables(survey)
    things = tables["things"].table
    assert things.cells == {"ball": 6, "swing": 6, "slide": None, NO_ANSWER: 0}
    assert things.total == 9


def test_the_manager_reads_written_answers_redacted(users, geography):
    survey = survey_make()
    _answer(survey, *[{"plays": "no", "age": 12, "why": "Call me on +7 701 123 4567"}] * 6)
    private = survey_results(survey, private=True).periods[0].questions
    texts = next(q.texts for q in private if q.question["name"] == "why")
    assert texts and all("701" not in text for text in texts)
    client = Client()
    client.force_login(users["city_coordinator"])
    with translation.override("en"):
        url = reverse("surveys:detail", args=[TOWN, survey.pk])
    page = client.get(url).content.decode()
    assert "Call me on" in page and "701 123" not in page
    public = survey_results(survey).periods[0].questions
    assert all(q.texts == [] for q in public)


def test_before_and_after_are_shown_side_by_side(geography):
    survey = playground_make()
    _answer(survey, *[{"period": "before", "rating": "2", "age": 10}] * 6,
            *[{"period": "after", "rating": "5", "age": 10}] * 7,
            *[{"period": "after", "rating": "4", "age": 11}] * 2,
            *[{"period": "after", "rating": "3", "age": 12}] * 6)  # fmt: skip
    outcome = survey_results(survey)
    assert [p.code for p in outcome.periods] == ["before", "after"]
    assert [p.respondents for p in outcome.periods] == [6, 15]
    after = {q.question["name"]: q for q in outcome.periods[1].questions}
    assert after["rating"].table.cells["5"] == 7
    assert after["rating"].table.cells["4"] is None  # 2 children
    assert after["rating"].table.cells["3"] is None  # hidden with it: not derivable
    before = {q.question["name"]: q for q in outcome.periods[0].questions}
    assert before["rating"].table.cells["2"] == 6
    page = _results_page(survey)
    assert "Before the change" in page and "After the change" in page


def test_no_mean_beside_a_distribution_with_hidden_values(geography):
    """Differencing by the mean: mean × respondents is the sum of the values, which with the
    shown cells would give a hidden value back (here 6 × 10 + 2 × 14 = 88, 88 / 8 = 11.0)."""
    survey = survey_make()
    _answer(survey, *[{"plays": "yes", "age": 10}] * 6, *[{"plays": "no", "age": 14}] * 2)
    tables, _outcome = _tables(survey)
    assert tables["age"].table.cells["14"] is None
    assert tables["age"].mean is None
    assert "Average" not in _results_page(survey)
