"""Demonstration content of the participation log (labelled ``is_demo``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from meirim.geography.models import Municipality
from meirim.participation import services
from meirim.participation.models import Activity, EvidenceStatement
from meirim.planning.models import Action

# (topic, date, recurrence, how often, action code, rung, type, quality met, counts, groups,
#  impact, what changed). Pavlodar's texts are in Kazakh.
ACTIVITIES: list[tuple[Any, ...]] = [
    (
        "Балалар саябағының жобасын талқылау",
        date(2025, 4, 12), "one_off", "", "7.1.b", "H6", "T2",
        ("Q1", "Q2", "Q3", "Q4", "Q5", "Q7"),
        {("10_13", "girls"): 14, ("10_13", "boys"): 11, ("14_17", "girls"): 6},
        {"disability": 3, "poverty": 5},
        "Балалар ойын алаңының орналасуын таңдады.",
        "Саябақ жобасына көлеңкелі орындар мен пандус қосылды.",
    ),
    (
        "Жасөспірімдер кеңесінің отырысы",
        date(2025, 9, 20), "recurring", "ай сайын", "7.2.a", "H7", "T1",
        ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q8", "Q9"),
        {("14_17", "girls"): 9, ("14_17", "boys"): 8, ("18_24", "girls"): 2},
        {"rural": 4},
        "Кеңес жастар орталығының жұмыс кестесін ұсынды.",
        "Жастар орталығы демалыс күндері ашық.",
    ),
    (
        "Мектеп аулаларының қауіпсіздігі туралы сауалнама",
        date(2025, 11, 5), "one_off", "", "7.3.b", "H5", "T4",
        ("Q1", "Q2", "Q3", "Q4", "Q8"),
        {("10_13", "girls"): 40, ("10_13", "boys"): 37, ("under_10", "girls"): 12,
         ("under_10", "boys"): 15},
        {"minority_language": 6},
        "Қауіпті өткелдер тізімі жасалды.",
        "",
    ),
    (
        "Балалар күніне арналған мерекеде балалар сахнада өнер көрсетті",
        date(2025, 6, 1), "one_off", "", "", "H2", "T5",
        ("Q3",),
        {("under_10", "girls"): 20, ("under_10", "boys"): 18},
        {},
        "",
        "",
    ),
    (
        "Кітапханалар туралы балалармен кеңес",
        date(2026, 2, 14), "recurring", "тоқсан сайын", "7.1.a", "H6", "T3",
        ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"),
        {("10_13", "girls"): 10, ("10_13", "boys"): 7, ("14_17", "not_stated"): 3},
        {"in_care": 4, "disability": 2},
        "Балалар кітапхана қорына жаңа кітаптар ұсынды.",
        "Кітапхананың балалар бөлімі сенбі күні де ашық.",
    ),
    (
        "Балалар стратегиясының жобасын бағалау",
        date(2026, 3, 18), "one_off", "", "7.1.b", "H8", "T2",
        ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9"),
        {("14_17", "girls"): 12, ("14_17", "boys"): 10, ("18_24", "boys"): 5},
        {"rural": 6, "poverty": 3},
        "Балалар стратегияның үш басымдығын өзгертті.",
        "Стратегияға ауыл балаларына арналған іс-қимыл қосылды.",
    ),
]  # fmt: skip

STATEMENTS = {
    "P5": "Бала құқықтары туралы Конвенцияның 12-бабы қалалық балалар стратегиясында және "
    "жастар саясаты туралы әкімдік қаулысында көрсетілген.",
    "P6": "Қаланың 42 мектебінде 5–9 сыныптарда «Бала құқықтары» сабағы өтеді; арнайы "
    "мектепте сабақ ымдау тілінде жүргізіледі.",
    "P7": "«Павлодар» телеарнасында ай сайын «Балалар үні» бағдарламасы шығады.",
}


def demo_populate(municipality: Municipality, *, complete: bool) -> None:
    """Pavlodar (``complete``): six activities over two years and P5–P7 statements.
    Kokshetau: nothing (the walk through logs an activity)."""
    if not complete:
        return
    if Activity.objects.filter(municipality=municipality, is_demo=True).exists():
        return
    actions = {a.code: a for a in Action.objects.filter(municipality=municipality)}
    for (topic, held_on, recurrence, note, action, rung, kind, met, counts, groups, impact,
         changed) in ACTIVITIES:  # fmt: skip
        services.activity_save(
            municipality=municipality,
            values={
                "topic": topic,
                "held_on": held_on,
                "recurrence": recurrence,
                "recurrence_note": note,
                "action": actions.get(action),
                "rung": rung,
                "kind": kind,
                "quality": {code: {"met": True, "evidence": ""} for code in met},
                "hard_to_reach": groups,
                "impact": impact,
                "what_changed": changed,
            },
            participants=counts,
            actor=None,
            is_demo=True,
        )
    for code, text in STATEMENTS.items():
        if not EvidenceStatement.objects.filter(municipality=municipality, code=code).exists():
            services.evidence_statement_save(
                municipality=municipality, code=code, text=text, actor=None
            )
