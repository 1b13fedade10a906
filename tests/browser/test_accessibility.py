"""Automated accessibility audit (axe-core, bundled with axe-playwright-python) of the pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from meirim.catalogue.services import catalogue_copy_version
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/municipalities/",
    "/{lang}/municipalities/KZ-AKM-KOKSHETAU/",
    "/{lang}/catalogue/",
    "/{lang}/catalogue/2026.1/",
    "/{lang}/catalogue/2026.1/indicators/I08/",
    "/{lang}/catalogue/2026.1/governance/",
    "/{lang}/accounts/login/",
    "/{lang}/open-data/",
]


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "meirim-demo-2026")
    page.locator("main button[type=submit]").click()


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_public_pages_have_no_accessibility_violations(
    live_server, page, geography, catalogue, lang
):
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path.format(lang=lang))
        found = _violations(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_personal_page_and_audit_log_are_accessible(live_server, page, users, catalogue):
    page.goto(live_server.url + "/en/accounts/login/")
    page.fill("#id_username", users["national_admin"].username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    problems = {}
    for path in ["/en/accounts/me/", "/en/audit/"]:
        page.goto(live_server.url + path)
        found = _violations(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_the_audit_detects_a_known_violation(page):
    """Guards the guard: a page with an unlabelled input and no language must be flagged."""
    page.set_content("<html><body><input type='text'><img src='x.png'></body></html>")
    found = " ".join(_violations(page))
    assert "label" in found and "image-alt" in found


def test_results_and_data_pages_are_accessible(live_server, page, users, catalogue):
    from django.core.management import call_command

    call_command("demo_setup", force=True)  # results need data: the labelled demonstration data
    problems = {}
    for path in [
        "/ru/results/",
        "/ru/results/KZ-AST/",
        "/ru/results/compare/?m=KZ-AST&m=KZ-ALA&node=C3",
        "/ru/results/indicator/I09/",
        "/ru/results/method/",
        "/ru/open-data/",
    ]:
        page.goto(live_server.url + path)
        found = _violations(page)
        if found:
            problems[path] = found
    _log_in(page, live_server.url, "coordinator")
    for path in [
        "/kk/data/KZ-AKM-KOKSHETAU/",
        "/kk/data/KZ-AKM-KOKSHETAU/2025/?section=S01",
        "/kk/data/KZ-AKM-KOKSHETAU/upload/",
        "/ky/data/KZ-AKM-KOKSHETAU/2025/approve/",
    ]:
        page.goto(live_server.url + path)
        found = _violations(page)
        if found:
            problems[path] = found
    # The council: a city's values read-only, and the publication of a new catalogue version.
    catalogue_copy_version(source=catalogue, code="2026.2", actor=None)
    page.context.clear_cookies()  # the coordinator signs out
    _log_in(page, live_server.url, "council")
    for path in ["/ru/data/KZ-AKM-KOKSHETAU/2024/?section=S03", "/ru/catalogue/2026.2/publish/"]:
        page.goto(live_server.url + path)
        found = _violations(page)
        if found:
            problems[path] = found
    assert problems == {}
