"""The map of the cities in the programme: SVG drawn on the server, and the same as a table."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meirim.recognition.decisions import decide
from meirim.recognition.models import Application
from tests.factories import user_with_role
from tests.recognition.factories import application_make, cycle_make

TOWN = "KZ-AKM-KOKSHETAU"
OTHER = "KZ-AKM-STEPNOGORSK"


@pytest.fixture
def programme(cfci):
    cycle = cycle_make()
    decided = application_make(
        cycle, TOWN, Application.State.UNDER_REVIEW, community_report_received_at=timezone.now()
    )
    decide(
        application=decided,
        level="L2",
        reasons="Очень хорошо",
        actor=user_with_role("national_council", "council-map"),
    )
    application_make(cycle, OTHER)
    return cfci


def _svg(body: str) -> str:
    return body.split('<svg class="public-map"', 1)[1].split("</svg>", 1)[0]


def _table(body: str) -> str:
    return body.split('<table class="map-table">', 1)[1].split("</table>", 1)[0]


def _groups(fragment: str, tag: str) -> dict[str, str]:
    pattern = rf'<{tag} [^>]*data-code="([^"]+)" data-group="([^"]*)"'
    if tag == "a":
        pattern = r'<a href="[^"]+" class="map-place" data-code="([^"]+)" data-group="([^"]*)"'
    return dict(re.findall(pattern, fragment))


@pytest.mark.django_db
def test_map_by_status_and_its_table_agree(client: Client, programme):
    response = client.get("/en/map/")
    assert response.status_code == 200
    body = response.content.decode()
    svg, table = _svg(body), _table(body)
    on_map, in_table = _groups(svg, "a"), _groups(table, "tr")
    assert on_map == in_table == {TOWN: "level2", OTHER: "applying"}
    # Each mark links to the city's profile and has a title; the legend is in words.
    assert f'href="/en/city/{TOWN}/"' in svg
    assert "<title>Kokshetau: Recognised: Level 2</title>" in svg
    assert "Recognised: Level 2 (1)" in body and "Applying for recognition (1)" in body
    # Cities outside the programme are not drawn.
    assert "KZ-PAV-PAVLODAR" not in body
    assert "<script" not in body.split("</header>", 1)[-1]


@pytest.mark.django_db
def test_map_by_score_colours_by_band_and_table_shows_the_scores(client: Client, programme):
    body = client.get("/en/map/?by=score&indicator=I16&year=2024").content.decode()
    svg, table = _svg(body), _table(body)
    on_map, in_table = _groups(svg, "a"), _groups(table, "tr")
    assert on_map == in_table
    # I16 in 2024: Kokshetau 60 (band 60–80), Stepnogorsk 80 (band 80–100), percentages.
    assert on_map == {TOWN: "60-80", OTHER: "80-100"}
    assert "<td>60.0</td>" in table and "<td>80.0</td>" in table
    assert "score 60 to 80 (1)" in body


@pytest.mark.django_db
def test_map_without_any_participant_says_so(client: Client, geography, catalogue):
    body = client.get("/en/map/?by=score&indicator=XX&year=abc").content.decode()
    assert "No city has joined the programme yet." in body


@pytest.mark.django_db
def test_the_map_reads_a_fixed_number_of_queries_whatever_the_number_of_cities(
    client: Client, programme
):
    client.get("/en/map/?by=score")  # warm the per-process reads
    with CaptureQueriesContext(connection) as two:
        client.get("/en/map/?by=score")
    application_make(cycle_make(name="2027–2029"), "KZ-PAV-PAVLODAR")
    application_make(cycle_make(name="2028–2030"), "KZ-AKM-KOSSHY")
    with CaptureQueriesContext(connection) as four:
        body = client.get("/en/map/?by=score").content.decode()
    assert 'data-code="KZ-PAV-PAVLODAR"' in body
    assert len(four.captured_queries) == len(two.captured_queries)
