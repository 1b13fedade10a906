"""Demonstration content of the audit of facilities (labelled is_demo).

Kokshetau (complete=False): the audit has started, a few items in Russian, some with
barriers, one absent. Pavlodar (complete=True): the audit is done, in Kazakh, every item
rated by adults and by children.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from meirim.facilities.models import Facility
from meirim.facilities.services import facility_create, facility_update
from meirim.geography.models import Municipality

_KOKSHETAU: list[dict[str, Any]] = [
    {
        "name": "Детская поликлиника № 1",
        "kind": "health",
        "address": "ул. Абая, 112",
        "latitude": "53.2871",
        "longitude": "69.3895",
        "target_ages": ["E", "M"],
        "availability": "not_accessible",
        "barriers": ["physical", "information"],
        "barrier_note": "Нет пандуса у входа; расписание врачей только на казахском и русском "
        "на бумаге у регистратуры.",
        "groups_affected": ["disability"],
        "adult_rating": 3,
        "evidence": "Акт обследования от 12.03.2026, фотографии входа.",
        "audited_on": dt.date(2026, 3, 12),
    },
    {
        "name": "Центральный парк",
        "kind": "play",
        "address": "ул. Ауэзова, 1",
        "latitude": "53.2795",
        "longitude": "69.3960",
        "target_ages": ["E", "M", "Y"],
        "availability": "available",
        "barriers": ["safety"],
        "barrier_note": "Вечером плохое освещение у северного входа.",
        "groups_affected": ["age"],
        "adult_rating": 4,
        "children_rating": 3,
        "children_asked_by": "walkabout",
        "children_asked_note": "Дети просят больше площадок для подростков и фонари.",
        "evidence": "Прогулка с 12 детьми 5 апреля 2026 года, заметки волонтёров.",
        "audited_on": dt.date(2026, 4, 5),
    },
    {
        "name": "Спортивная школа «Олимп»",
        "kind": "sport",
        "address": "ул. Горького, 36",
        "latitude": "53.2902",
        "longitude": "69.3801",
        "target_ages": ["M", "Y"],
        "availability": "not_accessible",
        "barriers": ["cost", "distance"],
        "barrier_note": "Платные секции; нет прямого автобуса из микрорайона Сарыарка.",
        "groups_affected": ["location"],
        "adult_rating": 4,
        "audited_on": dt.date(2026, 4, 9),
    },
    {
        "name": "Библиотека для детей и юношества",
        "kind": "culture",
        "address": "ул. Ауэзова, 189",
        "latitude": "53.2838",
        "longitude": "69.4012",
        "target_ages": ["E", "M", "Y"],
        "availability": "available",
        "adult_rating": 5,
        "audited_on": dt.date(2026, 4, 10),
    },
    {
        "name": "Центр поддержки подростков в микрорайоне Сарыарка",
        "kind": "social_protection",
        "address": "мкр. Сарыарка",
        "latitude": "53.2651",
        "longitude": "69.3602",
        "target_ages": ["M", "Y"],
        "availability": "absent",
        "barriers": ["distance"],
        "barrier_note": "Ближайший центр — в 6 км, в центре города.",
        "groups_affected": ["location"],
        "evidence": "Обращения родителей в акимат, 2025 год.",
    },
]

_PAVLODAR: list[dict[str, Any]] = [
    {
        "name": "№ 1 балалар емханасы",
        "kind": "health",
        "address": "Кривенко к-сі, 25",
        "latitude": "52.2870",
        "longitude": "76.9674",
        "target_ages": ["E", "M"],
        "availability": "available",
        "adult_rating": 4,
        "children_rating": 4,
        "children_asked_by": "survey",
        "children_asked_note": "Балалар күту залындағы ойын бұрышын ұнатады.",
    },
    {
        "name": "№ 3 мектеп-гимназия",
        "kind": "education",
        "address": "Естай к-сі, 81",
        "latitude": "52.2791",
        "longitude": "76.9560",
        "target_ages": ["M", "Y"],
        "availability": "not_accessible",
        "barriers": ["physical"],
        "barrier_note": "Екінші қабатқа лифт жоқ.",
        "groups_affected": ["disability"],
        "adult_rating": 3,
        "children_rating": 2,
        "children_asked_by": "focus_group",
        "children_asked_note": "Мүгедектігі бар сыныптастарымыз зертханаларға бара алмайды.",
    },
    {
        "name": "Ертіс жағалауы",
        "kind": "play",
        "address": "Ертіс жағалауы",
        "latitude": "52.2960",
        "longitude": "76.9420",
        "target_ages": ["E", "M", "Y"],
        "availability": "available",
        "barriers": ["safety"],
        "barrier_note": "Су жағасында қоршау жетіспейді.",
        "groups_affected": ["age"],
        "adult_rating": 5,
        "children_rating": 4,
        "children_asked_by": "walkabout",
        "children_asked_note": "Велосипед жолы көбірек болса екен.",
    },
    {
        "name": "Балалар-жасөспірімдер спорт мектебі",
        "kind": "sport",
        "address": "Ломов к-сі, 47",
        "latitude": "52.2712",
        "longitude": "76.9705",
        "target_ages": ["M", "Y"],
        "availability": "not_accessible",
        "barriers": ["cost"],
        "barrier_note": "Кейбір секциялар ақылы.",
        "groups_affected": ["location"],
        "adult_rating": 4,
        "children_rating": 3,
        "children_asked_by": "survey",
        "children_asked_note": "Тегін секциялар аз.",
    },
    {
        "name": "Облыстық балалар кітапханасы",
        "kind": "culture",
        "address": "Торайғыров к-сі, 64",
        "latitude": "52.2855",
        "longitude": "76.9510",
        "target_ages": ["E", "M", "Y"],
        "availability": "available",
        "adult_rating": 5,
        "children_rating": 5,
        "children_asked_by": "suggestion_box",
        "children_asked_note": "Комикстер мен робототехника үйірмесі ұнайды.",
    },
    {
        "name": "№ 12 автобус бағыты",
        "kind": "transport",
        "address": "Шығыс шағын ауданы",
        "latitude": "52.3050",
        "longitude": "76.9850",
        "target_ages": ["M", "Y"],
        "availability": "not_accessible",
        "barriers": ["distance", "safety"],
        "barrier_note": "Кешкі рейстер сирек, аялдамалар жарықтандырылмаған.",
        "groups_affected": ["location", "sex"],
        "adult_rating": 2,
        "children_rating": 2,
        "children_asked_by": "focus_group",
        "children_asked_note": "Қыздар кешке аялдамада күтуге қорқады.",
    },
    {
        "name": "Отбасын қолдау орталығы",
        "kind": "social_protection",
        "address": "Академик Сәтбаев к-сі, 10",
        "latitude": "52.2890",
        "longitude": "76.9390",
        "target_ages": ["E", "M", "Y"],
        "availability": "available",
        "barriers": ["information"],
        "barrier_note": "Отбасылардың көбі орталық туралы білмейді.",
        "groups_affected": ["ethnicity"],
        "adult_rating": 4,
        "children_rating": 4,
        "children_asked_by": "survey",
        "children_asked_note": "Психолог көмегі пайдалы.",
    },
    {
        "name": "Инклюзивті ойын алаңы",
        "kind": "play",
        "address": "Шығыс шағын ауданы",
        "latitude": "52.3020",
        "longitude": "76.9900",
        "target_ages": ["E", "M"],
        "availability": "absent",
        "barriers": ["physical"],
        "barrier_note": "Шағын ауданда мүгедек балаларға арналған алаң жоқ.",
        "groups_affected": ["disability", "location"],
        "adult_rating": 1,
        "children_rating": 1,
        "children_asked_by": "walkabout",
        "children_asked_note": "Арбадағы достарымызбен бірге ойнайтын орын керек.",
    },
    {
        "name": "Жасөспірімдер денсаулық орталығы",
        "kind": "health",
        "address": "Қайырбаев к-сі, 32",
        "latitude": "52.2760",
        "longitude": "76.9620",
        "target_ages": ["M", "Y"],
        "availability": "available",
        "barriers": ["discrimination"],
        "barrier_note": "Жасөспірімдер ата-анасыз келуге қысылады.",
        "groups_affected": ["age"],
        "adult_rating": 4,
        "children_rating": 3,
        "children_asked_by": "focus_group",
        "children_asked_note": "Құпиялылық маңызды, онлайн жазылу керек.",
    },
    {
        "name": "Балалар шығармашылық сарайы",
        "kind": "culture",
        "address": "Жаяу Мұса к-сі, 3",
        "latitude": "52.2830",
        "longitude": "76.9460",
        "target_ages": ["E", "M", "Y"],
        "availability": "available",
        "adult_rating": 5,
        "children_rating": 4,
        "children_asked_by": "survey",
        "children_asked_note": "Үйірмелер көп, бірақ кезек ұзақ.",
    },
]


def _values(item: dict[str, Any], audited_on: dt.date | None) -> dict[str, Any]:
    values = dict(item)
    for name in ("latitude", "longitude"):
        if values.get(name) is not None:
            values[name] = Decimal(values[name])
    values.setdefault("audited_on", audited_on)
    if values.get("children_rating") and not values.get("evidence"):
        values["evidence"] = "Аудит хаттамасы, фотосуреттер, балалармен кездесу жазбалары."
    return values


def demo_populate(municipality: Municipality, *, complete: bool) -> None:
    """Idempotent: items are found again by name; their values are set to the demo's."""
    items = _PAVLODAR if complete else _KOKSHETAU
    audited_on = dt.date(2026, 5, 20) if complete else None
    with transaction.atomic():
        existing = {f.name: f for f in Facility.objects.filter(municipality=municipality)}
        for item in items:
            values = _values(item, audited_on)
            found = existing.get(values["name"])
            if found is None:
                facility_create(municipality=municipality, values=values, actor=None, is_demo=True)
            elif found.is_demo:
                facility_update(facility=found, values=values, actor=None)
