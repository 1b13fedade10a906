"""Every page of the main journeys fits a phone: no sideways scrolling of the page itself
(wide tables scroll inside their own region), tappable buttons, legible chart text.

The pages are listed as data: adding a page is one line in ``PAGES``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from meirim.catalogue.services import catalogue_copy_version
from meirim.portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CITY = "KZ-AKM-KOKSHETAU"
VERSION = "2026.1"
ENTRY_SECTIONS = [f"S{n:02d}" for n in range(1, 12)] + ["B", "D"]
COMPARED = "&".join(
    f"m={code}"
    for code in (
        "KZ-AST",
        "KZ-ALA",
        "KZ-SHY",
        CITY,
        "KZ-AKT-AKTOBE",
        "KZ-PAV-PAVLODAR",
        "KG-B",
        "KG-O",
    )
)


@dataclass(frozen=True)
class Page:
    path: str
    user: str | None = None  # a demo login, or None for a visitor


PAGES = [
    Page("/en/"),
    Page("/en/accounts/login/"),
    *[
        Page("/en/accounts/me/", user)
        for user in ("council", "admin", "reviewer", "region", "coordinator", "department")
    ],
    Page("/en/accounts/me/", "community"),
    Page("/en/municipalities/"),
    Page(f"/en/municipalities/{CITY}/"),
    Page("/en/catalogue/"),
    Page(f"/en/catalogue/{VERSION}/"),
    Page(f"/en/catalogue/{VERSION}/indicators/I08/"),
    Page(f"/en/catalogue/{VERSION}/baseline/"),
    Page(f"/en/catalogue/{VERSION}/governance/"),
    Page(f"/en/catalogue/{VERSION}/lists/"),
    Page(f"/en/catalogue/{VERSION}/scoring/"),
    Page("/ru/catalogue/2026.2/scoring/", "council"),  # the council's editable table
    Page("/ru/catalogue/2026.2/scoring/derive/", "council"),
    Page("/en/data/", "council"),
    Page(f"/en/data/{CITY}/", "coordinator"),
    *[Page(f"/en/data/{CITY}/2025/?section={key}", "coordinator") for key in ENTRY_SECTIONS],
    Page(f"/en/data/{CITY}/upload/", "coordinator"),
    Page(f"/en/data/{CITY}/2025/approve/", "coordinator"),
    Page(f"/ru/data/{CITY}/2024/?section=S03", "council"),  # read-only for the council
    Page("/en/accounts/password/reset/"),
    Page("/ru/catalogue/2026.2/publish/", "council"),
    Page("/kk/accounts/password/change/", "department"),
    Page("/en/results/"),
    Page(f"/en/results/{CITY}/"),
    Page(f"/en/results/{CITY}/?preview=1", "coordinator"),
    Page(f"/en/results/compare/?{COMPARED}"),
    Page(f"/en/results/compare/?{COMPARED}&node=C3"),
    Page("/kk/results/compare/?m=KZ-AST&m=KZ-ALA&node=I09"),
    Page("/en/results/indicator/I09/"),
    # Russian and Kazakh terms are longer: the attribute lists must still fit.
    Page("/ru/results/indicator/I09/"),
    Page("/kk/results/indicator/I09/"),
    Page("/en/results/method/"),
    # A page's own navigation (pages of a list, Phase 1 steps): links of at least 24 px.
    Page("/ru/municipalities/?page=2"),
    Page(f"/ky/preparation/{CITY}/progress/", "coordinator"),
    # The children's voice workspaces, linked from the personal page.
    Page(f"/kk/voice/{CITY}/moderation/", "coordinator"),
    Page(f"/ru/voice/{CITY}/safeguarding/", "protection"),
    Page(f"/ky/surveys/{CITY}/", "coordinator"),
    Page("/en/audit/", "admin"),
    Page("/en/admin/", "admin"),
]

# Scripts run in the page.
PAGE_WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"
CHART_TEXT = """() => Array.from(document.querySelectorAll('figure.chart svg text'))
  .filter(t => t.getClientRects().length && t.textContent.trim())
  .map(t => [t.textContent.trim(), t.getBoundingClientRect().height,
             parseFloat(getComputedStyle(t).fontSize) *
             (t.closest('svg').getBoundingClientRect().width /
              t.closest('svg').viewBox.baseVal.width)])"""
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'main button, main select, main textarea, ' +
    'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])'))
  .filter(e => e.getClientRects().length)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
  .filter(([, h]) => h < 44)"""
