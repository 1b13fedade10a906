"""The national council creates a cycle with a criterion and opens its call; the public
registry, the cycle and the city's page show it — on a 390 px phone in Kazakh and Russian,
with no axe-core violation and nothing scrolling sideways."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meirim.accounts.models import Role
from meirim.geography.models import Municipality
from meirim.recognition.models import Cycle, Level, Recognition
from tests.browser import support
from tests.factories import user_with_role
from tests.recognition.factories import TOWN, cycle_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_council_opens_a_call_and_the_registry_shows_statuses(
    live_server, browser, catalogue, geography, lang
):
    user_with_role(Role.NATIONAL_COUNCIL, "council-walk")
    today = timezone.localdate()
    closed = cycle_make(Cycle.State.CLOSED, name="2024–2026")
    Recognition.objects.create(
        municipality=Municipality.objects.get(code=TOWN), cycle=closed, level=Level.L1,
        granted_on=today - datetime.timedelta(days=20),
        expires_on=today + datetime.timedelta(days=700),
    )  # fmt: skip
    base = f"{live_server.url}/{lang}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: dict[str, list[str]] = {}

    for path in ["/recognition/", "/recognition/council/", "/recognition/cycles/",
                 f"/recognition/cycles/{closed.pk}/", f"/municipalities/{TOWN}/", "/"]:  # fmt: skip
        if found := support.problems(page, base + path):
            problems[path] = found
    assert "RECOGNISED_L1" in page.goto(f"{base}/municipalities/{TOWN}/").text()

    support.log_in(page, live_server.url, "council-walk")
    page.goto(base + "/recognition/cycles/new/")
    if found := support.problems(page):
        problems["cycles/new"] = found
    day = datetime.timedelta(days=1)
    page.fill("#id_name", f"2026–2028 {lang}")
    page.fill("#id_starts_on", str(today))
    page.fill("#id_eoi_deadline", str(today + 30 * day))
    page.fill("#id_portfolio_deadline", str(today + 120 * day))
    page.fill("#id_community_report_deadline", str(today + 150 * day))
    page.fill("#id_decision_date", str(today + 200 * day))
    page.fill("#id_level1_threshold", "50")
    page.fill("#id_level2_threshold", "75")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/criteria/")
    cycle = Cycle.objects.get(name=f"2026–2028 {lang}")
    if found := support.problems(page):
        problems["criteria"] = found

    page.fill("#id_code", "K1")
    page.fill("#id_name_kk", "Балалардың пікірі тыңдалады")
    page.fill("#id_name_ru", "Мнение детей учитывается")
    page.fill("#id_indicators", "I01, I02")
    page.fill("#id_participation_evidence", "P1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/criteria/")
    assert cycle.criteria.count() == 1

    page.goto(f"{base}/recognition/cycles/{cycle.pk}/")
    page.locator("main form[action$='/transition/'] button").first.click()
    page.wait_for_load_state()
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.CALL_OPEN
    if found := support.problems(page):
        problems["cycle (call open)"] = found
    for path in [f"/recognition/cycles/{cycle.pk}/edit/", "/recognition/council/"]:
        if found := support.problems(page, base + path):
            problems[path] = found
    context.close()
    assert problems == {}
