"""Phase 1 walked in Chromium: the coordinator (Kazakh, on a phone), a department head
(Russian, on a phone) and the national council (Russian, on a desktop) take Kokshetau from
mid-preparation to a submitted portfolio with the council's feedback.

The demonstration data are the starting point, as for a newcomer in ``make demo``: Kokshetau
has its council, half of its 2026 governance round answered and an audit started.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.core.management import call_command

from meirim.catalogue.models import GovernanceQuestion
from meirim.governance.models import AssessmentRound, GovernanceAnswer
from meirim.planning.models import Action
from meirim.portfolio.models import Portfolio, PortfolioVersion, StepFeedback

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWN = "KZ-AKM-KOKSHETAU"
PASSWORD = "meirim-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


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


def _submit(page, form_selector: str, button_text: str | None = None) -> None:
    form = page.locator(form_selector)
    button = form.locator("button[type=submit]")
    if button_text is not None:
        button = button.filter(has_text=button_text)
    button.first.click()
    page.wait_for_load_state()


def _answer_by_api(page, base: str, year: int, answers: list[dict[str, str]]) -> None:
    """The rest of the checklist arrives from a script, with HTTP Basic, as a city would."""
    token = base64.b64encode(f"coordinator:{PASSWORD}".encode()).decode()
    response = page.request.put(
        f"{base}/api/v1/municipalities/{TOWN}/governance/{year}",
        data=json.dumps({"answers": answers}),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
    )
    assert response.status == 200, response.text()
    summary = response.json()["summary"]
    assert summary["unanswered"] == 0, summary


def test_a_city_walks_phase1_to_the_councils_feedback(live_server, browser, catalogue):
    call_command("demo_setup", force=True)
    base = live_server.url
    city = f"/preparation/{TOWN}"
    round_2026 = AssessmentRound.objects.get(municipality__code=TOWN, year=2026)

    # The coordinator, in Kazakh on a phone, first tries to submit: refused, by step.
    coordinator_context, coordinator = _person(browser, base, "coordinator", PHONE)
    coordinator.goto(f"{base}/kk{city}/portfolio/")
    _fits(coordinator)
    _submit(coordinator, "main form:has(input[name=action][value=submit])")
    assert Portfolio.objects.get(municipality__code=TOWN).state == Portfolio.State.DRAFT
    refusal = coordinator.locator("main").inner_text()
    assert "PH1.S2" in refusal or "Басқару" in refusal, refusal[:500]

    # The council: one more member, approved.
    coordinator.goto(f"{base}/kk{city}/council/members/add/")
    coordinator.fill("#id_name", "Нұрланова Әсем Бекқызы")
    coordinator.fill("#id_organisation", "Жастар ресурстық орталығы")
    coordinator.select_option("#id_council_role", "children")
    coordinator.select_option("#id_status", "approved")
    _submit(coordinator, "main form[method=post]")
    coordinator.goto(f"{base}/kk{city}/council/")
    _fits(coordinator)
    assert "Нұрланова Әсем Бекқызы" in coordinator.content()

    # A department head, in Russian on a phone, answers a question of a section given to them
    # with "planned".
    answered = set(GovernanceAnswer.objects.filter(round=round_2026).values_list("code", flat=True))
    open_questions = GovernanceQuestion.objects.filter(version__code="2026.1").exclude(
        code__in=answered
    )
    section, question = None, None
    for assignment in round_2026.assignments.select_related("section"):
        question = open_questions.filter(subsection=assignment.section).order_by("order").first()
        if question is not None:
            section = assignment.section
            break
    assert question is not None
    department_context, department = _person(browser, base, "department", PHONE)
    department.goto(f"{base}/ru{city}/governance/2026/?section={section.code}")
    _fits(department)
    department.check(f"input[name='{question.code}-answer'][value=planned]")
    # The optional fields of a question fold away on a phone.
    department.locator(f"details:has([name='{question.code}-future_action']) > summary").click()
    department.fill(f"[name='{question.code}-future_action']", "Разработать порядок к 2027 году")
    department.fill(f"[name='{question.code}-responsible']", "Отдел образования")
    _submit(department, f"main form:has([name='{question.code}-answer'])")
    assert GovernanceAnswer.objects.get(round=round_2026, code=question.code).answer == "planned"
    department_context.close()

    # The coordinator turns that "planned" answer into a draft action of the plan.
    coordinator.goto(f"{base}/kk{city}/governance/2026/?section={section.code}")
    coordinator.locator(
        f"main form:has(input[name=question][value={question.code}]) button"
    ).click()
    coordinator.wait_for_load_state()
    drafted = Action.objects.get(municipality__code=TOWN, governance_question=question.code)
    assert drafted.status == Action.Status.DRAFT
    assert drafted.code in coordinator.content()

    # The rest of the checklist by the API; then the report, and the round is closed.
    answered = set(GovernanceAnswer.objects.filter(round=round_2026).values_list("code", flat=True))
    rest = GovernanceQuestion.objects.filter(version__code="2026.1").exclude(code__in=answered)
    _answer_by_api(coordinator, base, 2026, [{"question": q.code, "answer": "yes"} for q in rest])
    coordinator.goto(f"{base}/kk{city}/governance/2026/")
    coordinator.fill("[name=agreed_assessment]", "Кеңес бағалауды бірауыздан келісті.")
    coordinator.fill("[name=rights_summary]", "Балалардың денсаулығы жақсарды; ойын алаңдары аз.")
    _submit(coordinator, "main form:has([name=agreed_assessment])")
    _submit(coordinator, "main form:has(input[name=op][value=close])")
    round_2026.refresh_from_db()
    assert round_2026.state == AssessmentRound.State.CLOSED

    # The audit of one facility.
    coordinator.goto(f"{base}/kk{city}/facilities/add/")
    _fits(coordinator)
    coordinator.fill("#id_name", "№3 мектеп спорт залы")
    coordinator.select_option("#id_kind", "sport")
    coordinator.select_option("#id_availability", "not_accessible")
    coordinator.check("input[name=barriers][value=physical]")
    _submit(coordinator, "main form[method=post]")
    assert "№3 мектеп спорт залы" in coordinator.content()

    # The strategy and an action of the plan with its department and dates.
    coordinator.goto(f"{base}/kk{city}/strategy/")
    _fits(coordinator)
    coordinator.locator("main details:has(#id_vision) > summary").click()
    coordinator.fill("#id_vision", "Көкшетау — әр бала қауіпсіз өсетін қала.")
    _submit(coordinator, "main form:has(input[name=form][value=strategy])")
    coordinator.goto(f"{base}/kk{city}/strategy/")
    goal = coordinator.locator("main form:has(input[name=form][value=goal])").last
    coordinator.locator("main details:has(input[name=form][value=goal]) > summary").last.click()
    goal.locator("[name=code]").fill("1")
    goal.locator("[name=title]").fill("Қауіпсіз ойын кеңістіктері")
    goal.locator("input[name=rights][value=R6]").check()
    goal.locator("button[type=submit]").click()
    coordinator.wait_for_load_state()
    coordinator.goto(f"{base}/kk{city}/actions/add/")
    _fits(coordinator)
    coordinator.fill("#id_code", "1.1.a")
    coordinator.fill("#id_title", "Аулаларда жаңа ойын алаңдары")
    coordinator.select_option("#id_status", "planned")
    coordinator.check("input[name=target_ages][value=E]")
    coordinator.fill("#id_department", "Тұрғын үй-коммуналдық шаруашылық бөлімі")
    coordinator.fill("#id_starts_on", "2026-03-01")
    coordinator.fill("#id_ends_on", "2027-10-31")
    _submit(coordinator, "main form[method=post]")
    assert Action.objects.filter(municipality__code=TOWN, code="1.1.a").exists()

    # A participation activity, at a rung of real participation.
    coordinator.goto(f"{base}/kk{city}/participation/add/")
    _fits(coordinator)
    coordinator.fill("#id_topic", "Ойын алаңдарын балалармен бірге жоспарлау")
    coordinator.fill("#id_held_on", "2026-04-18")
    coordinator.select_option("#id_rung", "H6")
    coordinator.select_option("#id_kind", "T2")
    coordinator.fill("[name=p_10_13_girls]", "9")
    coordinator.fill("[name=p_10_13_boys]", "8")
    _submit(coordinator, "main form[method=post]")

    # The budget: the city's total, the BQ answers and one line for children.
    coordinator.goto(f"{base}/kk{city}/budget/?year=2026")
    _fits(coordinator)
    coordinator.fill("main form:has(input[name=form][value=total]) [name=total]", "90000000000")
    _submit(coordinator, "main form:has(input[name=form][value=total])")
    coordinator.goto(f"{base}/kk{city}/budget/?year=2026")
    answers = coordinator.locator("main form:has(input[name=form][value=answers])")
    for code in ("BQ1", "BQ2", "BQ3", "BQ4"):
        answers.locator(f"[name={code}_answer]").select_option("yes")
    _submit(coordinator, "main form:has(input[name=form][value=answers])")
    coordinator.goto(f"{base}/kk{city}/budget/lines/add/")
    coordinator.fill("#id_year", "2026")
    coordinator.fill("#id_department", "Білім беру бөлімі")
    coordinator.fill("#id_title", "Мектептердегі ыстық тамақ")
    coordinator.fill("#id_amount", "1500000000")
    coordinator.check("input[name=child_share][value=direct]")
    _submit(coordinator, "main form[method=post]")

    # The portfolio: the self-assessment, then the submission is accepted.
    coordinator.goto(f"{base}/kk{city}/portfolio/")
    coordinator.fill("[name=self_assessment]", "Қала денсаулық бойынша алға жылжыды.")
    _submit(coordinator, "main form:has([name=self_assessment])")
    _submit(coordinator, "main form:has(input[name=action][value=submit])")
    portfolio = Portfolio.objects.get(municipality__code=TOWN)
    assert portfolio.state == Portfolio.State.SUBMITTED, coordinator.locator("main").inner_text()[
        :800
    ]
    version = PortfolioVersion.objects.get(portfolio=portfolio)
    assert version.number == 1

    # Its PDF, in Kazakh.
    pdf_url = f"{base}/kk{city}/portfolio/v1/portfolio.pdf"
    coordinator.request.get(pdf_url)  # the first request builds it (tasks run at once here)
    pdf = coordinator.request.get(pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The national council, in Russian on a desktop, follows the cities and gives feedback.
    council_context, council = _person(browser, base, "council", DESKTOP)
    council.goto(f"{base}/ru/preparation/")
    council.select_option("main select[name=status]", "PHASE1_SUBMITTED")
    _submit(council, "main form:has(select[name=status])")
    assert "Кокшетау" in council.locator("main table").inner_text()
    council.locator("main table a", has_text="Кокшетау").first.click()
    council.wait_for_load_state()
    council.goto(f"{base}/ru{city}/portfolio/v1/")
    council.fill("#comment-PH1\\.S4", "Добавьте оценку объектов самими детьми.")
    council.check("#changes-PH1\\.S4")
    _submit(council, "main form:has(input[name=action][value=feedback])")
    _submit(council, "main form:has(input[name=action][value=return_feedback])")
    portfolio.refresh_from_db()
    assert portfolio.state == Portfolio.State.FEEDBACK_RECEIVED
    council_context.close()

    # The coordinator reads the feedback and answers it.
    coordinator.goto(f"{base}/kk{city}/portfolio/")
    _fits(coordinator)
    assert "Добавьте оценку объектов самими детьми." in coordinator.content()
    feedback = StepFeedback.objects.get(version=version, step="PH1.S4")
    coordinator.fill(f"#reply-{feedback.pk}", "Балалар сауалнамасы мамыр айында өтеді.")
    _submit(coordinator, f"main form:has(input[name=feedback][value='{feedback.pk}'])")
    feedback.refresh_from_db()
    assert feedback.reply == "Балалар сауалнамасы мамыр айында өтеді."
    coordinator_context.close()