SMALL_LINKS = """() => Array.from(document.querySelectorAll('main nav a'))
  .filter(e => e.getClientRects().length)
  .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
  .filter(([, h]) => h < 24)"""


@pytest.fixture
def demo(live_server, catalogue, geography):
    # Users of every role and the labelled demonstration data, plus a draft catalogue version
    # for the publication page.
    call_command("demo_setup", force=True)
    catalogue_copy_version(source=catalogue, code="2026.2", actor=None)
    return live_server.url


def _context(browser, viewport):
    return browser.new_context(locale="en-GB", viewport=viewport)


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/me/")


def _problems(page, viewport) -> list[str]:
    problems = []
    width, inner = page.evaluate(PAGE_WIDTH)
    if width > inner:
        problems.append(f"the page is {width} px wide on a {inner} px screen")
    small_text = [
        f"{text!r} at {size:.1f} px" for text, _h, size in page.evaluate(CHART_TEXT) if size < 11
    ]
    if small_text:
        problems.append("chart text below 11 px: " + ", ".join(small_text[:5]))
    if viewport is PHONE:
        small = [f"{html} ({h:.0f} px)" for html, h in page.evaluate(SMALL_TARGETS)]
        if small:
            problems.append("targets under 44 px: " + "; ".join(small[:5]))
        links = [f"{text!r} ({h:.0f} px)" for text, h in page.evaluate(SMALL_LINKS)]
        if links:
            problems.append("navigation links under 24 px: " + "; ".join(links[:5]))
    return problems


def _visit_all(browser, base: str, pages: list[Page], viewport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for user in dict.fromkeys(p.user for p in pages):
        context = _context(browser, viewport)
        page = context.new_page()
        if user:
            _log_in(page, base, user)
        for item in (p for p in pages if p.user == user):
            response = page.goto(base + item.path)
            assert response is not None and response.ok, (item, response and response.status)
            problems = _problems(page, viewport)
            if problems:
                found[f"{item.path} ({user or 'visitor'})"] = problems
        context.close()
    return found


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}: {problem}" for path, items in found.items() for problem in items)


def test_every_page_fits_a_phone(browser, demo):
    found = _visit_all(browser, demo, PAGES, PHONE)
    assert not found, _report(found)


def test_scoring_pages_fit_a_phone(browser, demo):
    # The scoring method in the catalogue and its explanation with the goalposts table.
    pages = [p for p in PAGES if "/scoring/" in p.path or "/results/method/" in p.path]
    found = _visit_all(browser, demo, pages, PHONE)
    assert not found, _report(found)


def test_comparison_fits_a_desktop(browser, demo):
    pages = [p for p in PAGES if "/results/compare/" in p.path]
    found = _visit_all(browser, demo, pages, DESKTOP)
    assert not found, _report(found)


def test_save_can_be_tapped_on_a_phone(browser, demo):
    context = _context(browser, PHONE)
    page = context.new_page()
    _log_in(page, demo, "department")
    for key in ENTRY_SECTIONS:
        page.goto(demo + f"/en/data/{CITY}/2025/?section={key}")
        save = page.get_by_role("button", name="Save the changes")
        save.scroll_into_view_if_needed()
        assert save.is_visible(), key
        box = save.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 44, key
        save.click(trial=True)  # raises if anything covers it or it cannot be reached
    shots = os.environ.get("MEIRIM_SCREENSHOTS")
    if shots:  # for a human look: MEIRIM_SCREENSHOTS=/tmp pytest …
        page.goto(demo + f"/en/data/{CITY}/2025/?section=S01")
        page.screenshot(path=f"{shots}/entry-390-top.png")
        page.locator("#row-I01").screenshot(path=f"{shots}/entry-390-row.png")
        page.get_by_role("button", name="Save the changes").scroll_into_view_if_needed()
        page.screenshot(path=f"{shots}/entry-390-save.png")
        for path, name in (
            (f"/en/results/compare/?{COMPARED}", "compare"),
            (f"/en/results/{CITY}/", "dashboard"),
        ):
            page.goto(demo + path)
            page.screenshot(path=f"{shots}/{name}-390-top.png")
            for k in range(page.locator("figure.chart").count()):
                page.locator("figure.chart").nth(k).screenshot(
                    path=f"{shots}/{name}-390-chart{k}.png"
                )
            page.locator("div.scroll").first.screenshot(path=f"{shots}/{name}-390-table.png")
    context.close()
