"""The council's pages and the public registry, through HTTP."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from meirim.accounts.models import Role
from meirim.geography.models import Municipality
from meirim.recognition.models import (
    Application,
    CouncilMember,
    Criterion,
    Cycle,
    Decision,
    DecisionReason,
    Level,
    Recognition,
)
from tests.recognition.factories import TOWN, application_make, cycle_make, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _cycle_form(**changes):
    base = today()
    values = {
        "name": "2027–2029",
        "starts_on": base,
        "eoi_deadline": base + 30 * DAY,
        "portfolio_deadline": base + 120 * DAY,
        "community_report_deadline": base + 150 * DAY,
        "decision_date": base + 200 * DAY,
        "cycle_months": 24,
        "level1_months": 24,
        "level2_months": 48,
        "min_assessment_months": 12,
        "community_review_days": 30,
        "level1_threshold": "50",
        "level2_threshold": "75",
        "disagreement_points": 2,
    }
    values.update(changes)
    return values


def test_the_roster_is_public_and_edited_by_the_council(users):
    council = _as(users[Role.NATIONAL_COUNCIL])
    answer = council.post(
        "/en/recognition/council/",
        {"name": "Dana K.", "constituency": "unicef", "organisation": "UNICEF Kazakhstan"},
    )
    assert answer.status_code == 302
    member = CouncilMember.objects.get()
    public = Client().get("/ru/recognition/council/").content.decode()
    assert "Dana K." in public and "UNICEF Kazakhstan" in public
    assert 'name="constituency"' not in public
    assert Client().post("/en/recognition/council/", {"name": "X"}).status_code == 302
    assert (
        _as(users[Role.CITY_COORDINATOR])
        .post("/en/recognition/council/", {"name": "X", "constituency": "ngo"})
        .status_code
        == 403
    )
    council.post(f"/en/recognition/council/{member.pk}/", {"remove": "1"})
    assert not CouncilMember.objects.exists()


def test_a_bad_cycle_is_refused_on_the_page_in_the_readers_language(users):
    council = _as(users[Role.NATIONAL_COUNCIL])
    answer = council.post(
        "/ru/recognition/cycles/new/",
        _cycle_form(level2_months=60, portfolio_deadline=today() + 10 * DAY, name="Мой цикл"),
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "R-6.10" in page and "Мой цикл" in page  # the reason, and nothing lost
    assert not Cycle.objects.exists()


def test_the_council_creates_a_cycle_adds_criteria_and_opens_the_call(users, catalogue):
    council = _as(users[Role.NATIONAL_COUNCIL])
    answer = council.post("/en/recognition/cycles/new/", _cycle_form(ends_on=""))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    cycle = Cycle.objects.get()
    assert cycle.ends_on is not None
    refused = council.post(
        f"/en/recognition/cycles/{cycle.pk}/criteria/",
        {"code": "K1", "order": 1, "name_en": "Heard", "indicators": "I01, I77",
         "scale_max": 4, "weight": 1},
    )  # fmt: skip
    assert refused.status_code == 200 and "I77" in refused.content.decode()
    added = council.post(
        f"/en/recognition/cycles/{cycle.pk}/criteria/",
        {"code": "K1", "order": 1, "name_en": "Heard", "indicators": "I01",
         "participation_evidence": "P1 P2", "scale_max": 4, "weight": 1},
    )  # fmt: skip
    assert added.status_code == 302
    assert Client().get(f"/en/recognition/cycles/{cycle.pk}/").status_code == 404
    council.post(f"/en/recognition/cycles/{cycle.pk}/transition/", {"action": "open_call"})
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.CALL_OPEN
    public = Client().get(f"/en/recognition/cycles/{cycle.pk}/").content.decode()
    assert "Heard" in public and "Published with the call" in public
    from meirim.catalogue.models import Indicator

    indicator = Indicator.objects.filter(code="I01").order_by("-version_id").first()
    assert indicator.name_en.split()[0] in public  # the indicator's name, not only its code
    item = Criterion.objects.get()
    frozen = council.post(
        f"/en/recognition/cycles/{cycle.pk}/criteria/{item.pk}/",
        {"code": "K1", "order": 1, "name_en": "Changed", "scale_max": 4, "weight": 1},
    )
    assert frozen.status_code == 409
    item.refresh_from_db()
    assert item.name_en == "Heard"


def test_a_refused_transition_is_shown_with_its_reason(users):
    council = _as(users[Role.NATIONAL_COUNCIL])
    cycle = cycle_make(Cycle.State.DRAFT, criteria=0)
    answer = council.post(
        f"/kk/recognition/cycles/{cycle.pk}/transition/", {"action": "open_call"}, follow=True
    )
    assert answer.status_code == 200
    assert 'class="message error"' in answer.content.decode()


def test_registry_city_page_badge_and_decision_summary(users, geography):
    town = Municipality.objects.get(code=TOWN)
    cycle = cycle_make(Cycle.State.DECISIONS_PUBLISHED)
    application = application_make(cycle, TOWN, Application.State.DECIDED)
    decision = Decision.objects.create(
        application=application, level=Level.L1, reasons="Children shape the budget.",
        recommendations="Open more youth centres.", decided_on=today(),
    )  # fmt: skip
    DecisionReason.objects.create(
        decision=decision, criterion=cycle.criteria.first(), reason="Strong evidence."
    )
    Recognition.objects.create(
        municipality=town, cycle=cycle, decision=decision, level=Level.L1,
        granted_on=today(), expires_on=today() + 730 * DAY,
    )  # fmt: skip
    registry = Client().get("/ru/recognition/").content.decode()
    assert cycle.name in registry
    city = Client().get(f"/ru/municipalities/{TOWN}/").content.decode()
    assert "RECOGNISED_L1" in city and f"/ru/recognition/badge/{TOWN}.svg" in city
    assert "&lt;img src=" in city  # the snippet to embed the badge
    badge = Client().get(f"/kk/recognition/badge/{TOWN}.svg")
    assert badge.status_code == 200 and badge["Content-Type"].startswith("image/svg+xml")
    assert "max-age" in badge["Cache-Control"]
    svg = badge.content.decode()
    assert "<title" in svg and 'role="img"' in svg and TOWN not in svg
    assert str((today() + 730 * DAY).year) in svg
    assert Client().get("/en/recognition/badge/KZ-PAV-PAVLODAR.svg").status_code == 404
    summary = Client().get(f"/en/recognition/decisions/{application.pk}/").content.decode()
    assert "Children shape the budget." in summary and "Strong evidence." in summary
    assert "Open more youth centres." in summary
    home = Client().get("/en/").content.decode()
    assert "Recognised cities" in home


def test_an_undecided_application_has_no_public_summary(geography):
    application = application_make(cycle_make(), TOWN)
    assert Client().get(f"/en/recognition/decisions/{application.pk}/").status_code == 404


def test_while_the_call_is_open_the_page_changes_only_the_dates(users):
    council = _as(users[Role.NATIONAL_COUNCIL])
    cycle = cycle_make(Cycle.State.CALL_OPEN)
    later = cycle.eoi_deadline + 7 * DAY
    form = _cycle_form(
        name="Renamed", starts_on=cycle.starts_on, eoi_deadline=later,
        portfolio_deadline=cycle.portfolio_deadline,
        community_report_deadline=cycle.community_report_deadline,
        decision_date=cycle.decision_date, level1_threshold="10",
    )  # fmt: skip
    answer = council.post(f"/en/recognition/cycles/{cycle.pk}/edit/", form)
    assert answer.status_code == 302
    cycle.refresh_from_db()
    assert cycle.eoi_deadline == later
    assert cycle.name == "2026–2028" and cycle.level1_threshold == 50  # disabled: ignored
    closed = cycle_make(Cycle.State.CLOSED)
    assert council.post(f"/en/recognition/cycles/{closed.pk}/edit/", form).status_code == 409
