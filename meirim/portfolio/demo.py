"""Demonstration content of the preparatory portfolio (labelled as such by the demo pages).

``complete=True`` (Pavlodar): the portfolio written in Kazakh, submitted as version 1, the
national council's feedback on three steps (one asking for changes) returned, and one reply
of the city. Run it after the other Phase 1 apps' demo content, so that the submission passes
its guard (steps S1–S7 complete). ``complete=False`` (Kokshetau): a draft with an introduction
in Russian. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from meirim.common import audit
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.portfolio import services
from meirim.portfolio.assembly import portfolio_assemble
from meirim.portfolio.models import Portfolio, PortfolioVersion, StepFeedback

logger = logging.getLogger(__name__)

PAVLODAR_INTRODUCTION = (
    "Павлодар қаласы Балаға мейірімді қала бастамасына 2025 жылы қосылды. Бұл дайындық "
    "портфолиосы қалалық үйлестіру кеңесінің, басқаруды бағалаудың, объектілер аудитінің, "
    "балалар стратегиясының, балалардың қатысуының және балаларға арналған бюджеттің "
    "нәтижелерін біріктіреді. [Демонстрациялық деректер]"
)
PAVLODAR_SELF_ASSESSMENT = (
    "Қала балалардың денсаулығы мен білімі бойынша жақсы нәтижелер көрсетеді, бірақ "
    "қауіпсіз ойын алаңдары мен мүмкіндігі шектеулі балаларға арналған қолжетімділік "
    "жеткіліксіз. Шеткі аудандардағы балалар қызметтерге жету үшін алыс жол жүреді. "
    "Балалар кеңесінің ұсыныстары бойынша аулаларды жарықтандыру басымдыққа алынды."
)
PAVLODAR_FEEDBACK = (
    ("PH1.S1", "Кеңестің құрамы толық, ережесі бекітілген. Жақсы жұмыс.", False),
    (
        "PH1.S5",
        "Іс-шаралардың мерзімдері мен жауапты бөлімдері нақты. Мақсаттарды индикаторлармен "
        "байланыстыруды күшейтіңіз.",
        False,
    ),
    (
        "PH1.S6",
        "Мүмкіндігі шектеулі балалар мен ауылдық аймақтардағы балалардың қатысуын "
        "көрсетіңіз: қазір олар туралы деректер жоқ.",
        True,
    ),
)
PAVLODAR_REPLY = (
    "Келісеміз. 2026 жылдың наурызында инклюзивті балалар кеңесін өткізіп, қатысушылар "
    "туралы деректерді жаңартамыз."
)
KOKSHETAU_INTRODUCTION = (
    "Кокшетау начал подготовку к участию в инициативе «Город, дружественный детям»: "
    "создан координационный совет, идёт оценка управления и аудит объектов для детей. "
    "[Демонстрационные данные]"
)


def demo_populate(municipality: Municipality, *, complete: bool) -> None:
    if complete:
        _complete(municipality)
    else:
        _draft(municipality)


def _draft(municipality: Municipality) -> None:
    portfolio = Portfolio.objects.filter(municipality=municipality).first()
    if portfolio is not None and portfolio.introduction:
        return
    services.portfolio_texts_save(
        municipality=municipality,
        introduction=KOKSHETAU_INTRODUCTION,
        self_assessment=portfolio.self_assessment if portfolio else "",
        actor=None,
    )


def _complete(municipality: Municipality) -> None:
    portfolio = Portfolio.objects.filter(municipality=municipality).first()
    if portfolio is not None and portfolio.versions.exists():
        return
    services.portfolio_texts_save(
        municipality=municipality,
        introduction=PAVLODAR_INTRODUCTION,
        self_assessment=PAVLODAR_SELF_ASSESSMENT,
        actor=None,
    )
    try:
        version = services.portfolio_submit(municipality=municipality, actor=None)
    except NotAllowed as refused:
        # The other apps' demo content is missing (run them first): freeze what there is.
        logger.warning("Demo portfolio submitted without its steps complete: %s", refused)
        version = _freeze_anyway(municipality)
    for step, comment, changes in PAVLODAR_FEEDBACK:
        services.feedback_add(
            version=version, step=step, comment=comment, requests_changes=changes, actor=None
        )
    services.feedback_return(municipality=municipality, actor=None)
    feedback = StepFeedback.objects.get(version=version, step="PH1.S6")
    services.feedback_reply(feedback=feedback, reply=PAVLODAR_REPLY, actor=None)


def _freeze_anyway(municipality: Municipality) -> PortfolioVersion:
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(municipality=municipality)
        version = PortfolioVersion.objects.create(
            portfolio=portfolio,
            number=1,
            content=portfolio_assemble(municipality),
            submitted_at=timezone.now(),
        )
        portfolio.state = Portfolio.State.SUBMITTED
        portfolio.save(update_fields=["state"])
        audit.record(
            actor=None,
            action="portfolio.submit",
            obj=portfolio,
            changes={"state": ["draft", "submitted"], "version": 1, "demo": True},
        )
    return version
