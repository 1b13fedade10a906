"""The coordinator's Phase 2 journey on a 390 px phone in Kazakh and Russian: applying is
refused after the deadline, then accepted; submitting the portfolio is refused while
indicators are unreported, then accepted. axe-core finds no violation on any page and
nothing scrolls sideways."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from meirim.recognition.models import Application, PortfolioSnapshot
from tests.browser import support
from tests.recognition.factories import (
    TOWN,
    cycle_make,
    group_make,
    phase1_feedback_received,
    today,
)
from tests.recognition.test_city_services import fill_indicators

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, problems: dict[str, list[str]], url: str | None = None) -> None:
    if url is not None:
        page.goto(url)
    if found := support.problems(page):
        problems[page.url] = found


def _fill_eoi(page) -> None:
    for box in page.locator("input[name=commitments]").all():
        box.check()
    page.fill("#id_signatory", "Нурлан Абенов")
    page.fill("#id_signatory_position", "Аким")
    page.fill("#id_signed_on", today().isoformat())
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_coordinator_applies_and_submits(live_server, browser, catalogue, users, lang):
    phase1_feedback_received(TOWN)
    deadline = today() - datetime.timedelta(days=3)
    late = cycle_make(name="2024–2026", eoi_deadline=deadline)
    cycle = cycle_make(name="2026–2028")
    base = f"{live_server.url}/{lang}/recognition/{TOWN}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    support.log_in(page, live_server.url, "city_coordinator")
    _check(page, problems, f"{base}/")

    # After the deadline: refused, the deadline stated, what was typed kept.
    page.goto(f"{base}/apply/{late.pk}/")
    _fill_eoi(page)
    with translation.override(lang):
        assert date_format(deadline, "DATE_FORMAT") in page.locator("main").inner_text()
    assert page.input_value("#id_signatory") == "Нурлан Абенов"
    assert not Application.objects.exists()
    _check(page, problems)

    # In time: accepted.
    page.goto(f"{base}/apply/{cycle.pk}/")
    _check(page, problems)
    _fill_eoi(page)
    application = Application.objects.get()
    app = f"{base}/applications/{application.pk}"
    page.wait_for_url(f"{app}/")
    _check(page, problems)

    # Submitting while indicators are unreported: refused, naming them.
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_url(f"{app}/")
    assert "I01" in page.locator(".messages").inner_text()
    assert not PortfolioSnapshot.objects.exists()
    _check(page, problems)
    for path in ("portfolio/", "evidence/", "attachments/", "readiness/"):
        _check(page, problems, f"{app}/{path}")

    # Once everything is stated and written: accepted and frozen.
    fill_indicators(application.municipality, 2025)
    group_make(TOWN)
    page.goto(f"{app}/portfolio/")
    page.fill("#id_introduction", "Көкшетау балаларға арналған қала.")
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{app}/evidence/")
    page.fill("#id_K1", "Дәлел 1")
    page.fill("#id_K2", "Дәлел 2")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{app}/")
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_url(f"{app}/snapshots/1/")
    assert "Дәлел 2" in page.locator("main").inner_text()
    _check(page, problems)
    context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
