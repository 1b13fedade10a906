"""Every Phase 1 page, filled with the demonstration data, on a 390 px phone in Kazakh and
Russian: axe-core finds no violation and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from meirim.facilities.models import Facility
from meirim.participation.models import Activity
from meirim.planning.models import Action
from tests.browser import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "meirim-demo-2026"
DONE = "KZ-PAV-PAVLODAR"  # Phase 1 complete, portfolio submitted, feedback received
STARTED = "KZ-AKM-KOKSHETAU"  # mid-preparation


def _city_pages(code: str) -> list[str]:
    city = f"/preparation/{code}"
    facility = Facility.objects.filter(municipality__code=code).first()
    action = Action.objects.filter(municipality__code=code).order_by("code").first()
    activity = Activity.objects.filter(municipality__code=code).first()
    pages = [
        f"{city}/progress/",
        f"{city}/council/",
        f"{city}/council/members/add/",
        f"{city}/governance/",
        f"{city}/governance/2026/",
        f"{city}/governance/2026/?section=GS-II.3",
        f"{city}/facilities/",
        f"{city}/facilities/map/",
        f"{city}/facilities/import/",
        f"{city}/strategy/",
        f"{city}/actions/",
        f"{city}/actions/add/",
        f"{city}/actions/timeline/",
        f"{city}/participation/",
        f"{city}/participation/add/",
        f"{city}/participation/evidence/",
        f"{city}/budget/",
        f"{city}/budget/lines/add/",
        f"{city}/portfolio/",
    ]
    if facility is not None:
        pages.append(f"{city}/facilities/{facility.pk}/")
    if action is not None:
        pages.append(f"{city}/actions/{action.code}/")
    if activity is not None:
        pages.append(f"{city}/participation/{activity.pk}/")
    return pages


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_phase1_pages_are_accessible_and_fit_a_phone(live_server, browser, catalogue, lang):
    call_command("demo_setup", force=True)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    # Public: the submitted version, the children's budget page, the city's page.
    for path in [
        f"/preparation/{DONE}/portfolio/v1/",
        f"/preparation/{DONE}/budget/children/",
        f"/municipalities/{DONE}/",
    ]:
        if found := support.problems(page, f"{base}/{lang}{path}"):
            problems[path] = found
    support.log_in(page, base, "pavlodar", PASSWORD)
    for path in [*_city_pages(DONE), f"/preparation/{DONE}/governance/2025/report/"]:
        if found := support.problems(page, f"{base}/{lang}{path}"):
            problems[path] = found
    context.clear_cookies()
    support.log_in(page, base, "coordinator", PASSWORD)
    for path in _city_pages(STARTED):
        if found := support.problems(page, f"{base}/{lang}{path}"):
            problems[path] = found
    context.clear_cookies()
    support.log_in(page, base, "council", PASSWORD)
    for path in ["/preparation/", f"/preparation/{DONE}/portfolio/v1/"]:
        if found := support.problems(page, f"{base}/{lang}{path}"):
            problems[path] = found
    context.close()
    assert problems == {}
