"""The demo's portfolio content: Pavlodar submitted with feedback, Kokshetau a draft."""

from __future__ import annotations

import pytest

from meirim.geography.models import Municipality
from meirim.portfolio import steps
from meirim.portfolio.demo import demo_populate
from meirim.portfolio.models import Portfolio, StepFeedback
from tests.portfolio import builders

pytestmark = pytest.mark.django_db


def test_demo_stages_and_idempotence(geography, catalogue):
    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    builders.complete(pavlodar)
    demo_populate(pavlodar, complete=True)
    demo_populate(pavlodar, complete=True)
    portfolio = Portfolio.objects.get(municipality=pavlodar)
    assert portfolio.state == "feedback_received"
    assert portfolio.versions.count() == 1
    assert StepFeedback.objects.filter(version__portfolio=portfolio).count() == 3
    assert StepFeedback.objects.filter(requests_changes=True).count() == 1
    assert StepFeedback.objects.exclude(reply="").count() == 1
    assert steps.programme(pavlodar).status == steps.PHASE1_FEEDBACK_RECEIVED

    kokshetau = builders.town()
    demo_populate(kokshetau, complete=False)
    demo_populate(kokshetau, complete=False)
    draft = Portfolio.objects.get(municipality=kokshetau)
    assert draft.state == "draft" and draft.introduction.startswith("Кокшетау")
    assert steps.programme(kokshetau).status == steps.PHASE1_IN_PREPARATION


def test_demo_without_the_other_apps_content_still_shows_a_submitted_portfolio(
    geography, catalogue
):
    pavlodar = Municipality.objects.get(code="KZ-PAV-PAVLODAR")
    demo_populate(pavlodar, complete=True)
    assert Portfolio.objects.get(municipality=pavlodar).state == "feedback_received"
