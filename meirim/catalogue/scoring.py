"""The scoring method's defaults: what a new catalogue version starts with.

The national council changes them in a draft version (weights, goalposts, aggregation,
tolerances); :mod:`meirim.reports.adapter` hands them to the engine unchanged.
"""

from __future__ import annotations

from decimal import Decimal

from meirim.catalogue.models import PostsBasis, Unit

#: Posts of indicators measured on their own closed scale.
SCALE_POSTS: dict[str, tuple[Decimal, Decimal, str]] = {
    Unit.PERCENT: (Decimal(0), Decimal(100), PostsBasis.SCALE),
    Unit.YESNO: (Decimal(0), Decimal(1), PostsBasis.YESNO),
}


def default_posts(unit: str, direction: int) -> tuple[Decimal | None, Decimal | None, str]:
    """(lower, upper, basis) for a new indicator: its own scale's ends for percentages and
    yes/no answers; none for the rest (and for contextual indicators, which are not scored)
    until the council sets them, e.g. from the national distribution."""
    if direction == 0 or unit not in SCALE_POSTS:
        return None, None, ""
    return SCALE_POSTS[unit]
