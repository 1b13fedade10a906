"""The audit of facilities in Chromium: a coordinator adds a facility on a phone, in Russian
and Kazakh; the pages fit 390 px and axe-core finds nothing on them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from meirim.facilities.demo import demo_populate
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "KZ-AKM-KOKSHETAU"
PHONE = {"width": 390, "height": 844}


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
        for v in results.response["violations"]
    ]


def test_a_coordinator_audits_a_facility_on_a_phone(live_server, browser, users, catalogue):
    town = Municipality.objects.get(code=CITY)
    demo_populate(town, complete=False)
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    page = context.new_page()
    base = live_server.url
    _log_in(page, base, users["city_coordinator"].username)
    problems: dict[str, list[str]] = {}
    for lang in ("ru", "kk"):
        for part in ("", "add/", "import/", "map/", f"{Facility.objects.first().pk}/"):
            path = f"/{lang}/preparation/{CITY}/facilities/{part}"
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            found = _violations(page)
            width, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if width > inner:
                found.append(f"scrolls sideways: {width} > {inner}")
            if found:
                problems[path] = found
    assert problems == {}

    page.goto(base + f"/ru/preparation/{CITY}/facilities/add/")
    page.fill("#id_name", "Детская площадка во дворе")
    page.select_option("#id_kind", "play")
    page.fill("#id_latitude", "53.2810")
    page.fill("#id_longitude", "69.3850")
    page.check("input[name=target_ages][value=E]")
    page.select_option("#id_availability", "not_accessible")
    page.check("input[name=barriers][value=safety]")
    page.select_option("#id_children_rating", "2")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/facilities/" in page.url and "add" not in page.url
    added = Facility.objects.get(name="Детская площадка во дворе")
    assert added.barriers == ["safety"] and added.children_rating == 2
    page.goto(base + f"/ru/preparation/{CITY}/facilities/map/")
    assert page.locator("svg.facilities-map g.facility-point").count() == 6
    context.close()
