"""Reads of children's suggestions for public pages and portfolios (always suppressed)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from meirim.common.programme import AgeBand
from meirim.common.suppression import SuppressedTable, shown, suppress_table
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


#: The moderation list's filters (``?state=``): the model's states, plus the concerns.
MODERATION_FILTERS = ("open", "new", "held", "published", "not_published", "all")


def for_moderation(municipality: Municipality, state: str = "open") -> QuerySet[Suggestion]:
    """The city's messages for its moderators: ``open`` = new or held (the default)."""
    rows = Suggestion.objects.filter(municipality=municipality).select_related(
        "linked_action", "facility", "action"
    )
    if state == "open":
        return rows.filter(state__in=[Suggestion.State.NEW, Suggestion.State.HELD])
    if state in Suggestion.State.values:
        return rows.filter(state=state)
    return rows


def counts_by_state(municipality: Municipality) -> dict[str, int]:
    counts = dict.fromkeys(Suggestion.State.values, 0)
    for row in (
        Suggestion.objects.filter(municipality=municipality).values("state").annotate(n=Count("pk"))
    ):
        counts[row["state"]] = row["n"]
    return counts


def safeguarding_concerns(municipality: Municipality) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(municipality=municipality, safeguarding=True).order_by(
        "-safeguarding_raised_at", "-pk"
    )


def portfolio_summary(municipality: Municipality) -> dict[str, Any]:
    """Children's suggestions as participation evidence (P8: children's say changed
    something; P9: actions of the plan that came from them). Every figure suppressed."""
    rows = published(municipality)
    answered = rows.exclude(outcome="").count()
    planned = (
        rows.filter(
            outcome__in=[Suggestion.Outcome.PLANNED, Suggestion.Outcome.DONE],
            linked_action__isnull=False,
        )
        .values("linked_action")
        .distinct()
        .count()
    )
    by_outcome = _table(rows, "outcome", list(Suggestion.Outcome.values)).as_json()
    return {
        "published": shown(rows.count()),
        "answered": shown(answered),
        "by_outcome": by_outcome,
        "actions_planned": shown(planned),
        # Whether there is any such evidence at all (no figure): P8 / P9 are then derived.
        "any_answered": answered > 0,
        "any_planned": planned > 0,
    }
