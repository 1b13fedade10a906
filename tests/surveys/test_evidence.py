"""A survey that evaluates an action or a facility is offered as impact evidence in the
recognition portfolio, and counts toward its readiness."""

from __future__ import annotations

import pytest
from django.utils import translation

from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.recognition.assembly import portfolio_assemble
from meirim.recognition.models import Criterion
from meirim.recognition.readiness import readiness
from meirim.surveys.models import SurveyResponse
from tests.recognition.factories import application_make, cycle_make
from tests.surveys.helpers import TOWN, playground_make

pytestmark = pytest.mark.django_db


def _answers(survey, town):
    rows = [{"period": "before", "rating": "2", "age": 10}] * 6 + [
        {"period": "after", "rating": "5", "age": 10}
    ] * 6
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, municipality=town, answers=row, received_on="2026-05-01", source="web"
        )
        for row in rows
    )


def _sources(application, kind):
    return [s for row in readiness(application).criteria for s in row.sources if s.kind == kind]


def test_surveys_of_an_action_and_a_facility_are_impact_evidence(catalogue, geography):
    town = Municipality.objects.get(code=TOWN)
    action = Action.objects.create(
        municipality=town, code="7.1.a", title="Renovate the playground", status="done"
    )
    facility = Facility.objects.create(
        municipality=town, name="Central park", kind="play", availability="available",
        audited_on="2026-04-01",
    )  # fmt: skip
    cycle = cycle_make()
    Criterion.objects.filter(cycle=cycle).update(uses_strategy_impact=True, uses_facilities=True)
    application = application_make(cycle, TOWN)
    assert all(s.done == 0 for s in _sources(application, "strategy_impact"))
    assert all(s.done == 0 for s in _sources(application, "facilities"))

    on_action = playground_make(action=action, title="Playground (action)")
    on_facility = playground_make(facility=facility, title="Playground (park)")
    _answers(on_action, town)
    _answers(on_facility, town)

    with translation.override("en"):
        content = portfolio_assemble(application)
    item = next(i for i in content["actions"]["items"] if i["code"] == "7.1.a")
    assert "Playground (action)" in item["impact"] and "2.0 → 5.0 of 5" in item["impact"]
    assert item["surveys"][0]["before"] == 2.0 and item["surveys"][0]["after"] == 5.0
    park = next(i for i in content["facilities"]["items"] if i["name"] == "Central park")
    assert "Playground (park)" in park["children_said"]
    assert park["surveys"][0]["respondents"] == 12
    assert all(s.done == 1 for s in _sources(application, "strategy_impact"))
    assert all(s.done == 1 for s in _sources(application, "facilities"))
