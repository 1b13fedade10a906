"""Reads of children's suggestions for public pages and portfolios (always suppressed)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from meirim.common.programme import AgeBand
from meirim.common.suppression import SuppressedTable, suppress_table
from meirim.geography.models import Municipality
from meirim.voice.models import Suggestion, Topic


def published(municipality: Municipality) -> QuerySet[Suggestion]:
    """What the public may read: published, never a safeguarding concern."""
    return Suggestion.objects.filter(
        municipality=municipality, state=Suggestion.State.PUBLISHED, safeguarding=False
    )


def _table(rows: QuerySet[Suggestion], field: str, keys: list[str]) -> SuppressedTable[str]:
    counts = dict.fromkeys(keys, 0)
    for row in rows.values(field).annotate(n=Count("pk")):
        key = row[field] or ""
        if key in counts:
            counts[key] += row["n"]
    return suppress_table(counts)


def public_summary(municipality: Municipality) -> dict[str, Any]:
    """The "you said, we did" figures: published messages by topic, age band and outcome.

    Every table is suppressed as a whole (fewer than 5 → hidden, safe from differencing).
    A message without a topic or age band counts under "" (not given).
    """
    rows = published(municipality)
    topics = [*Topic.values, ""]
    bands = [*AgeBand.values, ""]
    outcomes = list(Suggestion.Outcome.values)
    return {
        # The moderator's tag, where given, corrects the child's own choice.
        "by_topic": _table(
            rows.annotate(effective_topic=Coalesce(NullIf("tag_topic", Value("")), "topic")),
            "effective_topic",
            topics,
        ),
        "by_age_band": _table(rows, "age_band", bands),
        "by_outcome": _table(rows, "outcome", outcomes),
    }
