"""The facility's fields as the import files and the API write them: stable English keys,
lists of codes separated by ``;``, and the checks that report a problem by field.

One parser for both: a CSV/XLSX row (texts) and a JSON body (texts, numbers or lists) give
the same values or the same problems.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.db import models
from django.utils.translation import gettext as _

from meirim.common.programme import TargetAge
from meirim.facilities.models import (
    AffectedGroup,
    Availability,
    Barrier,
    ChildrenAskedBy,
    FacilityKind,
)

# Column (and JSON key) → model field.
COLUMN_FIELDS: Final[dict[str, str]] = {
    "name": "name",
    "type": "kind",
    "address": "address",
    "latitude": "latitude",
    "longitude": "longitude",
    "target_ages": "target_ages",
    "availability": "availability",
    "barriers": "barriers",
    "barrier_details": "barrier_note",
    "groups_affected": "groups_affected",
    "adult_rating": "adult_rating",
    "children_rating": "children_rating",
    "children_asked_by": "children_asked_by",
    "children_said": "children_asked_note",
    "evidence": "evidence",
    "audited_on": "audited_on",
}
COLUMNS: Final = tuple(COLUMN_FIELDS)
REQUIRED: Final = ("name", "type", "availability")
LIST_SEPARATOR: Final = ";"
# Free-text columns: written for spreadsheet programs so that none runs as a formula.
TEXT_COLUMNS: Final = frozenset({"name", "address", "barrier_details", "children_said", "evidence"})

_CHOICES: Final[dict[str, type[models.TextChoices]]] = {
    "type": FacilityKind,
    "availability": Availability,
    "children_asked_by": ChildrenAskedBy,
}
_LISTS: Final[dict[str, type[models.TextChoices]]] = {
    "target_ages": TargetAge,
    "barriers": Barrier,
    "groups_affected": AffectedGroup,
}
_LENGTHS: Final = {"name": 200, "address": 300}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?$")


def code_lists() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every coded column with its codes and their names (for the page that documents them)."""
    coded = {**_CHOICES, **_LISTS}
    return [(column, [(c.value, str(c.label)) for c in coded[column]]) for column in coded]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _msg_unknown(codes: Sequence[str], allowed: Sequence[str]) -> str:
    return _("unknown code %(codes)s; use one of: %(allowed)s") % {
        "codes": ", ".join(codes),
        "allowed": ", ".join(allowed),
    }


def _choice(value: Any, choices: type[models.TextChoices]) -> tuple[str, str | None]:
    text = _text(value).lower()
    allowed = [c.value for c in choices]
    if text and text not in allowed:
        return "", _msg_unknown([_text(value)], allowed)
    return text, None


def _codes(value: Any, choices: type[models.TextChoices]) -> tuple[list[str], str | None]:
    if isinstance(value, list | tuple):
        parts = [_text(part) for part in value]
    else:
        parts = _text(value).split(LIST_SEPARATOR)
    parts = [part for part in parts if part]
    allowed = [c.value for c in choices]
    by_lower = {code.lower(): code for code in allowed}
    unknown = [part for part in parts if part.lower() not in by_lower]
    if unknown:
        return [], _msg_unknown(unknown, allowed)
    chosen = {by_lower[part.lower()] for part in parts}
    return [code for code in allowed if code in chosen], None


def _rating(value: Any) -> tuple[int | None, str | None]:
    text = _text(value)
    if not text:
        return None, None
    if isinstance(value, bool) or not re.fullmatch(r"[1-5](?:\.0+)?", text):
        return None, _("a whole number from 1 to 5 is expected")
    return int(float(text)), None


def _coordinate(value: Any, limit: int) -> tuple[Decimal | None, str | None]:
    text = _text(value).replace(",", ".")
    if not text:
        return None, None
    message = _("a number from %(low)s to %(high)s is expected, e.g. 53.283") % {
        "low": -limit,
        "high": limit,
    }
    if isinstance(value, bool):
        return None, message
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, message
    if not number.is_finite() or abs(number) > limit:
        return None, message
    return number.quantize(Decimal("0.000001")), None


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = _text(value)
    if not text:
        return None, None
    match = _DATE.match(text)
    message = _("a date written as YYYY-MM-DD is expected, e.g. 2026-05-14")
    if not match:
        return None, message
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None, message
    if day > dt.date.today():
        return None, _("the date is in the future")
    return day, None


def parse(record: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The model's values of one record, and its problems as (column, message).

    Keys absent from the record are left out of the values (on update they keep what is
    stored); required keys must be present and filled.
    """
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column in REQUIRED:
        if not _text(record.get(column)):
            problems.append((column, _("this field is required")))
    for column, field in COLUMN_FIELDS.items():
        if column not in record:
            continue
        raw = record[column]
        error: str | None = None
        value: Any
        if column in _CHOICES:
            value, error = _choice(raw, _CHOICES[column])
        elif column in _LISTS:
            value, error = _codes(raw, _LISTS[column])
        elif column in ("adult_rating", "children_rating"):
            value, error = _rating(raw)
        elif column == "latitude":
            value, error = _coordinate(raw, 90)
        elif column == "longitude":
            value, error = _coordinate(raw, 180)
        elif column == "audited_on":
            value, error = _date(raw)
        else:
            if raw is not None and not isinstance(raw, str | int | float):
                error = _("a text is expected")
            value = _text(raw)
            limit = _LENGTHS.get(column)
            if limit and len(value) > limit:
                error = _("at most %(count)s characters") % {"count": limit}
            if "\x00" in value:
                error = _("the text contains a NUL character")
        if error:
            if not any(name == column for name, _message in problems):
                problems.append((column, error))
        else:
            values[field] = value
    has_latitude = values.get("latitude") is not None
    has_longitude = values.get("longitude") is not None
    if (
        "latitude" in record
        and "longitude" in record
        and has_latitude != has_longitude
        and not any(name in ("latitude", "longitude") for name, _m in problems)
    ):
        missing = "longitude" if has_latitude else "latitude"
        problems.append((missing, _("give both latitude and longitude, or neither")))
    return values, problems


def as_record(facility: Any) -> dict[str, Any]:
    """A facility in the keys and codes of the files and the API."""
    return {
        "name": facility.name,
        "type": facility.kind,
        "address": facility.address,
        "latitude": facility.latitude,
        "longitude": facility.longitude,
        "target_ages": list(facility.target_ages),
        "availability": facility.availability,
        "barriers": list(facility.barriers),
        "barrier_details": facility.barrier_note,
        "groups_affected": list(facility.groups_affected),
        "adult_rating": facility.adult_rating,
        "children_rating": facility.children_rating,
        "children_asked_by": facility.children_asked_by,
        "children_said": facility.children_asked_note,
        "evidence": facility.evidence,
        "audited_on": facility.audited_on,
    }
