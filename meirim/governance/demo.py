"""Demonstration content: the coordination council and the governance self-assessment.

``complete=False`` is a city mid-preparation (Kokshetau, texts in Russian): the council set up,
the 2026 assessment about half answered. ``complete=True`` is a city whose Phase 1 is done
(Pavlodar, texts in Kazakh): the council complete, the 2025 assessment closed with its report,
and the 2026 assessment open and partly answered, so that the change per question shows.
Idempotent: running it again changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from meirim.geography.models import Municipality
from meirim.governance import selectors, services
from meirim.governance.models import (
    AssessmentRound,
    CouncilMeeting,
    CouncilMember,
    RoundParticipant,
    SectionAssignment,
)

RU: dict[str, Any] = {
    "council": {
        "chair_name": "Сейтказин Ержан Болатович",
        "chair_role": "deputy_akim",
        "established_on": date(2026, 2, 12),
        "tor_functions": (
            "Координация работы государственных органов, организаций и НПО по реализации "
            "инициативы «Город, дружественный детям»; рассмотрение результатов оценки положения "
            "детей; одобрение стратегии и плана действий в интересах детей."
        ),
        "tor_responsibilities": (
            "Заместитель акима — председатель; отделы образования, здравоохранения, "
            "социальной защиты, физической культуры и спорта представляют отчёты раз в квартал; "
            "секретарь ведёт протоколы и публикует решения."
        ),
        "tor_targets": (
            "Подготовить портфолио первой фазы к концу 2026 года; провести не менее четырёх "
            "заседаний в год; вовлечь детский маслихат во все решения совета."
        ),
        "tor_deadlines": "Оценка управления — до 30 июня 2026; стратегия — до 30 сентября 2026.",
        "information_programme": (
            "Ежемесячные публикации на сайте акимата и в социальных сетях, встречи с "
            "родителями в школах, страница «Город для детей» в городской газете."
        ),
    },
    "members": [
        ("Сейтказин Ержан Болатович", "Акимат города Кокшетау", "chair", "approved"),
        ("Жумабекова Айгуль Нурлановна", "Отдел образования", "deputy_chair", "approved"),
        ("Ким Светлана Викторовна", "Акимат города Кокшетау", "secretary", "approved"),
        ("Оспанов Марат Кайратович", "Городская поликлиника № 2", "member", "approved"),
        (
            "Иванова Наталья Сергеевна",
            "Отдел занятости и социальных программ",
            "member",
            "approved",
        ),
        ("Абдрахманова Дана Ерлановна", "ОО «Балалар әлемі»", "member", "approved"),
        ("Туребаев Арман Серикович", "Детский маслихат Кокшетау", "children", "invited"),
    ],
    "meetings": [
        (
            date(2026, 2, 20),
            "Создание совета, утверждение положения.",
            "Положение о совете утверждено единогласно. Секретарём назначена С. В. Ким.",
        ),
        (
            date(2026, 4, 15),
            "Начало оценки управления; распределение разделов по отделам.",
            "Разделы анкеты распределены между отделами; срок ответов — 31 мая.",
        ),
    ],
    "participants": [
        ("Жумабекова Айгуль Нурлановна", "Отдел образования", "Руководитель отдела"),
        ("Оспанов Марат Кайратович", "Городская поликлиника № 2", "Главный врач"),
        ("Абдрахманова Дана Ерлановна", "ОО «Балалар әлемі»", "Директор"),
    ],
    "comment": "Подтверждено документами отдела.",
    "responsible": "Отдел образования",
    "planned": "Включить в план действий на 2027 год.",
    "no": "Нет ответственного органа; требуется решение совета.",
    "na": "Не относится к полномочиям городского акимата.",
}

KK: dict[str, Any] = {
    "council": {
        "chair_name": "Әбілқасымов Нұрлан Серікұлы",
        "chair_role": "akim",
        "established_on": date(2025, 1, 20),
        "tor_functions": (
            "«Балаларға қолайлы қала» бастамасын іске асыру бойынша мемлекеттік органдардың, "
            "ұйымдар мен ҮЕҰ жұмысын үйлестіру; балалардың жағдайын бағалау нәтижелерін қарау; "
            "балалар мүддесіндегі стратегия мен іс-қимыл жоспарын мақұлдау."
        ),
        "tor_responsibilities": (
            "Қала әкімі — төраға; білім беру, денсаулық сақтау, әлеуметтік қорғау және спорт "
            "бөлімдері тоқсан сайын есеп береді; хатшы хаттамаларды жүргізеді."
        ),
        "tor_targets": (
            "Бірінші кезең портфолиосын 2025 жылдың соңына дейін дайындау; жылына кемінде "
            "төрт отырыс өткізу; балалар мәслихатын барлық шешімдерге тарту."
        ),
        "tor_deadlines": "Басқаруды бағалау — 2025 жылғы 30 маусымға дейін.",
        "information_programme": (
            "Әкімдік сайтында және әлеуметтік желілерде ай сайынғы жарияланымдар, мектептерде "
            "ата-аналармен кездесулер, қалалық газеттегі «Балаларға арналған қала» беті."
        ),
    },
    "members": [
        ("Әбілқасымов Нұрлан Серікұлы", "Павлодар қаласының әкімдігі", "chair", "approved"),
        ("Жақсыбекова Гүлнар Маратқызы", "Білім беру бөлімі", "deputy_chair", "approved"),
        ("Омарова Әсем Болатқызы", "Павлодар қаласының әкімдігі", "secretary", "approved"),
        ("Төлеубаев Ерлан Қайратұлы", "Қалалық емхана № 1", "member", "approved"),
        (
            "Сарсенова Мадина Ержанқызы",
            "Жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
            "member",
            "approved",
        ),
        ("Бекмұхамбетов Дәурен Асқарұлы", "«Болашақ балалары» ҚБ", "member", "approved"),
        ("Қасымова Аружан Нұрланқызы", "Павлодар балалар мәслихаты", "children", "approved"),
        ("Исаев Руслан Бақытұлы", "Дене шынықтыру және спорт бөлімі", "member", "approved"),
    ],
    "meetings": [
        (date(2025, 1, 28), "Кеңесті құру, ережені бекіту.", "Кеңес туралы ереже бекітілді."),
        (date(2025, 4, 10), "Басқаруды бағалауды бастау.", "Бөлімдер арасында бөлімдер бөлінді."),
        (
            date(2025, 6, 25),
            "Бағалау нәтижелерін келісу.",
            "Келісілген бағалау мен балалар құқықтары жағдайының қорытындысы мақұлданды.",
        ),
    ],
    "participants": [
        ("Жақсыбекова Гүлнар Маратқызы", "Білім беру бөлімі", "Бөлім басшысы"),
        ("Төлеубаев Ерлан Қайратұлы", "Қалалық емхана № 1", "Бас дәрігер"),
        ("Бекмұхамбетов Дәурен Асқарұлы", "«Болашақ балалары» ҚБ", "Директор"),
    ],
    "comment": "Бөлімнің құжаттарымен расталған.",
    "responsible": "Білім беру бөлімі",
    "planned": "2026 жылғы іс-қимыл жоспарына енгізу.",
    "no": "Жауапты орган жоқ; кеңестің шешімі қажет.",
    "na": "Қала әкімдігінің өкілеттігіне жатпайды.",
    "agreed_assessment": (
        "Бағалауға қатысушылар қала балалар құқықтарын қорғауға қатысты негізгі "
        "міндеттемелерді орындайтынын келісті: стратегия бар, ведомствоаралық үйлестіру "
        "жүргізіледі. Деректер мен бюджеттеу бөлігінде олқылықтар бар."
    ),
    "rights_summary": (
        "Павлодардағы балалардың білім беруге және денсаулық сақтауға қолжетімділігі жоғары; "
        "мүгедектігі бар балалар үшін ойын және спорт алаңдарының қолжетімділігі шектеулі; "
        "аудандар бойынша деректер жеткіліксіз."
    ),
}


def _answer(code: str, index: int, texts: dict[str, Any], pattern: str) -> dict[str, Any]:
    value = {"y": "yes", "p": "planned", "n": "no", "a": "not_applicable"}[
        pattern[index % len(pattern)]
    ]
    item: dict[str, Any] = {"question": code, "answer": value, "comment": texts["comment"]}
    if value == "planned":
        item["future_action"] = texts["planned"]
        item["responsible"] = texts["responsible"]
    elif value == "no":
        item["comment"] = texts["no"]
    elif value == "not_applicable":
        item["reason"] = texts["na"]
    return item


def _council(municipality: Municipality, texts: dict[str, Any]) -> None:
    services.council_save(municipality=municipality, values=texts["council"], actor=None)
    council = services.council_ensure(municipality)
    established = texts["council"]["established_on"]
    for name, organisation, role, status in texts["members"]:
        if CouncilMember.objects.filter(council=council, name=name).exists():
            continue
        services.member_save(
            municipality=municipality,
            values={
                "name": name,
                "organisation": organisation,
                "council_role": role,
                "status": status,
                "invited_on": established,
                "approved_on": established if status == "approved" else None,
            },
            actor=None,
        )
    for held_on, agenda, minutes in texts["meetings"]:
        if CouncilMeeting.objects.filter(council=council, held_on=held_on).exists():
            continue
        services.meeting_save(
            municipality=municipality,
            values={"held_on": held_on, "agenda": agenda, "minutes": minutes},
            actor=None,
        )


def _round(
    municipality: Municipality, year: int, texts: dict[str, Any], mode: str
) -> AssessmentRound:
    found = selectors.round_get(municipality, year)
    if found is None:
        found = services.round_open(municipality=municipality, year=year, mode=mode, actor=None)
    for name, agency, position in texts["participants"]:
        if not RoundParticipant.objects.filter(round=found, name=name).exists():
            services.participant_add(
                round=found, name=name, agency=agency, position=position, actor=None
            )
    heads = selectors.department_heads(municipality)
    if heads and not SectionAssignment.objects.filter(round=found).exists():
        for section in ("GS-I.4", "GS-II.3"):
            services.section_assign(
                round=found, section=section, assignee_id=heads[0].pk, actor=None
            )
    return found


def demo_populate(municipality: Municipality, *, complete: bool) -> None:
    codes = sorted(selectors.catalogue_questions(selectors.catalogue_version()))
    if not codes:
        return
    if not complete:
        _council(municipality, RU)
        current = _round(municipality, 2026, RU, AssessmentRound.Mode.CHECKLIST)
        if current.state == AssessmentRound.State.OPEN:
            half = codes[: len(codes) // 2]
            services.answers_save(
                round=current,
                answers=[_answer(c, i, RU, "yyyypyyny") for i, c in enumerate(half)],
                actor=None,
            )
        return
    _council(municipality, KK)
    earlier = _round(municipality, 2025, KK, AssessmentRound.Mode.GROUP_DISCUSSION)
    if earlier.state == AssessmentRound.State.OPEN:
        services.answers_save(
            round=earlier,
            answers=[_answer(c, i, KK, "yyynypyyay") for i, c in enumerate(codes)],
            actor=None,
        )
        services.round_save(
            round=earlier,
            values={
                "agreed_assessment": KK["agreed_assessment"],
                "rights_summary": KK["rights_summary"],
            },
            actor=None,
        )
        services.round_close(round=earlier, actor=None)
    current = _round(municipality, 2026, KK, AssessmentRound.Mode.GROUP_DISCUSSION)
    if current.state == AssessmentRound.State.OPEN:
        # A year on: several gaps of 2025 are now planned or done.
        part = codes[:30]
        services.answers_save(
            round=current,
            answers=[_answer(c, i, KK, "yyyypyyyyy") for i, c in enumerate(part)],
            actor=None,
        )
