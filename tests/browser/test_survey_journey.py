"""A children's survey in Chromium: the coordinator uploads the XLSForm file and publishes
it; a child answers it on a 390 px phone in Kazakh (a question appears or is skipped by the
answers before it); the results page draws the chart. axe-core finds nothing on the answer
and results pages, and they do not scroll sideways."""

from __future__ import annotations

import pytest

from meirim.facilities.demo import demo_populate as facilities_demo
from meirim.geography.models import Municipality
from meirim.surveys.demo import FILE
from meirim.surveys.models import Survey, SurveyResponse
from tests.browser.support import log_in, problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "KZ-AKM-KOKSHETAU"
PHONE = {"width": 390, "height": 844}


def _answer(page, *, period: str, rating: str, likes: list[str], age: str, better: str | None):
    """One child's way through the playground survey; returns the questions seen."""
    seen = []
    page.locator(f"input[name=answer][value={period}]").check()
    page.locator("button[value=next]").click()
    seen.append("period")
    page.locator(f"input[name=answer][value='{rating}']").check()
    page.locator("button[value=next]").click()
    seen.append("rating")
    for code in likes:
        page.locator(f"input[name=answer][value={code}]").check()
    page.locator("button[value=next]").click()
    page.fill("input[name=answer]", age)
    page.locator("button[value=next]").click()
    # count() does not wait: let the next question's page finish loading first.
    page.wait_for_load_state()
    if page.locator("textarea[name=answer]").count():
        seen.append("better")
        page.fill("textarea[name=answer]", better or "")
        page.locator("button[value=next]").click()
    page.locator("button[value=send]").click()
    return seen


def test_a_survey_is_uploaded_published_answered_and_charted(
    live_server, browser, users, catalogue
):
    facilities_demo(Municipality.objects.get(code=CITY), complete=False)
    base = live_server.url

    # The coordinator uploads the XLSForm and publishes it.
    desk = browser.new_context(locale="ru-RU")
    page = desk.new_page()
    log_in(page, base, users["city_coordinator"].username)
    page.goto(base + f"/ru/surveys/{CITY}/new/")
    page.set_input_files("#id_file", str(FILE))
    page.select_option("#id_facility", index=1)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    survey = Survey.objects.get()
    assert survey.state == Survey.State.DRAFT and survey.facility is not None
    page.locator("main form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN
    desk.close()

    # Children answer on a phone, in Kazakh: a low rating brings the "what should be better"
    # question; a high one skips it.
    phone = browser.new_context(viewport=PHONE, locale="kk-KZ")
    child = phone.new_page()
    answer = base + f"/kk/surveys/{survey.pk}/answer/{CITY}/"
    child.goto(answer)
    assert "Сәлем" in child.content()
    assert problems(child) == []
    seen = _answer(
        child, period="before", rating="1", likes=["swings"], age="10", better="Көлеңке жоқ"
    )
    assert "better" in seen
    assert "Рақмет" in child.content()
    assert problems(child) == []
    for index in range(5):
        phone.clear_cookies()
        child.goto(answer)
        seen = _answer(
            child,
            period="after",
            rating="5",
            likes=["slide", "friends"],
            age=str(8 + index),
            better=None,
        )
        assert "better" not in seen
    assert SurveyResponse.objects.filter(survey=survey).count() == 6
    stored = SurveyResponse.objects.filter(survey=survey).order_by("pk").first()
    assert stored.answers["better"] == "Көлеңке жоқ"

    # The results page: a chart per question, tables beside them, no written answer.
    child.goto(base + f"/kk/surveys/{survey.pk}/results/")
    content = child.content()
    assert child.locator("svg.survey-chart").count() >= 3
    assert "Көлеңке жоқ" not in content
    assert problems(child) == []
    child.goto(answer)
    assert problems(child) == []
    phone.close()
