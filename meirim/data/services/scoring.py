"""Goalposts from the national data: the council's starting point for an indicator's posts.

For each scored indicator whose posts are not the ends of its own scale (percentages, yes/no),
the approved totals of every municipality in the chosen years give the posts: the 5th
percentile is the lower one, the 95th the upper one (so a few extreme values do not stretch
the scale). When the national target lies beyond the post on the good side, the post moves
to the target, so that 100 means the target is met. Equal posts leave nothing to scale
against: the indicator is then left as it was, with the reason in the summary.

It lives in the data app because it reads the cities' data, which the catalogue below may
not import; the posts are written by the catalogue's own service
(:func:`meirim.catalogue.scoring.indicator_posts_national_set`), which checks and audits them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueVersion, Indicator, PostsBasis, Unit
from meirim.catalogue.scoring import indicator_posts_national_set, version_lock
from meirim.common import audit
from meirim.data.models import DataYear, Observation, ObservationStatus
from meirim.data.services.common import _bump_revision

#: The percentiles of the national distribution that become the lower and upper posts.
PERCENTILES = (5, 95)
#: Goalposts are stored with six decimals.
POST_QUANTUM = Decimal("0.000001")
#: Bases the derivation leaves alone: the ends of the indicator's own scale.
OWN_SCALE = (PostsBasis.SCALE, PostsBasis.YESNO)


@dataclass(frozen=True)
class DerivedPosts:
    code: str
    lower: Decimal
    upper: Decimal
    values: int
    #: The good-side post moved to the national target.
    target_used: bool


@dataclass
class GoalpostsSummary:
    """What the derivation did: posts set, and indicators skipped with the reason why."""

    version: CatalogueVersion
    source: CatalogueVersion | None
    years: tuple[int, ...]
    set: list[DerivedPosts] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def derivable_indicators(version: CatalogueVersion) -> list[Indicator]:
    """Scored indicators whose posts do not come from their own scale."""
    return list(
        Indicator.objects.filter(version=version)
        .exclude(direction=0)
        .exclude(unit=Unit.TEXT)
        .exclude(posts_basis__in=OWN_SCALE)
        .order_by("order", "code")
    )


def approved_totals(
    source: CatalogueVersion, codes: Iterable[str], years: Iterable[int]
) -> dict[str, np.ndarray]:
    """Reported totals of approved years, all municipalities: code → values (one query)."""
    approved = DataYear.objects.filter(
        version=source,
        municipality=OuterRef("municipality"),
        year=OuterRef("year"),
        state=DataYear.State.APPROVED,
    )
    rows = (
        Observation.objects.filter(
            version=source,
            code__in=list(codes),
            year__in=list(years),
            status=ObservationStatus.REPORTED,
            value__isnull=False,
            sex="",
            age_band="",
            disability="",
            district="",
        )
        .filter(Exists(approved))
        .values_list("code", "value")
    )
    values: dict[str, list[float]] = defaultdict(list)
    for code, value in rows:
        values[code].append(float(value))  # type: ignore[arg-type]  # not null: filtered
    return {code: np.asarray(items, dtype=float) for code, items in values.items()}


def goalposts_source(version: CatalogueVersion, years: Iterable[int]) -> CatalogueVersion | None:
    """The version itself when it has approved data in ``years``, else the one it copies."""
    years = list(years)
    has_data = (
        DataYear.objects.filter(version=version, year__in=years, state=DataYear.State.APPROVED)
        .filter(
            Exists(
                Observation.objects.filter(
                    version=version, municipality=OuterRef("municipality"), year=OuterRef("year")
                )
            )
        )
        .exists()
    )
    return version if has_data else version.based_on


def _post(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(POST_QUANTUM)


def _derive(indicator: Indicator, values: np.ndarray | None) -> DerivedPosts | str:
    """The posts of one indicator, or why it gets none."""
    if values is None or values.size == 0:
        return _("No approved values in these years.")
    low, high = np.percentile(values, PERCENTILES)
    lower, upper = _post(low), _post(high)
    target_used = False
    target = indicator.target
    if target is not None:
        if indicator.direction > 0 and target > upper:
            upper, target_used = target.quantize(POST_QUANTUM), True
        elif indicator.direction < 0 and target < lower:
            lower, target_used = target.quantize(POST_QUANTUM), True
    if lower >= upper:
        return _("The approved values are all the same (%(value)s): there is nothing to scale.") % {
            "value": lower.normalize()
        }
    return DerivedPosts(indicator.code, lower, upper, int(values.size), target_used)


@transaction.atomic
def goalposts_from_national_data(
    *,
    version: CatalogueVersion,
    years: Iterable[int],
    actor: Any,
    source: CatalogueVersion | None = None,
    allow_published: bool = False,
) -> GoalpostsSummary:
    """Set the goalposts of ``version`` from the approved national data of ``years``.

    ``source`` is the version whose data are read (default: ``version`` when it has approved
    data in those years, else the version it was copied from). ``allow_published`` is for
    set-up commands only (see :mod:`meirim.catalogue.scoring`); a published version's results
    are then computed again.
    """
    years = tuple(sorted(set(years)))
    version = version_lock(version.pk, allow_published=allow_published)
    if source is None:
        source = goalposts_source(version, years)
    summary = GoalpostsSummary(version=version, source=source, years=years)
    indicators = derivable_indicators(version)
    if source is None:
        reason = _("This version has no data and was not copied from a version that has.")
        summary.skipped = [(i.code, reason) for i in indicators]
    else:
        values = approved_totals(source, [i.code for i in indicators], years)
        for indicator in indicators:
            result = _derive(indicator, values.get(indicator.code))
            if isinstance(result, DerivedPosts):
                summary.set.append(result)
            else:
                summary.skipped.append((indicator.code, result))
    summary.changed = indicator_posts_national_set(
        version=version,
        posts={p.code: (p.lower, p.upper) for p in summary.set},
        actor=actor,
        allow_published=allow_published,
    )
    audit.record(
        actor=actor,
        action="catalogue.derive_goalposts",
        obj=version,
        changes={
            "source": source.code if source else None,
            "years": list(years),
            "set": [p.code for p in summary.set],
            "changed": summary.changed,
            "skipped": dict(summary.skipped),
            **({"set_up_of_published_version": True} if version.is_published else {}),
        },
    )
    if version.is_published and summary.changed:
        _bump_revision(version)  # the stored results rest on the old goalposts
    return summary
