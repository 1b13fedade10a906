"""The data journey in a real browser: a department head enters a value, the coordinator
uploads a bad file (errors explained, nothing imported), then a good one, approves the year,
and anyone reads the dashboard in Russian."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meirim.data.models import DataYear, Observation
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KOKSHETAU = "KZ-AKM-KOKSHETAU"


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()


def test_enter_upload_approve_and_read(live_server, browser, users, catalogue, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url

    # A department head enters the percentage of pregnant women with anaemia (I06).
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _log_in(page, base, users["department_head"].username)
    page.goto(base + f"/en/data/{KOKSHETAU}/2024/?section=S01")
    page.locator("#row-I06 input[name$='value']").fill("150")
    page.get_by_role("button", name="Save the changes").click()
    # The click returns once the answer starts loading: wait for the page, not a snapshot.
    expect(page.get_by_role("alert")).to_be_visible()
    assert not Observation.objects.filter(code="I06").exists()
    page.locator("#row-I06 input[name$='value']").fill("14.5")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state()
    assert Observation.objects.get(code="I06", year=2024).value == pytest.approx(14.5)
    context.close()

    # The coordinator uploads a file with mistakes: every one is explained, nothing imported.
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _log_in(page, base, users["city_coordinator"].username)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,year,value,status\nI09,2024,120,reported\nI99,2024,5,reported\nI02,2024,-3,reported\n",
        encoding="utf-8",
    )
    page.goto(base + f"/en/data/{KOKSHETAU}/upload/")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    table = page.locator("table").first.inner_text()
    for row in ("2", "3", "4"):
        assert row in table
    assert "I99" in page.content()
    assert Observation.objects.count() == 1

    good = tmp_path / "good.csv"
    good.write_text("code,year,value,status\nI09,2024,71,reported\nI02,2024,8.1,reported\n")
    page.goto(base + f"/en/data/{KOKSHETAU}/upload/")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    assert Observation.objects.count() == 3

    # Approve 2024: the year locks.
    page.goto(base + f"/en/data/{KOKSHETAU}/")
    page.get_by_role("link", name="Approve and lock 2024").click()
    page.get_by_role("button", name="Yes, approve and lock 2024").click()
    page.wait_for_load_state()
    assert DataYear.objects.get(year=2024).state == "approved"
    context.close()

    # Anyone reads the results, in Russian.
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.goto(base + f"/ru/results/{KOKSHETAU}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    body = page.content()
    assert 'id="completeness"' in body
    assert "I09" in body and "71" in body
    context.close()
