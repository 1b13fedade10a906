"""A child on a 390 px phone, in Kazakh and without JavaScript, sends a suggestion and keeps
the receipt; the city's coordinator (Chromium) answers and publishes it; the child reads the
answer through the receipt form. axe-core finds nothing on the box, receipt and public pages."""

from __future__ import annotations

import pytest

from meirim.accounts.models import Role
from tests.browser import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWN = "KZ-AKM-KOKSHETAU"
PHONE = {"width": 390, "height": 844}
MESSAGE = "Саябақта кешке жарық жоқ, шам қойыңыздаршы."
ANSWER = "Рахмет! Саябаққа жаңа шамдар қоямыз."


def test_a_child_is_answered_through_the_receipt(live_server, browser, users):
    base = live_server.url
    child = browser.new_context(viewport=PHONE, locale="kk-KZ", java_script_enabled=False)
    phone = child.new_page()
    phone.goto(f"{base}/kk/voice/{TOWN}/")
    assert phone.locator("html").get_attribute("lang") == "kk"
    phone.fill("textarea[name=text]", MESSAGE)
    phone.check("input[name=topic][value=safety]")
    phone.check("input[name=age_band][value='10_13']")
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url("**/kk/voice/receipt/**")
    code = phone.locator(".receipt-code").inner_text().strip()
    assert len(code) == 12 and code.count("-") == 2
    assert (
        phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 1
    )

    office = browser.new_context(locale="en-US")
    desk = office.new_page()
    support.log_in(desk, base, users[Role.CITY_COORDINATOR].username)
    desk.goto(f"{base}/en/voice/{TOWN}/moderation/")
    desk.get_by_role("link", name=MESSAGE[:20]).click()
    desk.fill("#id_answer", ANSWER)
    desk.select_option("#id_outcome", "answered")
    desk.check("input[name=publication][value=publish]")
    desk.locator("main form button[type=submit]").first.click()
    desk.wait_for_load_state()
    assert "Saved." in desk.content()
    office.close()

    phone.goto(f"{base}/kk/voice/receipt/")
    phone.fill("input[name=code]", code.replace("-", "").lower())
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url(f"**/receipt/{code}/")
    assert ANSWER in phone.content()
    child.close()

    checker = browser.new_context(viewport=PHONE, locale="kk-KZ")
    page = checker.new_page()
    for url in (
        f"{base}/kk/voice/{TOWN}/",
        f"{base}/kk/voice/receipt/{code}/",
        f"{base}/kk/voice/receipt/",
        f"{base}/kk/voice/{TOWN}/you-said-we-did/",
    ):
        assert support.problems(page, url) == [], url
    assert ANSWER in page.content()
    checker.close()
