"""The main journeys in a real browser: language, log in per role, keyboard access."""

from __future__ import annotations

import pytest

from meirim.accounts.models import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_language_without_javascript(live_server, browser, geography, catalogue):
    # JavaScript off: the switcher is a plain form.
    context = browser.new_context(locale="kk-KZ", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.url.endswith("/kk/")
    page.select_option("#language-select", "ru")
    page.locator(".language button").click()
    page.wait_for_url("**/ru/**")
    assert page.locator("html").get_attribute("lang") == "ru"
    # The choice is remembered: the bare address now opens in Russian.
    page.goto(live_server.url + "/")
    assert page.url.endswith("/ru/")
    page.goto(live_server.url + "/ru/catalogue/2026.1/")
    assert page.locator("h2#C1").is_visible()
    context.close()


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        (Role.CITY_COORDINATOR, "See your municipality's page", "Browse the audit log"),
        (Role.NATIONAL_ADMIN, "Browse the audit log", "See your municipality's page"),
        (Role.REGION_OFFICER, "See the municipalities of your region", "Browse the audit log"),
    ],
)
def test_role_sees_what_it_may_do(live_server, page, users, catalogue, role, sees, does_not_see):
    page.goto(live_server.url + "/en/accounts/login/")
    page.fill("#id_username", users[role.value].username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.url.endswith("/en/accounts/me/")
    assert page.get_by_role("link", name=sees).count() == 1
    assert page.get_by_role("link", name=does_not_see).count() == 0


def test_keyboard_user_can_skip_to_content(live_server, page, catalogue):
    page.goto(live_server.url + "/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
