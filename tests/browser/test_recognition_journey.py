"""Phase 2 walked in Chromium from the demonstration data, as a newcomer would in ``make demo``:
the national council (Russian, desktop) opens a call with a criterion; Pavlodar's coordinator
(Kazakh, phone) is refused after the deadline, then applies, is refused the portfolio's
submission while indicators are unreported, states them and submits; the community group's
young member (Kazakh, phone) sends the confidential report, which the city never sees; the
reviewers score (Russian, desktop), the council decides Level 1 and the public registry, the
city's page and the badge show the level with its expiry date."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from meirim.catalogue.models import Indicator
from meirim.recognition import dates
from meirim.recognition.models import (
    Application,
    CommunityReport,
    Cycle,
    Decision,
    Level,
    PortfolioSnapshot,
    Recognition,
    ReviewScore,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWN = "KZ-PAV-PAVLODAR"
PASSWORD = "meirim-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
UNREPORTED = ("I12", "I47", "I63")
MARKER = "ҚҰПИЯ-БЕЛГІ-7Q4Z: аулалардағы алаңдар әлі қараңғы"
VERDICT = "7Q4Z: тек орталықта ғана жақсарды."
CYCLE = "2028–2030"


def _person(browser, base: str, username: str, viewport: dict[str, int]):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/me/**")
    return context, page


def _fits(page) -> None:
    """Nothing scrolls sideways on the page itself (tables scroll inside their regions)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, (page.url, overflow)


def _axe(page, problems: dict[str, list[str]]) -> None:
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
        for v in Axe().run(page).response["violations"]
    ]
    if found:
        problems[page.url] = found


