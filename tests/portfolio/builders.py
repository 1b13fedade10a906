"""Phase 1 data written straight through the other apps' models, step by step."""

from __future__ import annotations

import datetime
from decimal import Decimal

from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.catalogue.models import GovernanceQuestion
from meirim.catalogue.selectors import published_version
from meirim.data.models import DataYear
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.governance.models import (
    AssessmentRound,
    CoordinationCouncil,
    CouncilMember,
    GovernanceAnswer,
)
from meirim.participation.models import Activity, ParticipantCount
from meirim.planning.models import Action, Goal, Strategy
from meirim.portfolio.models import Portfolio

TOWN = "KZ-AKM-KOKSHETAU"


def town() -> Municipality:
    return Municipality.objects.get(code=TOWN)


def step1(m: Municipality) -> None:
    council = CoordinationCouncil.objects.create(
        municipality=m,
        chair_name="Ерлан Сапаров",
        chair_role="deputy_akim",
        tor_functions="Координация",
        tor_responsibilities="Ответственность",
    )
    CouncilMember.objects.create(
        council=council, name="Айгерим Нурланова", organisation="Акимат", council_role="member",
        status="approved",
    )  # fmt: skip


def step2(m: Municipality, *, answer_all: bool = True) -> AssessmentRound:
    round_ = AssessmentRound.objects.create(
        municipality=m,
        year=2025,
        state="closed",
        agreed_assessment="Согласованная оценка",
        rights_summary="Положение с правами детей",
    )
    questions = list(GovernanceQuestion.objects.filter(version=published_version()))
    if not answer_all:
        questions = questions[:-1]
    answers = ["yes", "planned", "no", "not_applicable"]
    GovernanceAnswer.objects.bulk_create(
        GovernanceAnswer(
            round=round_,
            question=q,
            code=q.code,
            answer=answers[i % 4],
            reason="—" if i % 4 == 3 else "",
        )
        for i, q in enumerate(questions)
    )
    return round_


def step3(m: Municipality, *, text: str = "Самооценка города") -> None:
    DataYear.objects.update_or_create(
        version=published_version(), municipality=m, year=2025, defaults={"state": "approved"}
    )
    Portfolio.objects.update_or_create(municipality=m, defaults={"self_assessment": text})


def step4(m: Municipality) -> Facility:
    return Facility.objects.create(
        municipality=m, name="Детская поликлиника №1", kind="health", availability="available",
        barriers=["distance"], adult_rating=4, children_rating=3,
    )  # fmt: skip


def step5(m: Municipality) -> Action:
    strategy = Strategy.objects.create(municipality=m, title="Стратегия", vision="Видение")
    Goal.objects.create(strategy=strategy, code="1", title="Безопасные дворы", rights=["R1"])
    return Action.objects.create(
        municipality=m, code="1.1.a", title="Освещение дворов", department="ЖКХ",
        starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
        target_ages=["E", "M"],
    )  # fmt: skip


def step6(m: Municipality, *, rung: str = "H5") -> Activity:
    activity = Activity.objects.create(
        municipality=m, topic="Детский совет", held_on=datetime.date(2025, 10, 1), rung=rung,
        kind="T1",
    )  # fmt: skip
    ParticipantCount.objects.create(activity=activity, age_band="10_13", sex="girls", count=3)
    return activity


def step7(m: Municipality, *, questions: tuple[str, ...] = ("BQ1", "BQ2", "BQ3", "BQ4")) -> None:
    CityBudget.objects.create(municipality=m, year=2025, total=Decimal("1000000"))
    BudgetLine.objects.create(
        municipality=m, year=2025, department="Образование", title="Кружки",
        amount=Decimal("50000"), child_share="direct",
    )  # fmt: skip
    for code in questions:
        BudgetAnswer.objects.create(municipality=m, year=2025, code=code, answer="yes")


def complete(m: Municipality) -> None:
    """Steps S1–S7 complete."""
    step1(m)
    step2(m)
    step3(m)
    step4(m)
    step5(m)
    step6(m)
    step7(m)
