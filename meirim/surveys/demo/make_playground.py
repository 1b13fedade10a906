"""Writes playground.xlsx, the demo survey and the example offered on the upload page:
children rate a playground before and after its renovation (R-5.4.1).

Run: ``.venv/bin/python meirim/surveys/demo/make_playground.py``.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
LANGS = ("Kazakh (kk)", "Russian (ru)", "Kyrgyz (ky)", "English (en)")


def _labels(kk: str, ru: str, ky: str, en: str) -> list[str]:
    return [kk, ru, ky, en]


SURVEY = [
    (
        "note",
        "hello",
        _labels(
            "Сәлем! Бұл сауалнама сенің атыңды сұрамайды.",
            "Привет! В этом опросе не спрашивают твоё имя.",
            "Салам! Бул сурамжылоо сенин атыңды сурабайт.",
            "Hello! This survey does not ask your name.",
        ),
        "",
        "",
        "",
        _labels("", "", "", ""),
    ),
    (
        "select_one period",
        "period",
        _labels(
            "Сен ойын алаңын қашан көрдің?",
            "Когда ты видел(а) площадку?",
            "Оюн аянтчасын качан көрдүң?",
            "When did you see the playground?",
        ),
        "yes",
        "",
        "",
        _labels("", "", "", ""),
    ),
    (
        "select_one rating",
        "rating",
        _labels(
            "Ойын алаңы саған ұнай ма?",
            "Тебе нравится детская площадка?",
            "Оюн аянтчасы сага жагабы?",
            "Do you like the playground?",
        ),
        "yes",
        "",
        "",
        _labels(
            "1 — мүлдем ұнамайды, 5 — өте ұнайды",
            "1 — совсем не нравится, 5 — очень нравится",
            "1 — такыр жакпайт, 5 — абдан жагат",
            "1 — not at all, 5 — very much",
        ),
    ),
    (
        "select_multiple likes",
        "likes",
        _labels(
            "Онда не істегенді ұнатасың?",
            "Что тебе нравится там делать?",
            "Ал жерде эмне кылганды жакшы көрөсүң?",
            "What do you like doing there?",
        ),
        "",
        "",
        "",
        _labels(
            "Бірнешеуін таңдауға болады",
            "Можно выбрать несколько",
            "Бир нечесин тандаса болот",
            "You can choose several",
        ),
    ),
    (
        "integer",
        "age",
        _labels(
            "Сен нешедесің?",
            "Сколько тебе лет?",
            "Сен канча жаштасың?",
            "How old are you?",
        ),
        "yes",
        "",
        ". >= 5 and . <= 24",
        _labels("", "", "", ""),
    ),
    (
        "text",
        "better",
        _labels(
            "Не жақсарту керек?",
            "Что нужно сделать лучше?",
            "Эмнени жакшыртуу керек?",
            "What should be better?",
        ),
        "",
        "${rating} <= 2",
        "",
        _labels(
            "Атыңды және телефоныңды жазба",
            "Не пиши своё имя и телефон",
            "Атыңды жана телефонуңду жазба",
            "Do not write your name or phone number",
        ),
    ),
    (
        "note",
        "bye",
        _labels(
            "Рақмет! Сенің пікірің маңызды.",
            "Спасибо! Твоё мнение важно.",
            "Рахмат! Сенин пикириң маанилүү.",
            "Thank you! Your opinion matters.",
        ),
        "",
        "",
        "",
        _labels("", "", "", ""),
    ),
]

CHOICES = [
    ("period", "before",
     _labels("Жөндеуден бұрын", "До ремонта", "Оңдоодон мурун", "Before the renovation")),
    ("period", "after",
     _labels("Жөндеуден кейін", "После ремонта", "Оңдоодон кийин", "After the renovation")),
    *[("rating", str(n), [str(n)] * 4) for n in range(1, 6)],
    ("likes", "swings", _labels("Әткеншек", "Качели", "Селкинчек", "Swings")),
    ("likes", "slide", _labels("Сырғанақ", "Горка", "Тайгалак", "Slide")),
    ("likes", "football", _labels("Футбол", "Футбол", "Футбол", "Football")),
    ("likes", "friends", _labels(
        "Достармен сөйлесу", "Общаться с друзьями", "Досторум менен баарлашуу",
        "Talking with friends")),
    ("likes", "shade",
     _labels("Көлеңкеде отыру", "Сидеть в тени", "Көлөкөдө отуруу", "Sitting in the shade")),
]  # fmt: skip


def build(path: Path = HERE / "playground.xlsx") -> Path:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        ["type", "name", *[f"label::{lang}" for lang in LANGS], "required", "relevant",
         "constraint", *[f"hint::{lang}" for lang in LANGS]]
    )  # fmt: skip
    for kind, name, labels, required, relevant, constraint, hints in SURVEY:
        survey.append([kind, name, *labels, required, relevant, constraint, *hints])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{lang}" for lang in LANGS]])
    for list_name, name, labels in CHOICES:
        choices.append([list_name, name, *labels])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language", "version"])
    settings.append(["Детская площадка: до и после ремонта", "playground", "Russian (ru)", "1"])
    book.save(path)
    return path


if __name__ == "__main__":
    print(build())