def _click(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state()


def _main(page) -> str:
    return page.locator("main").inner_text()


def _day(lang: str, day: datetime.date, style: str = "DATE_FORMAT") -> str:
    with translation.override(lang):
        return str(date_format(day, style))


def test_a_city_walks_phase2_from_the_call_to_its_level(live_server, browser, catalogue):
    call_command("demo_setup", force=True)
    base = live_server.url
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    problems: dict[str, list[str]] = {}

    # 1. The council, in Russian on a desktop, creates a cycle whose EOI deadline was yesterday,
    # adds a criterion resting on an indicator and opens the call.
    council_context, council = _person(browser, base, "council", DESKTOP)
    council.goto(f"{base}/ru/recognition/cycles/new/")
    _axe(council, problems)
    council.fill("#id_name", CYCLE)
    council.fill("#id_starts_on", str(today - 10 * day))
    council.fill("#id_eoi_deadline", str(today - day))
    council.fill("#id_portfolio_deadline", str(today + 60 * day))
    council.fill("#id_community_report_deadline", str(today + 90 * day))
    council.fill("#id_decision_date", str(today + 120 * day))
    council.fill("#id_level1_threshold", "50")
    council.fill("#id_level2_threshold", "75")
    _click(council, "main form button[type=submit]")
    council.wait_for_url("**/criteria/")
    cycle = Cycle.objects.get(name=CYCLE)
    council.fill("#id_code", "K1")
    council.fill("#id_name_kk", "Балалардың денсаулығы жақсарады")
    council.fill("#id_name_ru", "Здоровье детей улучшается")
    council.fill("#id_indicators", "I01")
    _click(council, "main form button[type=submit]")
    assert list(cycle.criteria.values_list("code", flat=True)) == ["K1"]
    cycle_url = f"{base}/ru/recognition/cycles/{cycle.pk}/"
    council.goto(cycle_url)
    _click(council, "main form[action$='/transition/'] button")
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.CALL_OPEN, _main(council)[:600]

    # The public cycle page shows the call's criterion, to anyone.
    public_context = browser.new_context(viewport=PHONE)
    public = public_context.new_page()
    public.goto(f"{base}/kk/recognition/cycles/{cycle.pk}/")
    _fits(public)
    assert "Балалардың денсаулығы жақсарады" in _main(public)
    assert "I01" in _main(public)
    _axe(public, problems)

    # 2. Pavlodar's coordinator, in Kazakh on a phone: too late, the deadline stated.
    city_context, city = _person(browser, base, "pavlodar", PHONE)
    home = f"{base}/kk/recognition/{TOWN}/"
    city.goto(home)
    _fits(city)
    _axe(city, problems)
    apply_url = f"{base}/kk/recognition/{TOWN}/apply/{cycle.pk}/"
    city.goto(apply_url)
    _fits(city)

    def fill_eoi() -> None:
        for box in city.locator("input[name=commitments]").all():
            box.check()
        city.fill("#id_signatory", "Асхат Оралов")
        city.fill("#id_signatory_position", "Павлодар қаласының әкімі")
        city.fill("#id_signed_on", str(today))
        _click(city, "main form button[type=submit]")

    fill_eoi()
    assert not Application.objects.filter(cycle=cycle).exists()
    assert _day("kk", today - day) in _main(city), _main(city)[:800]
    assert city.input_value("#id_signatory") == "Асхат Оралов"
    _fits(city)

    # The council moves the deadline ("change the dates"); the coordinator applies in time.
    council.goto(cycle_url)
    _click(council, f"main a[href$='/cycles/{cycle.pk}/edit/']")
    council.fill("#id_eoi_deadline", str(today + 30 * day))
    _click(council, "main form button[type=submit]")
    cycle.refresh_from_db()
    assert cycle.eoi_deadline == today + 30 * day, _main(council)[:600]

    city.goto(apply_url)
    fill_eoi()
    application = Application.objects.get(cycle=cycle, municipality__code=TOWN)
    assert application.commitments == [f"A{n}" for n in range(1, 8)]
    app = f"{base}/kk/recognition/{TOWN}/applications/{application.pk}"
    city.wait_for_url(f"{app}/")
    _fits(city)
    _axe(city, problems)
    city.goto(home)
    headings = city.locator("main table thead th").all_inner_texts()
    assert len(headings) == len(set(headings)), headings  # no two columns named alike
    assert cycle.name in _main(city)

    # 3. The introduction and the evidence, then the submission: refused, naming the
    # indicators of 2025 still unreported.
    city.goto(f"{app}/portfolio/")
    _fits(city)
    city.fill("#id_introduction", "Павлодар — балалар үшін қала: жаңа кезеңге өтінім.")
    _click(city, "main form button[type=submit]")
    city.goto(f"{app}/evidence/")
    _fits(city)
    city.fill("#id_K1", "Балалардың денсаулық көрсеткіштері 2021 жылдан бері жақсарды.")
    _click(city, "main form button[type=submit]")
    city.goto(f"{app}/readiness/")
    _fits(city)
    city.goto(f"{app}/")
    _click(city, "form[action$='/submit/'] button")
    refusal = _main(city)
    assert all(code in refusal for code in UNREPORTED), refusal[:800]
    assert not PortfolioSnapshot.objects.filter(application=application).exists()
    _fits(city)

    # Stated as "no data" on the data entry page of 2025.
    for code in UNREPORTED:
        section = Indicator.objects.filter(code=code).select_related("subdomain").first()
        assert section is not None
        city.goto(f"{base}/kk/data/{TOWN}/2025/?section={section.subdomain.code}")
        _fits(city)
        city.select_option(f"#id_{code}-status", "no_data")
        _click(city, "main form:has([name$='-status']) button[type=submit]")
    city.goto(f"{app}/")
    _click(city, "form[action$='/submit/'] button")
    city.wait_for_url(f"{app}/snapshots/1/")
    assert "Балалардың денсаулық көрсеткіштері" in _main(city)
    application.refresh_from_db()
    assert application.state == Application.State.PORTFOLIO_SUBMITTED
    _fits(city)
    _axe(city, problems)

    # 4. The group's young member, in Kazakh on a phone, from their personal page's menu.
    youth_context, youth = _person(browser, base, "youth", PHONE)
    youth.goto(f"{base}/kk/accounts/me/")
    _click(youth, f"main a[href$='/recognition/{TOWN}/group/work/']")
    _fits(youth)
    _axe(youth, problems)
    _click(youth, f"main a[href$='/applications/{application.pk}/group-copy/']")
    _fits(youth)
    assert "Павлодар — балалар үшін қала" in _main(youth)
    youth.goto(f"{base}/kk/recognition/{TOWN}/applications/{application.pk}/community-report/")
    _fits(youth)
    _axe(youth, problems)
    youth.fill("#id_text", MARKER)
    youth.select_option("#id_verdict_K1", "partly")
    youth.fill("#id_comment_K1", VERDICT)
    _click(youth, "button[name=send]")
    report = CommunityReport.objects.get(application=application)
    assert report.submitted_at is not None, _main(youth)[:600]
    assert MARKER in _main(youth)
    _fits(youth)
    youth_context.close()

    # 5. The city sees only that a report was received, never its text.
    city.goto(f"{app}/")
    assert "алынды" in _main(city).lower(), _main(city)[:800]
    for url in (
        f"{app}/",
        f"{app}/snapshots/1/",
        f"{app}/readiness/",
        home,
        f"{base}/kk/municipalities/{TOWN}/",
        f"{base}/ru/recognition/{TOWN}/applications/{application.pk}/",
    ):
        city.goto(url)
        assert "7Q4Z" not in city.content(), url
    city.goto(f"{app}/community-report/")
    assert "7Q4Z" not in city.content()

    # 6. The council assigns the two reviewers.
    review = f"{base}/ru/recognition/{TOWN}/applications/{application.pk}"
    council.goto(f"{review}/reviewers/")
    _axe(council, problems)
    for username in ("council", "reviewer"):
        council.select_option("#id_reviewer", username)
        _click(council, "main form[method=post] button[type=submit]")
    application.refresh_from_db()
    assert application.state == Application.State.UNDER_REVIEW
    assert application.review_assignments.count() == 2

    def score(page, mark: int, comment: str) -> None:
        page.goto(f"{base}/ru/recognition/reviews/")
        _click(page, f"main a[href$='/applications/{application.pk}/conflict/']")
        page.check("input[name=conflict][value=no]")
        _click(page, "main form[method=post] button[type=submit]")
        page.goto(f"{review}/score/")
        page.fill("#id_score_K1", str(mark))
        page.fill("#id_comment_K1", comment)
        page.fill("#id_evidence_K1", "Индекс: I01")
        _click(page, "main form[method=post] button[type=submit]")

    # The reviewer, in Russian on a desktop, declares no conflict and scores.
    reviewer_context, reviewer = _person(browser, base, "reviewer", DESKTOP)
    score(reviewer, 3, "Улучшение подтверждено данными индекса.")
    _axe(reviewer, problems)
    reviewer.goto(f"{review}/")
    assert "7Q4Z" not in reviewer.content()
    reviewer_context.close()
    score(council, 4, "Сильный прогресс, данные полные.")
    assert ReviewScore.objects.filter(assignment__application=application).count() == 2

    # Side by side: the group's verdict and text beside the scores; then Level 1.
    council.goto(f"{review}/review/")
    _axe(council, problems)
    side = _main(council)
    assert ".." not in side  # a date ending in "г." is not followed by another full stop
    assert VERDICT in side
    assert "Улучшение подтверждено данными индекса." in side
    assert "Сильный прогресс, данные полные." in side
    _click(council, "main a[href$='/community-report/']")
    assert MARKER in _main(council)
    council.goto(f"{review}/decide/")
    council.check("input[name=level][value=L1]")
    council.fill("#id_reasons", "Прогресс по индексу доказан; группа подтверждает частично.")
    council.fill("#id_reason_K1", "Данные индекса полные.")
    _click(council, "main form[action$='/decide/'] button[type=submit]")
    decision = Decision.objects.get(application=application)
    assert decision.level == Level.L1, _main(council)[:600]
    assert ".." not in _main(council)
    council_context.close()

    # 7. The public registry, the city's page and the badge.
    granted = Recognition.objects.get(decision=decision)
    expires = dates.add_months(today, 24)
    assert (granted.granted_on, granted.expires_on) == (today, expires)
    for lang, name in (("kk", "Павлодар"), ("ru", "Павлодар")):
        public.goto(f"{base}/{lang}/recognition/")
        _fits(public)
        registry = _main(public)
        assert name in registry
        assert _day(lang, expires, "SHORT_DATE_FORMAT") in registry, registry[:1200]
        _axe(public, problems)
        public.goto(f"{base}/{lang}/municipalities/{TOWN}/")
        _fits(public)
        assert _day(lang, expires, "SHORT_DATE_FORMAT") in _main(public)
        assert "7Q4Z" not in public.content()
    badge = public.request.get(f"{base}/kk/recognition/badge/{TOWN}.svg")
    assert badge.status == 200
    assert "svg" in badge.headers["content-type"]
    assert str(expires.year) in badge.text()
    public_context.close()
    city_context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
