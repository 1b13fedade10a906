"""The strategy and action plan pages in Chromium: no axe-core violations, and on a 390 px
phone no sideways scrolling of the page (the timeline scrolls inside its own region)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from meirim.geography.models import Municipality
from meirim.planning.demo import demo_populate
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "KZ-AKM-KOKSHETAU"
PATHS = [
    "/{lang}/preparation/" + CITY + "/strategy/",
    "/{lang}/preparation/" + CITY + "/actions/",
    "/{lang}/preparation/" + CITY + "/actions/add/",
    "/{lang}/preparation/" + CITY + "/actions/7.1.a/",
    "/{lang}/preparation/" + CITY + "/actions/timeline/",
]


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
        for v in results.response["violations"]
    ]


def test_planning_pages_are_accessible_and_fit_a_phone(live_server, browser, users, catalogue):
    demo_populate(Municipality.objects.get(code=CITY), complete=True)
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/en/accounts/login/")
    page.fill("#id_username", users["city_coordinator"].username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    problems: dict[str, object] = {}
    for lang in ("kk", "ru"):
        for path in PATHS:
            url = path.format(lang=lang)
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, url
            found = _violations(page)
            width, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if width > inner:
                wide = page.evaluate(
                    "Array.from(document.querySelectorAll('body *')).filter(e => "
                    "e.getBoundingClientRect().right > window.innerWidth)"
                    ".slice(-5).map(e => e.outerHTML.slice(0, 120))"
                )
                found.append(f"page scrolls sideways: {width} > {inner}: {wide}")
            if found:
                problems[url] = found
    context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
