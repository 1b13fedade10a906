"""The completeness of PH1.S1–S8 from the other apps' data, and the programme status."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meirim.budget.models import BudgetAnswer
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.governance.models import AssessmentRound, CoordinationCouncil, CouncilMember
from meirim.planning.models import Action
from meirim.portfolio import services, steps
from meirim.portfolio.models import Portfolio
from tests.portfolio import builders

pytestmark = pytest.mark.django_db


def _step(m: Municipality, code: str) -> steps.StepState:
    return next(s for s in steps.programme(m).steps if s.step == code)


@pytest.fixture
def town(geography, catalogue):
    return builders.town()


def test_nothing_recorded_is_not_enrolled_and_every_step_says_what_is_missing(town):
    programme = steps.programme(town)
    assert programme.status == steps.NOT_ENROLLED
    assert [s.step for s in programme.steps] == list(steps.STEPS)
    assert not any(s.complete for s in programme.steps)
    assert all(s.missing for s in programme.steps)


def test_step1_needs_chair_an_approved_member_and_the_terms_of_reference(town):
    council = CoordinationCouncil.objects.create(municipality=town)
    state = _step(town, "PH1.S1")
    assert not state.complete and len(state.missing) == 3
    assert steps.programme(town).status == steps.PHASE1_IN_PREPARATION
    council.delete()
    builders.step1(town)
    assert _step(town, "PH1.S1").complete
    CouncilMember.objects.update(status="invited")
    assert not _step(town, "PH1.S1").complete
    CouncilMember.objects.update(status="approved")
    CoordinationCouncil.objects.update(tor_responsibilities="")
    assert not _step(town, "PH1.S1").complete
    CoordinationCouncil.objects.update(tor_document="council/tor/2026/tor.pdf")
    assert _step(town, "PH1.S1").complete


def test_step2_needs_a_closed_round_with_every_question_and_both_texts(town):
    round_ = builders.step2(town, answer_all=False)
    assert not _step(town, "PH1.S2").complete
    round_.answers.all().delete()
    round_.delete()
    round_ = builders.step2(town)
    assert _step(town, "PH1.S2").complete
    AssessmentRound.objects.update(rights_summary="")
    assert not _step(town, "PH1.S2").complete
    AssessmentRound.objects.update(rights_summary="…", state="open")
    state = _step(town, "PH1.S2")
    assert not state.complete and len(state.missing) == 1


def test_step3_needs_an_approved_year_and_the_self_assessment(town):
    builders.step3(town, text="")
    assert not _step(town, "PH1.S3").complete
    Portfolio.objects.update(self_assessment="Самооценка")
    assert _step(town, "PH1.S3").complete


def test_step4_step5_step6_step7(town):
    builders.step4(town)
    assert _step(town, "PH1.S4").complete
    Facility.objects.update(availability="")
    assert not _step(town, "PH1.S4").complete

    builders.step5(town)
    assert _step(town, "PH1.S5").complete
    Action.objects.update(department="")
    assert not _step(town, "PH1.S5").complete

    builders.step6(town, rung="H3")
    assert not _step(town, "PH1.S6").complete
    builders.step6(town, rung="H4")
    assert _step(town, "PH1.S6").complete

    builders.step7(town, questions=("BQ1", "BQ2", "BQ3"))
    assert not _step(town, "PH1.S7").complete
    BudgetAnswer.objects.create(municipality=town, year=2025, code="BQ4", answer="no")
    assert _step(town, "PH1.S7").complete
    # Answers of another year than the budget's do not count.
    BudgetAnswer.objects.filter(code="BQ4").update(year=2024)
    assert not _step(town, "PH1.S7").complete


def test_status_follows_the_portfolio_and_s8_needs_the_feedback(town, users):
    builders.complete(town)
    services.portfolio_submit(municipality=town, actor=None)
    programme = steps.programme(town)
    assert programme.status == steps.PHASE1_SUBMITTED
    assert [s.complete for s in programme.steps] == [True] * 7 + [False]
    version = town.preparatory_portfolio.versions.get()
    services.feedback_add(
        version=version, step="PH1.S1", comment="Хорошо", requests_changes=False, actor=None
    )
    services.feedback_return(municipality=town, actor=None)
    programme = steps.programme(town)
    assert programme.status == steps.PHASE1_FEEDBACK_RECEIVED
    assert all(s.complete for s in programme.steps)


def test_a_handful_of_queries_for_one_city_and_for_many(town):
    builders.complete(town)
    with CaptureQueriesContext(connection) as one:
        steps.programme(town)
    assert len(one) <= 3
    with CaptureQueriesContext(connection) as many:
        programmes = steps.programmes(Municipality.objects.filter(region__code="KZ-AKM"))
    assert len(programmes) > 1
    assert len(many) <= 3
