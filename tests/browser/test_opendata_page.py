"""The open data page on a 390 px phone, in Kazakh and Russian: the downloads listed, no
sideways scrolling, no accessibility violations (axe-core)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_open_data_page_reads_on_a_phone(
    live_server, page, geography, catalogue, settings, tmp_path
):
    from meirim.opendata.services import release_build

    settings.MEDIA_ROOT = str(tmp_path)
    release_build()
    page.set_viewport_size({"width": 390, "height": 800})
    for lang in ("kk", "ru"):
        page.goto(live_server.url + f"/{lang}/open-data/")
        assert page.locator('a[href="/api/v1/open-data/results.parquet"]').count() == 1
        violations = Axe().run(page).response["violations"]
        assert violations == [], [(v["id"], v["nodes"][0]["html"]) for v in violations]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
