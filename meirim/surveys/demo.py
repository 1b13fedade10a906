"""Demonstration: Kokshetau's playground survey (the XLSForm in ``demo/playground.xlsx``),
published and linked to a facility of its audit, with children's answers before and after
the renovation, so that its results chart shows. Safe to run again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.surveys import services
from meirim.surveys.models import Survey, SurveyResponse

TOWN = "KZ-AKM-KOKSHETAU"
FILE = Path(__file__).resolve().parent / "demo" / "playground.xlsx"

# (period, rating, likes, age, what should be better) — 14 before, 16 after.
ANSWERS = [
    ("before", "2", ["swings"], 9, "Сломаны качели"),
    ("before", "1", [], 11, "Нет тени и скамеек"),
    ("before", "2", ["football"], 13, "Поле в ямах"),
    ("before", "3", ["swings", "friends"], 10, ""),
    ("before", "2", ["slide"], 8, "Горка ржавая"),
    ("before", "3", ["friends"], 14, ""),
    ("before", "1", [], 12, "Темно вечером"),
    ("before", "2", ["football", "friends"], 15, "Нужен забор у дороги"),
    ("before", "3", ["swings"], 7, ""),
    ("before", "2", ["slide", "swings"], 9, "Мало горок"),
    ("before", "3", ["friends"], 16, ""),
    ("before", "2", ["football"], 12, "Нет ворот"),
    ("before", "1", ["friends"], 13, "Грязно"),
    ("before", "3", ["swings", "slide"], 10, ""),
    ("after", "5", ["swings", "slide"], 8, ""),
    ("after", "4", ["football", "friends"], 13, ""),
    ("after", "5", ["swings", "friends"], 10, ""),
    ("after", "4", ["shade", "friends"], 15, ""),
    ("after", "5", ["slide"], 7, ""),
    ("after", "3", ["football"], 14, ""),
    ("after", "4", ["swings", "shade"], 11, ""),
    ("after", "5", ["football", "friends"], 12, ""),
    ("after", "4", ["swings", "slide", "friends"], 9, ""),
    ("after", "5", ["shade"], 16, ""),
    ("after", "4", ["football"], 13, ""),
    ("after", "2", ["friends"], 17, "Мало мест для старших"),
    ("after", "5", ["swings", "slide"], 8, ""),
    ("after", "4", ["friends", "shade"], 12, ""),
    ("after", "5", ["football", "swings"], 11, ""),
    ("after", "4", ["slide", "friends"], 10, ""),
]


def demo_populate() -> Survey | None:
    municipality = Municipality.objects.filter(code=TOWN).first()
    if municipality is None:
        return None
    existing = Survey.objects.filter(
        municipality=municipality, is_demo=True, definition__form_id="playground"
    ).first()
    if existing is not None:
        return existing
    facility = (
        Facility.objects.filter(municipality=municipality, kind="play").first()
        or Facility.objects.filter(municipality=municipality).first()
    )
    with transaction.atomic():
        survey = services.survey_create(
            municipality=municipality,
            content=FILE.read_bytes(),
            filename=FILE.name,
            actor=None,
            facility=facility,
            is_demo=True,
        )
        survey = services.survey_publish(survey, actor=None)
        day = dt.date(2026, 5, 20)
        rows = []
        for index, (period, rating, likes, age, better) in enumerate(ANSWERS):
            answers: dict[str, object] = {"period": period, "rating": rating, "age": age}
            if likes:
                answers["likes"] = likes
            if better and int(rating) <= 2:
                answers["better"] = better
            received = day if period == "before" else day + dt.timedelta(days=100 + index % 5)
            rows.append(
                SurveyResponse(
                    survey=survey,
                    municipality=municipality,
                    answers=answers,
                    received_on=received,
                    source=SurveyResponse.Source.IMPORT,
                )
            )
        SurveyResponse.objects.bulk_create(rows)
    return survey
