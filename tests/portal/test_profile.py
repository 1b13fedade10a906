"""The city's public profile and its easy-read version: only public facts, in plain words."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from meirim.planning.models import Action
from meirim.recognition.decisions import decide
from meirim.recognition.models import Application, CommunityReport
from tests.factories import user_with_role
from tests.portfolio import builders
from tests.recognition.factories import application_make, cycle_make

TOWN = "KZ-AKM-KOKSHETAU"
LANGS = ["kk", "ru", "en", "ky"]


def _plan(m, statuses):
    for n, status in enumerate(statuses):
        Action.objects.create(
            municipality=m, code=f"9.{n}", title=f"Действие {n}", status=status,
            starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2030, 1, 1),
        )  # fmt: skip


@pytest.fixture
def decided_town(cfci, users):
    """Kokshetau recognised at Level 1, with a plan, a budget and a confidential report."""
    m = cfci["a"]
    _plan(m, ["done", "evaluated", "in_progress", "planned", "planned", "draft", "dropped"])
    builders.step7(m)
    cycle = cycle_make()
    application = application_make(
        cycle, m, Application.State.UNDER_REVIEW, community_report_received_at=timezone.now()
    )
    CommunityReport.objects.create(
        application=application, text="CONFIDENTIAL-GROUP-REPORT", submitted_at=timezone.now()
    )
    council = user_with_role("national_council", "council-profile")
    decide(application=application, level="L1", reasons="Хорошая работа", actor=council)
    return m, application


@pytest.mark.django_db
def test_profile_shows_status_level_results_plan_budget_and_downloads(client: Client, decided_town):
    _m, application = decided_town
    response = client.get(f"/en/city/{TOWN}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="RECOGNISED_L1"' in body
    assert "Recognised as a child-friendly city: Level 1" in body
    # Results of the approved years only (2025 is open): 2024 against 2023.
    assert "In 2024, compared with 2023: better in" in body
    assert "indicators were reported for 2024." in body
    assert f"/en/results/{TOWN}/" in body or f"/en/reports/{TOWN}/" in body
    # Plan: drafts and dropped actions are not public.
    assert "Of 5 actions of the plan: 2 done, 1 in progress, 2 planned." in body
    # Budget: 50 000 of 1 000 000.
    assert "In 2025, 5 of every 100 spent by the city went to children." in body
    # Downloads: the decision summary and the open data; the voice page.
    assert f"/en/recognition/decisions/{application.pk}/" in body
    assert "/en/open-data/" in body
    assert f"/en/voice/{TOWN}/you-said-we-did/" in body
    assert f'href="/en/voice/{TOWN}/"' in body
    # Never the community's confidential report, never a draft action.
    assert "CONFIDENTIAL-GROUP-REPORT" not in body
    assert "Действие 5" not in body


@pytest.mark.django_db
def test_profile_of_a_city_without_anything_says_so(client: Client, geography, catalogue):
    body = client.get("/en/city/KZ-AKM-STEPNOGORSK/").content.decode()
    assert "No approved index results are published for this city yet." in body
    assert "The city has not published an action plan yet." in body
    assert client.get("/en/city/NOPE/").status_code == 404


@pytest.mark.django_db
def test_profile_never_counts_a_draft_year(client: Client, cfci):
    """The open 2025 year (preview only) is not a public result."""
    body = client.get(f"/en/city/{TOWN}/").content.decode()
    assert "for 2025" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_easy_read_pages_in_each_language(client: Client, decided_town, lang):
    with translation.override(lang):
        heading = translation.gettext("Your rights in the city")
        right = translation.gettext("You can drink clean water and use a clean toilet.")
        level = translation.gettext("Yes! Your city is a child-friendly city. It has Level 1.")
        alt = translation.gettext("A drop of water")
    for path in (f"/{lang}/city/{TOWN}/easy/", f"/{lang}/easy/"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        assert f'<html lang="{lang}">' in body
        assert heading in body and right in body
        assert f'aria-label="{alt}"' in body
        assert body.count('role="img"') >= 11
        assert "<script" not in body.split("</header>", 1)[-1]
    body = client.get(f"/{lang}/city/{TOWN}/easy/").content.decode()
    assert level in body
    assert f'href="/{lang}/voice/{TOWN}/"' in body  # a child finds the suggestion box
    if lang != "en":
        assert "You can drink clean water" not in body  # translated, not the source


@pytest.mark.django_db
def test_the_municipality_page_and_the_home_page_lead_to_the_public_face(client: Client, geography):
    assert f'href="/en/city/{TOWN}/"' in client.get(f"/en/municipalities/{TOWN}/").content.decode()
    home = client.get("/en/").content.decode()
    assert 'href="/en/map/"' in home and 'href="/en/easy/"' in home
