"""Demonstration content of the strategy and action plan (idempotent; no actor).

``complete=False`` (Kokshetau, mid-preparation): only the strategy's title, in Russian; the
walk-through builds the rest. ``complete=True`` (Pavlodar, whose Phase 1 is done): the whole
strategy and action plan, in Kazakh.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from meirim.geography.models import Municipality
from meirim.planning.models import Action, ActionStream, Goal, PriorityArea, Strategy

S = Action.Status

GOALS: list[dict[str, Any]] = [
    {
        "code": "1",
        "title": "Әр бала қауіпсіз ойнап, спортпен айналыса алады",
        "description": "Ойын алаңдары мен спорт нысандары барлық аудандағы балаларға "
        "жақын, қауіпсіз және тегін болады.",
        "rights": ["R4", "R6"],
        "crc_articles": "31",
        "indicators": ["I01", "I02"],
    },
    {
        "code": "2",
        "title": "Балалар қала шешімдеріне қатысады",
        "description": "Балалар мен жастар кеңесі қала бюджеті мен жоспарларын талқылайды.",
        "rights": ["R1", "R2"],
        "crc_articles": "12, 13",
        "indicators": ["I05"],
    },
    {
        "code": "3",
        "title": "Мүмкіндігі шектеулі балалар үшін кедергісіз қала",
        "description": "Мектептер, емханалар мен көлік мүмкіндігі шектеулі балаларға қолжетімді.",
        "rights": ["R3", "R9"],
        "crc_articles": "2, 23",
        "indicators": ["I09"],
    },
]

PRIORITIES = [
    (
        "Спорт және ойын нысандарына дейінгі қашықтық",
        PriorityArea.Source.AUDIT_BARRIER,
        "barrier:distance",
        "Аудит: шеткі аудандардағы балаларға спорт кешеніне жету қиын.",
    ),
    (
        "Мүмкіндігі шектеулі балаларға физикалық кедергілер",
        PriorityArea.Source.AUDIT_BARRIER,
        "barrier:physical",
        "Аудит: үш мектепте пандус жоқ.",
    ),
    (
        "Балалар бюджетінің жеке бағыты жоқ",
        PriorityArea.Source.GOVERNANCE_GAP,
        "G07",
        "Басқару бағалауы: «жоқ» деп жауап берілді.",
    ),
]

STREAMS = [
    ("7.1", "Бос уақыт, ойын және спорт"),
    ("7.2", "Балалардың қатысуы"),
    ("7.3", "Кедергісіз қала"),
]


def _actions(today: datetime.date) -> list[dict[str, Any]]:
    year = today.year

    def d(y: int, m: int, day: int = 1) -> datetime.date:
        return datetime.date(y, m, day)

    return [
        {
            "code": "7.1.a",
            "title": "Балаларға арналған тегін демалыс билеті",
            "status": S.EVALUATED,
            "target_ages": ["M", "Y"],
            "department": "Дене шынықтыру және спорт бөлімі",
            "staff_roles": ["SR2", "SR3"],
            "starts_on": d(year - 1, 2),
            "ends_on": d(year - 1, 11, 30),
            "indicators": ["I01"],
            "priority": 0,
            "participation_where": "Мектептер мен жасөспірімдер клубтары",
            "participation_when": "Жобаның басында және соңында",
            "participation_type": "T2",
            "participation_rung": "H6",
            "impact_before": "Спорт секцияларына 18% бала барады",
            "impact_after": "Спорт секцияларына 31% бала барады",
            "impact_children_feedback": "«Енді достарыммен бассейнге тегін барамыз» "
            "(Айгерім, 13 жас).",
        },
        {
            "code": "7.1.b",
            "title": "Шеткі аудандарда үш жаңа ойын алаңы",
            "status": S.IN_PROGRESS,
            "target_ages": ["E", "M"],
            "department": "Құрылыс бөлімі",
            "staff_roles": ["SR2"],
            "starts_on": d(year, 3),
            "ends_on": d(year + 1, 6, 30),
            "indicators": ["I02"],
            "priority": 0,
            "participation_where": "Аула кездесулері",
            "participation_when": "Жобалау кезеңінде",
            "participation_type": "T3",
            "participation_rung": "H7",
        },
        {
            "code": "7.1.c",
            "title": "Мектеп спорт залдарын кешке ашу",
            "status": S.IN_PROGRESS,
            "target_ages": ["M", "Y"],
            "department": "Білім бөлімі",
            "staff_roles": ["SR2"],
            # Overdue: its end date has passed while it is still in progress.
            "starts_on": today - datetime.timedelta(days=240),
            "ends_on": today - datetime.timedelta(days=20),
            "indicators": ["I01"],
            "priority": 0,
        },
        {
            "code": "7.2.a",
            "title": "Қалалық балалар мен жастар кеңесі",
            "status": S.DONE,
            "target_ages": ["M", "Y"],
            "department": "Жастар саясаты бөлімі",
            "staff_roles": ["SR1", "SR4", "SR5"],
            "starts_on": d(year - 1, 9),
            "ends_on": d(year, 5, 31),
            "indicators": ["I05"],
            "participation_where": "Әкімдіктің мәжіліс залы",
            "participation_when": "Тоқсан сайын",
            "participation_type": "T1",
            "participation_rung": "H8",
        },
        {
            "code": "7.2.b",
            "title": "Балалар бюджетінің ашық тыңдауы",
            "status": S.PLANNED,
            "target_ages": ["Y"],
            "department": "Экономика және бюджеттік жоспарлау бөлімі",
            "staff_roles": ["SR3", "SR5"],
            "starts_on": d(year + 1, 2),
            "ends_on": d(year + 1, 4, 30),
            "governance_question": "G07",
            "priority": 2,
            "participation_where": "Жастар орталығы",
            "participation_when": "Бюджет жобасын талқылау кезінде",
            "participation_type": "T1",
            "participation_rung": "H5",
        },
        {
            "code": "7.3.a",
            "title": "Үш мектепке пандус пен лифт орнату",
            "status": S.PLANNED,
            "target_ages": ["E", "M", "Y"],
            "department": "Білім бөлімі",
            "staff_roles": ["SR2"],
            "starts_on": d(year, 9),
            "ends_on": d(year + 1, 8, 31),
            "indicators": ["I09"],
            "priority": 1,
            "participation_where": "Мүмкіндігі шектеулі балалармен бірге қала аралау",
            "participation_when": "Жұмыс басталар алдында",
            "participation_type": "T4",
            "participation_rung": "H6",
        },
        {
            "code": "7.3.b",
            "title": "Қоғамдық көліктегі кедергілерді балалармен бірге тексеру",
            "status": S.DROPPED,
            "target_ages": ["M"],
            "department": "Көлік бөлімі",
            "staff_roles": ["SR3"],
            "starts_on": d(year - 1, 4),
            "ends_on": d(year - 1, 6, 30),
            "priority": 1,
        },
        {
            "code": "7.3.c",
            "title": "I03 көрсеткіші бойынша деректер жинау",
            "status": S.DRAFT,
            "department": "Статистика бөлімі",
            "staff_roles": ["SR3"],
            "starts_on": d(year + 1, 1),
            "ends_on": d(year + 1, 3, 31),
            "data_gap_indicator": "I03",
            "indicators": ["I03"],
        },
    ]


def demo_populate(municipality: Municipality, *, complete: bool) -> None:
    with transaction.atomic():
        if not complete:
            strategy, _ = Strategy.objects.get_or_create(municipality=municipality)
            if not strategy.title:
                strategy.title = "Стратегия «Кокшетау — город, дружественный детям»"
                strategy.save(update_fields=["title", "updated_at"])
            return
        _complete(municipality)


def _complete(municipality: Municipality) -> None:
    today = datetime.date.today()
    strategy, _ = Strategy.objects.update_or_create(
        municipality=municipality,
        defaults={
            "title": "«Павлодар — балаларға мейірімді қала» стратегиясы",
            "vision": "Павлодар — әр бала қауіпсіз өсіп, ойнап, оқып, өз пікірін айта алатын "
            "және оны ересектер тыңдайтын қала.",
            "principles": "Баланың мүддесі бірінші орында.\nКемсітушіліктің болмауы.\n"
            "Балалардың пікірін тыңдау және ескеру.\nАшықтық және есептілік.",
            "first_year": today.year - 1,
            "last_year": today.year + 3,
            "children_involvement": "Стратегия жобасын 12 мектептің 340 оқушысы сауалнама "
            "арқылы талқылады; балалар мен жастар кеңесі басымдықтарды таңдады.",
        },
    )
    goals = {}
    for goal_values in GOALS:
        goal, _ = Goal.objects.update_or_create(
            strategy=strategy, code=goal_values["code"], defaults=goal_values
        )
        goals[goal.code] = goal
    areas = []
    for title, source, reference, description in PRIORITIES:
        area, _ = PriorityArea.objects.update_or_create(
            strategy=strategy,
            source=source,
            source_reference=reference,
            defaults={"title": title, "description": description},
        )
        areas.append(area)
    streams = {}
    for (code, title), goal_code in zip(STREAMS, ("1", "2", "3"), strict=True):
        stream, _ = ActionStream.objects.update_or_create(
            municipality=municipality,
            code=code,
            defaults={"title": title, "goal": goals[goal_code]},
        )
        streams[code] = stream
    for item in _actions(today):
        values = dict(item)
        priority = values.pop("priority", None)
        action_code = str(values.pop("code"))
        Action.objects.update_or_create(
            municipality=municipality,
            code=action_code,
            defaults={
                **values,
                "stream": streams[action_code.rsplit(".", 1)[0]],
                "priority_area": areas[priority] if priority is not None else None,
                "is_demo": True,
            },
        )
