"""Children's suggestions as participation evidence P8 / P9 of the Phase 1 portfolio and of
the recognition portfolio: summaries only, every figure suppressed."""

from __future__ import annotations

import pytest
from django.test import Client

from meirim.accounts.models import Role
from meirim.geography.models import Municipality
from meirim.participation.selectors import participation_evidence
from meirim.planning.models import Action
from meirim.portfolio.assembly import portfolio_assemble
from meirim.recognition.assembly import portfolio_assemble as recognition_assemble
from meirim.voice import services
from meirim.voice.models import Suggestion
from tests.recognition.factories import application_make, cycle_make

TOWN = "KZ-AKM-KOKSHETAU"

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(geography, catalogue):
    town = Municipality.objects.get(code=TOWN)
    action = Action.objects.create(municipality=town, code="3.1.a", title="Lights in the yards")
    for n in range(10):
        suggestion = services.suggestion_submit(municipality=town, text=f"Idea {n}")
        Suggestion.objects.filter(pk=suggestion.pk).update(
            state=Suggestion.State.PUBLISHED,
            public_text=f"Idea {n}",
            answer="Thank you",
            outcome="planned" if n < 5 else "answered",
            linked_action=action if n < 5 else None,
        )
    # Never counted: held, and a safeguarding concern.
    services.suggestion_submit(municipality=town, text="Call 87011234567")
    concern = services.suggestion_submit(municipality=town, text="Help")
    Suggestion.objects.filter(pk=concern.pk).update(
        safeguarding=True, state=Suggestion.State.PUBLISHED, outcome="answered"
    )
    return town


def test_participation_evidence_p8_p9_carry_the_suppressed_summary(answered):
    items = {item.code: item for item in participation_evidence(answered, public=True)}
    p8 = items["P8"].figures["suggestions"]
    assert (p8["published"], p8["answered"]) == (10, 10)
    assert p8["by_outcome"]["counts"]["planned"] == 5
    assert p8["by_outcome"]["counts"]["answered"] == 5
    assert p8["by_outcome"]["counts"]["done"] == 0
    assert items["P8"].status == "derived" and items["P9"].status == "derived"
    assert items["P9"].figures["suggestions"]["actions_planned"] is None  # one action


def test_the_phase1_portfolio_shows_the_summary_in_p8_p9(answered, users):
    content = portfolio_assemble(answered)
    evidence = {e["code"]: e for e in content["part_b"]["participation"]["evidence"]}
    assert evidence["P8"]["suggestions"]["answered"] == 10
    assert evidence["P9"]["suggestions"]["actions_planned"] is None
    client = Client()
    client.force_login(users[Role.CITY_COORDINATOR])
    page = client.get(f"/en/preparation/{TOWN}/participation/evidence/").content.decode()
    assert "Children's suggestions: 10 published, 10 answered." in page
    assert "Actions planned from children's suggestions: fewer than 5." in page


def test_the_recognition_portfolio_carries_the_summary(answered):
    application = application_make(cycle_make(), TOWN)
    content = recognition_assemble(application)
    assert content["participation"]["suggestions"]["published"] == 10
    assert content["participation"]["suggestions"]["actions_planned"] is None
