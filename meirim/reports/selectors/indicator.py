"""One indicator across municipalities: values, scores, statuses and progress in a year."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from meirim.catalogue.models import CatalogueVersion, Indicator
from meirim.geography.models import Municipality
from meirim.reports import store
from meirim.reports.adapter import IndexResults, Scope
from meirim.reports.selectors.common import (
    NO_PROGRESS,
    STATUS_NAMES,
    ProgressView,
    _first_year_with_data,
    _opt,
    _progress_view,
    _progresses,
)


@dataclass(frozen=True)
class IndicatorPlace:
    municipality: Municipality
    status: str
    value: float | None
    score: float | None
    progress: ProgressView
    demo: bool
    suppressed: bool = False  # a small count hidden from the public ("fewer than 5")


@dataclass(frozen=True)
class IndicatorOverview:
    version: CatalogueVersion
    revision: int
    computed_at: datetime | None
    updating: bool
    indicator: Indicator
    not_scored: str
    posts: tuple[float, float] | None
    target: float | None
    years: tuple[int, ...]  # years with at least one value
    year: int | None
    places: tuple[IndicatorPlace, ...]
    counts: dict[str, int]
    summary: dict[str, float] | None  # n, minimum, median, maximum
    values_by_year: dict[int, tuple[float, ...]]
    demo: bool


def indicator_overview(
    *, version: CatalogueVersion, indicator: Indicator, year: int | None
) -> IndicatorOverview:
    results = store.read(version, Scope.public(), codes=[indicator.code])
    data = results.data
    code = indicator.code
    c = data.codes.index(code) if code in data.codes else None
    values_by_year: dict[int, tuple[float, ...]] = {}
    if c is not None:
        for y, yr in enumerate(data.years):
            column = data.values[:, c, y]
            present = column[~np.isnan(column)]
            if present.size:
                values_by_year[yr] = tuple(float(v) for v in present)
    years = tuple(values_by_year)
    chosen = year if year in years else (years[-1] if years else None)
    not_scored = results.not_scored.get(code, "")
    counts = dict.fromkeys(STATUS_NAMES, 0)
    places: list[IndicatorPlace] = []
    demo = False
    if c is not None and chosen is not None:
        y = data.years.index(chosen)
        in_year = [u for u, unit_years in enumerate(data.unit_years) if chosen in unit_years]
        municipalities = {
            m.code: m
            for m in Municipality.objects.filter(code__in=[data.units[u] for u in in_year])
        }
        progress_by_unit = _indicator_progress(results, code, chosen, in_year)
        result = results.result
        for u in in_year:
            unit = data.units[u]
            status = STATUS_NAMES[int(data.status[u, c, y])]
            counts[status] += 1
            score = None
            if result is not None and code in result.indicators:
                score = _opt(result.normalised[u, result.indicators.index(code), y])
            places.append(
                IndicatorPlace(
                    municipality=municipalities[unit],
                    status=status,
                    value=_opt(data.values[u, c, y]),
                    score=score,
                    progress=progress_by_unit.get(u, NO_PROGRESS),
                    demo=bool(data.demo[u, y]),
                    suppressed=data.hidden(u, c, y),
                )
            )
        demo = any(p.demo for p in places)
    chosen_values = values_by_year.get(chosen, ()) if chosen is not None else ()
    summary = None
    if chosen_values:
        summary = {
            "n": float(len(chosen_values)),
            "minimum": min(chosen_values),
            "median": statistics.median(chosen_values),
            "maximum": max(chosen_values),
        }
    return IndicatorOverview(
        version=version,
        revision=results.revision,
        computed_at=results.computed_at,
        updating=results.updating,
        indicator=indicator,
        not_scored=not_scored,
        posts=results.posts.get(code) if not not_scored else None,
        target=float(indicator.target) if indicator.target is not None else None,
        years=years,
        year=chosen,
        places=tuple(sorted(places, key=lambda p: (p.municipality.country, p.municipality.code))),
        counts=counts,
        summary=summary,
        values_by_year=values_by_year,
        demo=demo,
    )


def _indicator_progress(
    results: IndexResults, code: str, year: int, units: Sequence[int]
) -> dict[int, ProgressView]:
    """Each municipality against its own baseline (its first year with data); a
    municipality whose first year is ``year`` has no change to show, only the target."""
    if results.result is None or code not in results.result.indicators:
        return {}
    by_baseline: dict[int, list[int]] = {}
    for u in units:
        first = _first_year_with_data(results, u)
        if first is not None and first <= year:
            by_baseline.setdefault(first, []).append(u)
    views: dict[int, ProgressView] = {}
    for baseline_year, members in by_baseline.items():
        p_ind, _p_score = _progresses(results, baseline_year, year)
        for u in members:
            view = _progress_view(p_ind, results.data.units[u], code)
            if baseline_year == year:
                view = replace(view, change="no_data", baseline=None, baseline_year=None)
            views[u] = view
    return views
