"""Demonstration suggestions: Kokshetau's box in use (answered, published, one held for a
phone number, one safeguarding concern for its protection officer) and a few in Pavlodar,
one planned as an action of its plan (Kokshetau is still writing its own). Safe to run
again: a city that has demo suggestions is left as it is; the receipts are the same on
every run.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.voice import privacy, receipts
from meirim.voice.models import Suggestion

KOKSHETAU = "KZ-AKM-KOKSHETAU"
PAVLODAR = "KZ-PAV-PAVLODAR"

PUBLISH, HOLD, NEW, NOT_PUBLISHED, SAFEGUARDING = "publish", "hold", "new", "not", "safe"

# (text, topic, age band, outcome, answer, what happens, index of the linked plan action)
KOKSHETAU_MESSAGES: list[tuple[str, str, str, str, str, str, int | None]] = [
    (
        "Сделайте, пожалуйста, скейт-парк возле озера Копа.",
        "play",
        "14_17",
        "planned",
        "Спасибо! Скейт-парк включён в план действий города на следующий год.",
        PUBLISH,
        0,
    ),
    (
        "Во дворе нет горки для малышей, только старые качели.",
        "play",
        "under_10",
        "done",
        "Мы поставили новую горку и качели во дворе весной. Приходите играть!",
        PUBLISH,
        1,
    ),
    (
        "Мектепке баратын жолда бағдаршам жоқ, өту қорқынышты.",
        "safety",
        "10_13",
        "planned",
        "Рахмет! Бағдаршам орнату қаланың жоспарына енгізілді.",
        PUBLISH,
        2,
    ),
    (
        "Хочу, чтобы в библиотеке были комиксы и настольные игры.",
        "school",
        "10_13",
        "answered",
        "Библиотека купила настольные игры, комиксы появятся в следующем месяце.",
        PUBLISH,
        None,
    ),
    (
        "Саябақта кешке жарық жоқ, қараңғыда үйге қайту қорқынышты.",
        "safety",
        "14_17",
        "planned",
        "Саябаққа жаңа шамдар қою жоспарланды.",
        PUBLISH,
        2,
    ),
    (
        "Сделайте бесплатный кружок робототехники для девочек.",
        "school",
        "14_17",
        "answered",
        "Во Дворце школьников с сентября открыт бесплатный кружок робототехники.",
        PUBLISH,
        None,
    ),
    (
        "Автобус №5 ходит очень редко, в школу опаздываем.",
        "transport",
        "14_17",
        "cannot",
        "Мы попросили перевозчика добавить рейсы утром.",
        PUBLISH,
        None,
    ),
    (
        "Футбол алаңының торы жыртылған.",
        "play",
        "10_13",
        "done",
        "Торды ауыстырдық. Рахмет, айтқаныңыз үшін!",
        PUBLISH,
        1,
    ),
    (
        "Нужно больше урн в парке, везде мусор.",
        "streets",
        "10_13",
        "done",
        "В парке поставили 20 новых урн.",
        PUBLISH,
        None,
    ),
    (
        "Ауладағы ағаштарды кесіп тастады, жаңа ағаш отырғызыңыздаршы.",
        "streets",
        "under_10",
        "planned",
        "Күзде ауладарға ағаш отырғызу жоспарланды.",
        PUBLISH,
        3,
    ),
    (
        "В поликлинике долго ждать, нет игрушек для маленьких детей.",
        "health",
        "under_10",
        "answered",
        "Мы передали ваше предложение главному врачу, уголок для детей готовят.",
        PUBLISH,
        None,
    ),
    (
        "Спорт залы кешке де ашық болса екен.",
        "play",
        "18_24",
        "answered",
        "Спорт залы енді сағат 21:00-ге дейін ашық.",
        PUBLISH,
        None,
    ),
    (
        "Сделайте велодорожку до школы, по дороге опасно.",
        "transport",
        "10_13",
        "planned",
        "Велодорожка вдоль улицы включена в план.",
        PUBLISH,
        0,
    ),
    (
        "Мне не хватает места, где можно просто посидеть с друзьями после школы.",
        "play",
        "14_17",
        "planned",
        "Мы откроем молодёжное пространство в библиотеке.",
        PUBLISH,
        3,
    ),
    (
        "Балаларға арналған психолог мектепте болса жақсы болар еді.",
        "help",
        "14_17",
        "answered",
        "Әр мектепте психолог бар, кабинет нөмірі мектеп сайтында.",
        PUBLISH,
        None,
    ),
    (
        "Постройте бассейн в нашем районе.",
        "play",
        "10_13",
        "cannot",
        "Мы изучили это предложение.",
        PUBLISH,
        None,
    ),
    ("Зимой тротуары скользкие, я упала.", "streets", "10_13", "", "", NEW, None),
    ("Мектеп асханасында тамақ суық.", "school", "10_13", "", "", NEW, None),
    ("Можно ли сделать каток во дворе зимой?", "play", "under_10", "", "", NEW, None),
    ("Хочу больше кружков по рисованию.", "school", "under_10", "", "", NEW, None),
    (
        "Жасөспірімдер үшін жазғы жұмыс болса екен.",
        "other",
        "18_24",
        "answered",
        "Жастар орталығы жазғы жұмыс бағдарламасын ашады.",
        PUBLISH,
        None,
    ),
    (
        "Меня зовут Айгерим Серикова, позвоните мне +7 701 555 12 34, хочу рассказать про двор.",
        "streets",
        "14_17",
        "",
        "",
        HOLD,
        None,
    ),
    ("Мне страшно дома, меня обижают взрослые.", "help", "10_13", "", "", SAFEGUARDING, None),
    ("Реклама: купите кроссовки дёшево!!!", "other", "", "", "", NOT_PUBLISHED, None),
    (
        "Хочу, чтобы в городе было больше детских праздников.",
        "",
        "",
        "answered",
        "На День защиты детей будет большой праздник в центральном парке.",
        PUBLISH,
        None,
    ),
]

CANNOT_REASONS = {
    6: "Перевозчик не может добавить автобусы до конца года: не хватает машин.",
    15: "В бюджете города на этот год нет средств на бассейн; мы вернёмся к этому в 2028 году.",
}

PAVLODAR_MESSAGES: list[tuple[str, str, str, str, str, str, int | None]] = [
    (
        "Ертіс жағалауында балалар алаңы керек.",
        "play",
        "under_10",
        "planned",
        "Жағалауда жаңа балалар алаңы жоспарланды.",
        PUBLISH,
        0,
    ),
    (
        "Мектеп кітапханасына жаңа кітаптар керек.",
        "school",
        "10_13",
        "done",
        "Кітапханаға 300 жаңа кітап алынды.",
        PUBLISH,
        None,
    ),
    (
        "Қысқы каток тегін болса екен.",
        "play",
        "14_17",
        "answered",
        "Демалыс күндері каток балалар үшін тегін.",
        PUBLISH,
        None,
    ),
    ("Аялдамада орындық жоқ.", "transport", "18_24", "", "", NEW, None),
]


# Kokshetau is mid-preparation with no action plan yet: its first actions come from what the
# children asked for (added only when the plan has no action at all).
def _receipt(city: str, n: int) -> str:
    rng = random.Random(f"meirim-voice-demo-{city}-{n}")  # noqa: S311 - stable demo codes
    return "".join(rng.choice(receipts.ALPHABET) for _ in range(receipts.LENGTH))


def _populate(
    code: str,
    messages: list[tuple[str, str, str, str, str, str, int | None]],
    reasons: dict[int, str],
) -> None:
    municipality = Municipality.objects.get(code=code)
    if Suggestion.objects.filter(municipality=municipality, is_demo=True).exists():
        return
    actions = list(Action.objects.filter(municipality=municipality).order_by("code")[:4])
    today = timezone.localdate()
    for n, (text, topic, band, outcome, answer, fate, action_index) in enumerate(messages):
        received = today - dt.timedelta(days=3 * (len(messages) - n))
        linked = (
            actions[action_index % len(actions)] if action_index is not None and actions else None
        )
        suggestion = Suggestion(
            municipality=municipality,
            text=text,
            topic=topic,
            age_band=band,
            receipt=_receipt(code, n),
            received_on=received,
            is_demo=True,
            outcome=outcome if (outcome != "planned" or linked) else "answered",
            answer=answer,
            outcome_reason=reasons.get(n, ""),
            answered_on=received + dt.timedelta(days=2) if (answer or outcome) else None,
            linked_action=linked,
            tag_topic=topic,
        )
        if fate == PUBLISH:
            suggestion.state = Suggestion.State.PUBLISHED
            suggestion.public_text = privacy.redact(text)
        elif fate == HOLD:
            suggestion.state = Suggestion.State.HELD
        elif fate == NOT_PUBLISHED:
            suggestion.state = Suggestion.State.NOT_PUBLISHED
            suggestion.internal_note = "Реклама, не сообщение ребёнка."
        elif fate == SAFEGUARDING:
            suggestion.state = Suggestion.State.NOT_PUBLISHED
            suggestion.safeguarding = True
            suggestion.safeguarding_raised_at = timezone.now()
            suggestion.internal_note = "Передано специалисту по защите детей."
        suggestion.save()


def demo_populate() -> None:
    with transaction.atomic():
        _populate(KOKSHETAU, KOKSHETAU_MESSAGES, CANNOT_REASONS)
        _populate(
            PAVLODAR,
            PAVLODAR_MESSAGES,
            {},
        )
