"""Filtering on a JSON list of codes (a facility's barriers, an action's target ages) on
every supported database.

PostgreSQL answers ``field__contains=[code]`` in the database; SQLite, the demo's database,
has no JSON containment and Django raises ``NotSupportedError`` for it. There the city's
rows (a few dozen) are read once and narrowed by their primary keys.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def having_code(qs: QuerySet[M], field: str, code: str) -> QuerySet[M]:
    """``qs`` narrowed to the rows whose JSON list ``field`` holds ``code``."""
    if connections[qs.db].features.supports_json_field_contains:
        return qs.filter(**{f"{field}__contains": [code]})
    keys = [pk for pk, codes in qs.values_list("pk", field) if code in (codes or [])]
    return qs.filter(pk__in=keys)
