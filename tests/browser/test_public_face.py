"""The public face with the demonstration data: the city profile, the easy-read pages and
the map, in Kazakh and Russian, on a 390 px phone and on a desktop screen. axe-core finds no
violation, nothing scrolls sideways, and the map's marks are the table's rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DONE = "KZ-PAV-PAVLODAR"  # Phase 1 complete
RECOGNISED = "KZ-ALA"  # Level 2 in the demo
PAGES = [
    f"/city/{DONE}/",
    f"/city/{RECOGNISED}/",
    f"/city/{RECOGNISED}/easy/",
    f"/city/{DONE}/easy/",
    "/easy/",
    "/map/",
    "/map/?by=score&indicator=CFCI",
]
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_public_face_is_accessible_on_a_phone_and_a_desktop(live_server, browser, catalogue, lang):
    call_command("demo_setup", force=True)
    base = live_server.url
    problems: dict[str, list[str]] = {}
    for screen, viewport in SCREENS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for path in PAGES:
            if found := support.problems(page, f"{base}/{lang}{path}"):
                problems[f"{screen} {path}"] = found
        context.close()
    assert not problems, problems


def test_the_map_draws_the_cities_of_its_table_with_links(live_server, browser, catalogue):
    call_command("demo_setup", force=True)
    context = browser.new_context(viewport=SCREENS["phone"])
    page = context.new_page()
    page.goto(f"{live_server.url}/ru/map/")
    marks = page.locator("svg.public-map a.map-place")
    rows = page.locator("table.map-table tbody tr")
    assert marks.count() >= 5
    assert sorted(marks.evaluate_all("els => els.map(e => e.dataset.code)")) == sorted(
        rows.evaluate_all("els => els.map(e => e.dataset.code)")
    )
    # A mark is a link to the city's profile, which states the same status.
    mark = page.locator(f'svg.public-map a.map-place[data-code="{RECOGNISED}"]')
    group = mark.get_attribute("data-group")
    mark.click()
    page.wait_for_url(f"**/ru/city/{RECOGNISED}/")
    assert page.locator("[data-status]").count() == 1
    # The easy-read page reads in Russian, with pictures that have their text.
    page.goto(f"{live_server.url}/ru/city/{RECOGNISED}/easy/")
    assert page.get_by_text("Эта страница для детей.").count() == 1
    if group == "level2":
        assert page.get_by_text("Да! Твой город — город, дружественный детям.").count() == 1
    assert page.locator('svg.easy-picture[role="img"][aria-label]').count() >= 16
    context.close()
