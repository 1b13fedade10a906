"""Building XLSForm files and surveys for the tests."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from meirim.geography.models import Municipality
from meirim.surveys import services
from meirim.surveys.demo import FILE as PLAYGROUND
from meirim.surveys.models import Survey

TOWN = "KZ-AKM-KOKSHETAU"

SURVEY_HEADER = ["type", "name", "label::Kazakh (kk)", "label::Russian (ru)", "label", "required",
                 "relevant", "constraint", "hint"]  # fmt: skip
CHOICES_HEADER = ["list_name", "name", "label::Kazakh (kk)", "label::Russian (ru)", "label"]

BASIC_SURVEY = [
    ["note", "hello", "Сәлем", "Привет", "Hello", "", "", "", ""],
    ["begin_group", "about", "", "", "About", "", "", "", ""],
    ["select_one yesno", "plays", "Ойнайсың ба?", "Играешь?", "Do you play?", "yes", "", "", ""],
    ["select_multiple things", "things", "Не?", "Что?", "What?", "", "${plays} = 'yes'", "", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
    ["integer", "age", "Жасың?", "Возраст?", "Age?", "yes", "", ". >= 5 and . <= 24", "years"],
    ["text", "why", "Неге?", "Почему?", "Why not?", "", "${plays} = 'no' and ${age} < 18", "", ""],
]
BASIC_CHOICES = [
    ["yesno", "yes", "Иә", "Да", "Yes"],
    ["yesno", "no", "Жоқ", "Нет", "No"],
    ["things", "ball", "Доп", "Мяч", "Ball"],
    ["things", "swing", "Әткеншек", "Качели", "Swing"],
    ["things", "slide", "Сырғанақ", "Горка", "Slide"],
]


def xlsx(
    survey: list[list[Any]] | None = None,
    choices: list[list[Any]] | None = None,
    settings: list[list[Any]] | None = None,
    *,
    survey_header: list[str] | None = None,
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(survey_header or SURVEY_HEADER)
    for row in BASIC_SURVEY if survey is None else survey:
        sheet.append(row)
    sheet = book.create_sheet("choices")
    sheet.append(CHOICES_HEADER)
    for row in BASIC_CHOICES if choices is None else choices:
        sheet.append(row)
    sheet = book.create_sheet("settings")
    for row in settings or [["form_title", "form_id"], ["Basic", "basic"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def survey_make(content: bytes | None = None, *, publish: bool = True, **fields: Any) -> Survey:
    fields.setdefault("municipality", Municipality.objects.get(code=TOWN))
    survey = services.survey_create(
        content=content if content is not None else xlsx(),
        filename="form.xlsx",
        actor=None,
        **fields,
    )
    return services.survey_publish(survey, actor=None) if publish else survey


def playground_make(**fields: Any) -> Survey:
    return survey_make(PLAYGROUND.read_bytes(), **fields)
