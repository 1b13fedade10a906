"""Query helpers that give the same answer on every supported database."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def with_list_item(qs: QuerySet[M], field: str, item: Any) -> QuerySet[M]:
    """The rows of ``qs`` whose JSON list ``field`` holds ``item``.

    PostgreSQL answers in the database (``__contains``); SQLite, the demo's database, has no
    containment lookup on JSON, so the city-sized list is filtered in Python there.
    """
    if connections[qs.db].features.supports_json_field_contains:
        return qs.filter(**{f"{field}__contains": [item]})
    keep = [pk for pk, items in qs.values_list("pk", field) if item in (items or [])]
    return qs.filter(pk__in=keep)
