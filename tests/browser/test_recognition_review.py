"""The review's pages on a 390 px phone in Kazakh and Russian: a community group member
sends the confidential report, the national council reviews and decides Level 1; axe-core
finds no violation and nothing scrolls sideways."""

from __future__ import annotations

import pytest

from meirim.recognition.models import CommunityReport, Recognition
from tests.browser import support
from tests.recognition.factories import TOWN, group_make
from tests.recognition.test_review_setup import submitted_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_group_sends_its_report_and_the_council_decides_level_1(
    live_server, browser, users, lang
):
    application = submitted_application()
    group_make(TOWN, user=users["community_group"])
    base = f"{live_server.url}/{lang}/recognition"
    app = f"{base}/{TOWN}/applications/{application.pk}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: dict[str, list[str]] = {}

    support.log_in(page, live_server.url, "community_group")
    for url in (f"{app}/group-copy/", f"{app}/community-report/"):
        if found := support.problems(page, url):
            problems[url] = found
    page.fill("#id_text", "Біздің пікіріміз / Наше мнение")
    page.select_option("#id_verdict_K1", "partly")
    page.fill("#id_comment_K1", "Only in the centre")
    page.select_option("#id_verdict_K2", "disagree")
    page.locator("button[name=send]").click()
    page.wait_for_load_state()
    assert page.locator(".message.success").count() == 1
    # The messages list is the site's own (base.html); the page itself is checked reloaded.
    if found := support.problems(page, page.url):
        problems["report sent"] = found
    assert CommunityReport.objects.get().submitted_at is not None
    context.clear_cookies()

    support.log_in(page, live_server.url, "national_council")
    for url in (
        f"{base}/{TOWN}/group/",
        f"{base}/cycles/{application.cycle_id}/applications/",
        f"{app}/reviewers/",
        f"{app}/visits/",
        f"{app}/review/",
        f"{app}/decide/",
    ):
        if found := support.problems(page, url):
            problems[url] = found
    page.check("input[name=level][value=L1]")
    page.fill("#id_reasons", "Strong evidence of children's participation")
    page.fill("#id_reason_K1", "Well evidenced")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message.success").count() == 1
    if found := support.problems(page, page.url):
        problems["decided"] = found
    context.close()
    assert Recognition.objects.get().level == "L1"
    assert problems == {}
