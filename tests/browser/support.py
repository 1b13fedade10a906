"""What the browser tests share: signing in through the login page, and the problems a page
has (axe-core violations, and scrolling sideways on the viewport it is shown in)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/me/**")


def problems(page, url: str | None = None) -> list[str]:
    """axe-core's violations on the page (after going to ``url``, when given) and any
    sideways scroll of the page itself (tables scroll inside their own regions)."""
    if url is not None:
        page.goto(url)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
        for v in Axe().run(page).response["violations"]
    ]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        found.append(f"scrolls sideways by {overflow} px")
    return found
