"""Reads for the results pages: everything comes from the cached engine results.

Scores, normalised values and progress are computed once per data revision and scope
(:mod:`meirim.reports.cache`); the functions here only pick a municipality, a node or an
indicator out of them and attach the catalogue entries the templates translate.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from index_engine import Progress, explain, progress
from meirim.geography.models import Municipality
from meirim.indicators.models import (
    CatalogueVersion,
    Category,
    Indicator,
    SubDomain,
)
from meirim.reports import adapter
from meirim.reports.adapter import IndexResults, Scope
from meirim.reports.cache import RankIntervals, index_results, key_of, rank_intervals

STATUS_NAMES = ("missing", "reported", "no_data", "outside_competence", "not_applicable")
MAX_COMPARED = 12


def published_version(code: str | None = None) -> CatalogueVersion | None:
    """A published catalogue version by code, or the latest published one."""
    versions = CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED)
    if code:
        return versions.filter(code=code).first()
    return versions.order_by("-published_at", "-id").first()


def municipality_get(code: str) -> Municipality | None:
    return Municipality.objects.select_related("region").filter(code=code).first()


def indicator_get(version: CatalogueVersion, code: str) -> Indicator | None:
    return (
        Indicator.objects.select_related("subdomain__category")
        .filter(version=version, code=code)
        .first()
    )


# --- Catalogue entries, for names --------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    categories: dict[str, Category]
    subdomains: dict[str, SubDomain]
    indicators: dict[str, Indicator]

    def entry(self, code: str) -> Category | SubDomain | Indicator | None:
        """The catalogue entry for a node code; None for the overall index."""
        return self.categories.get(code) or self.subdomains.get(code) or self.indicators.get(code)

    def kind(self, code: str) -> str:
        if code == adapter.ROOT:
            return "index"
        if code in self.categories:
            return "category"
        if code in self.subdomains:
            return "subdomain"
        return "indicator"


def catalogue(version: CatalogueVersion) -> Catalogue:
    """Categories, sub-domains and indicators of the version, in one query."""
    indicators = list(
        Indicator.objects.filter(version=version)
        .select_related("subdomain__category")
        .order_by("order", "code")
    )
    subdomains = {i.subdomain.code: i.subdomain for i in indicators}
    categories = {s.category.code: s.category for s in subdomains.values()}
    return Catalogue(
        categories=dict(sorted(categories.items(), key=lambda kv: (kv[1].order, kv[0]))),
        subdomains=dict(sorted(subdomains.items(), key=lambda kv: (kv[1].order, kv[0]))),
        indicators={i.code: i for i in indicators},
    )


@dataclass(frozen=True)
class Node:
    """A node a page can be about: the index, a category, a sub-domain or an indicator."""

    code: str
    kind: str
    entry: Any


def node_choices(results: IndexResults, cat: Catalogue) -> list[Node]:
    """The index, then every category, sub-domain and scored indicator, in tree order."""
    nodes = [Node(adapter.ROOT, "index", None)]
    aggregates = set(results.framework.aggregates) if results.framework else set()
    scored = set(results.scored)
    for code, category in cat.categories.items():
        if code not in aggregates:
            continue
        nodes.append(Node(code, "category", category))
        for s_code, subdomain in cat.subdomains.items():
            if subdomain.category.code != code or s_code not in aggregates:
                continue
            nodes.append(Node(s_code, "subdomain", subdomain))
            nodes += [
                Node(i_code, "indicator", indicator)
                for i_code, indicator in cat.indicators.items()
                if indicator.subdomain.code == s_code and i_code in scored
            ]
    return nodes


# --- Small helpers -----------------------------------------------------------------------


def _opt(value: float) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v


@dataclass(frozen=True)
class ProgressView:
    change: str  # improved / no_change / worse / no_data
    baseline: float | None
    baseline_year: int | None
    current: float | None
    current_year: int | None
    target: float | None
    target_state: str  # met / not_met / no_target / no_data
    gap_closed: float | None  # share of the gap to the target closed (1 = closed)


NO_PROGRESS = ProgressView("no_data", None, None, None, None, None, "no_data", None)


def _progress_view(p: Progress | None, unit: str, code: str) -> ProgressView:
    if p is None or code not in p.codes:
        return NO_PROGRESS
    row = p.row(unit, code)
    return ProgressView(
        change=row.change,
        baseline=row.baseline,
        baseline_year=row.baseline_year,
        current=row.current,
        current_year=row.current_year,
        target=row.target,
        target_state=row.target_state,
        gap_closed=row.gap_closed,
    )


def _progresses(
    results: IndexResults,
    baseline_year: int | None,
    current_year: int | Literal["latest"] = "latest",
) -> tuple[Progress | None, Progress | None]:
    """(indicator progress, score progress): the same comparison with each tolerance."""
    result = results.result
    if result is None or baseline_year is None or baseline_year not in result.years:
        return None, None
    return (
        progress(result, baseline_year, current_year, adapter.indicator_tolerance()),
        progress(result, baseline_year, current_year, adapter.score_tolerance()),
    )


def _first_year_with_data(results: IndexResults, u: int) -> int | None:
    reported = (results.data.status[u] == adapter.REPORTED).any(axis=0)
    for y, year in enumerate(results.data.years):
        if reported[y]:
            return year
    return None


# --- Dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreLine:
    code: str
    kind: str
    entry: Any
    parent: str
    scores: tuple[float | None, ...]  # one per dashboard year
    latest: float | None
    band: tuple[int, int] | None
    progress: ProgressView


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    not_scored: str  # "" when scored; else contextual / text / no_spread
    values: tuple[float | None, ...]  # one per dashboard year
    statuses: tuple[str, ...]
    latest_value: float | None
    latest_year: int | None
    score: float | None  # normalised (0–100) in latest_year
    posts: tuple[float, float] | None
    progress: ProgressView

    @property
    def scored(self) -> bool:
        return not self.not_scored


@dataclass(frozen=True)
class YearCompleteness:
    year: int
    reported: int
    no_data: int
    outside_competence: int
    not_applicable: int
    missing: int
    total: int

    @property
    def reported_percent(self) -> float:
        return 100.0 * self.reported / self.total if self.total else 0.0


@dataclass(frozen=True)
class MissingItem:
    indicator: Indicator
    status: str  # missing / no_data


@dataclass(frozen=True)
class ContributionView:
    code: str
    entry: Any
    value: float | None
    weight_share: float | None
    contribution: float | None


@dataclass(frozen=True)
class ExplanationView:
    node: str
    entry: Any
    year: int
    score: float | None
    reason: str
    coverage: float
    children: tuple[ContributionView, ...]


@dataclass(frozen=True)
class Dashboard:
    version: CatalogueVersion
    municipality: Municipality
    revision: int
    cache_key: str  # the results' cache key (for derived entries)
    preview: bool
    demo: bool  # the municipality's shown data includes demonstration data
    demo_elsewhere: bool  # other data in scope (used for the goalposts) includes some
    years: tuple[int, ...]
    latest_year: int | None
    baseline_year: int | None
    index: ScoreLine | None
    categories: tuple[ScoreLine, ...]
    subdomains: tuple[ScoreLine, ...]
    indicators: tuple[IndicatorLine, ...]
    completeness: tuple[YearCompleteness, ...]
    missing: tuple[MissingItem, ...]
    explanation: ExplanationView | None
    explain_choices: tuple[Node, ...]

    @property
    def has_scores(self) -> bool:
        lines = (self.index, *self.categories) if self.index else self.categories
        return any(s is not None for line in lines for s in line.scores)

    @property
    def scored_indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(line for line in self.indicators if line.scored)

    @property
    def unscored_indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(line for line in self.indicators if not line.scored)


def dashboard(
    *,
    version: CatalogueVersion,
    municipality: Municipality,
    preview: bool = False,
    baseline: int | None = None,
    explain_node: str | None = None,
) -> Dashboard:
    scope = Scope.preview(municipality) if preview else Scope.public()
    results = index_results(version, scope)
    cat = catalogue(version)
    empty = Dashboard(
        version=version,
        municipality=municipality,
        revision=results.revision,
        cache_key=key_of(results),
        preview=preview,
        demo=False,
        demo_elsewhere=results.data.any_demo,
        years=(),
        latest_year=None,
        baseline_year=None,
        index=None,
        categories=(),
        subdomains=(),
        indicators=(),
        completeness=(),
        missing=(),
        explanation=None,
        explain_choices=(),
    )
    u = results.unit_index(municipality.code)
    if u is None:
        return empty
    data = results.data
    years = data.unit_years[u]
    y_ix = [data.years.index(y) for y in years]
    first = _first_year_with_data(results, u)
    baseline_year = baseline if baseline in years else first
    p_ind, p_score = _progresses(results, baseline_year)
    unit = municipality.code
    result = results.result
    fw = results.framework

    def score_line(code: str, kind: str, entry: Any, parent: str) -> ScoreLine:
        if result is None or fw is None or code not in fw.aggregates:
            scores: tuple[float | None, ...] = tuple(None for _ in years)
        else:
            a = fw.aggregates.index(code)
            scores = tuple(_opt(result.scores[u, a, y]) for y in y_ix)
        latest = scores[-1] if scores else None
        return ScoreLine(
            code=code,
            kind=kind,
            entry=entry,
            parent=parent,
            scores=scores,
            latest=latest,
            band=adapter.score_band(latest),
            progress=_progress_view(p_score, unit, code),
        )

    index = score_line(adapter.ROOT, "index", None, "")
    categories = tuple(
        score_line(code, "category", entry, adapter.ROOT) for code, entry in cat.categories.items()
    )
    subdomains = tuple(
        score_line(code, "subdomain", entry, entry.category.code)
        for code, entry in cat.subdomains.items()
    )
    indicators = tuple(
        _indicator_line(results, cat, code, u, y_ix, p_ind) for code in cat.indicators
    )
    completeness = tuple(
        _completeness(results, u, y, year) for y, year in zip(y_ix, years, strict=True)
    )
    missing: tuple[MissingItem, ...] = ()
    if y_ix:
        last = data.status[u, :, y_ix[-1]]
        missing = tuple(
            MissingItem(cat.indicators[code], STATUS_NAMES[int(last[c])])
            for c, code in enumerate(data.codes)
            if int(last[c]) in (adapter.MISSING, adapter.NO_DATA) and code in cat.indicators
        )
    demo = bool(data.demo[u, y_ix].any()) if y_ix else False
    others = np.delete(data.demo, u, axis=0)
    explanation = None
    choices: tuple[Node, ...] = ()
    if result is not None and fw is not None:
        choices = tuple(n for n in node_choices(results, cat) if n.kind != "indicator")
        node = explain_node if explain_node in fw.aggregates else adapter.ROOT
        explanation = _explanation(results, cat, unit, u, node, years)
    return Dashboard(
        version=version,
        municipality=municipality,
        revision=results.revision,
        cache_key=key_of(results),
        preview=preview,
        demo=demo,
        demo_elsewhere=bool(others.any()),
        years=years,
        latest_year=years[-1] if years else None,
        baseline_year=baseline_year,
        index=index,
        categories=categories,
        subdomains=subdomains,
        indicators=indicators,
        completeness=completeness,
        missing=missing,
        explanation=explanation,
        explain_choices=choices,
    )


def _indicator_line(
    results: IndexResults,
    cat: Catalogue,
    code: str,
    u: int,
    y_ix: Sequence[int],
    p_ind: Progress | None,
) -> IndicatorLine:
    data = results.data
    c = data.codes.index(code)
    values = tuple(_opt(data.values[u, c, y]) for y in y_ix)
    statuses = tuple(STATUS_NAMES[int(data.status[u, c, y])] for y in y_ix)
    latest_value = latest_year = None
    for y, value in zip(reversed(y_ix), reversed(values), strict=True):
        if value is not None:
            latest_value, latest_year = value, data.years[y]
            break
    score = None
    result = results.result
    if result is not None and code in result.indicators and latest_year is not None:
        i = result.indicators.index(code)
        score = _opt(result.normalised[u, i, data.years.index(latest_year)])
    not_scored = results.not_scored.get(code, "")
    return IndicatorLine(
        indicator=cat.indicators[code],
        not_scored=not_scored,
        values=values,
        statuses=statuses,
        latest_value=latest_value,
        latest_year=latest_year,
        score=score,
        posts=results.posts.get(code) if not not_scored else None,
        progress=_progress_view(p_ind, data.units[u], code) if not not_scored else NO_PROGRESS,
    )


def _completeness(results: IndexResults, u: int, y: int, year: int) -> YearCompleteness:
    counts = np.bincount(results.data.status[u, :, y], minlength=len(STATUS_NAMES))
    return YearCompleteness(
        year=year,
        reported=int(counts[adapter.REPORTED]),
        no_data=int(counts[adapter.NO_DATA]),
        outside_competence=int(counts[adapter.OUTSIDE_COMPETENCE]),
        not_applicable=int(counts[adapter.NOT_APPLICABLE]),
        missing=int(counts[adapter.MISSING]),
        total=len(results.data.codes),
    )


def _explanation(
    results: IndexResults,
    cat: Catalogue,
    unit: str,
    u: int,
    node: str,
    years: Sequence[int],
) -> ExplanationView | None:
    result, fw = results.result, results.framework
    if result is None or fw is None or not years:
        return None
    a = fw.aggregates.index(node)
    year = years[-1]
    for candidate in reversed(years):  # the latest year in which the node has a score
        if not math.isnan(result.scores[u, a, result.years.index(candidate)]):
            year = candidate
            break
    ex = explain(result, unit, year, node)
    return ExplanationView(
        node=node,
        entry=cat.entry(node) if node != adapter.ROOT else None,
        year=year,
        score=ex.score,
        reason=ex.reason,
        coverage=ex.coverage,
        children=tuple(
            ContributionView(
                code=child.code,
                entry=cat.entry(child.code),
                value=child.value,
                weight_share=child.weight_share,
                contribution=child.contribution,
            )
            for child in ex.children
        ),
    )


# --- Comparison --------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareCell:
    year: int
    score: float | None  # node score, or the indicator's normalised value
    value: float | None  # the indicator's own value (indicators only)
    band: tuple[int, int] | None
    rank_low: float | None
    rank_median: float | None
    rank_high: float | None
    ranked: int  # how many municipalities have a score that year
    demo: bool


@dataclass(frozen=True)
class CompareRow:
    municipality: Municipality
    cells: tuple[CompareCell, ...]

    @property
    def demo(self) -> bool:
        return any(cell.demo for cell in self.cells)


@dataclass(frozen=True)
class Comparison:
    version: CatalogueVersion
    revision: int
    cache_key: str  # the results' cache key (for derived entries)
    node: Node
    years: tuple[int, ...]
    rows: tuple[CompareRow, ...]
    intervals: RankIntervals | None
    demo: bool
    available_years: tuple[int, ...]
    node_options: tuple[Node, ...]
    municipality_options: tuple[Municipality, ...]
    unknown: tuple[str, ...]  # asked-for codes without results


def comparison(
    *,
    version: CatalogueVersion,
    codes: Sequence[str],
    node: str,
    year_from: int | None,
    year_to: int | None,
) -> Comparison:
    results = index_results(version, Scope.public())
    cat = catalogue(version)
    data = results.data
    options = node_choices(results, cat)
    chosen = next((n for n in options if n.code == node), options[0])
    places = {
        m.code: m for m in Municipality.objects.filter(code__in=data.units).select_related("region")
    }
    wanted = list(dict.fromkeys(codes))[:MAX_COMPARED]
    known = [c for c in wanted if c in places]
    years = tuple(
        y
        for y in data.years
        if (year_from is None or y >= year_from) and (year_to is None or y <= year_to)
    )
    intervals = rank_intervals(results, chosen.code) if chosen.kind != "indicator" else None
    rows = tuple(
        CompareRow(places[code], _compare_cells(results, chosen, code, years, intervals))
        for code in known
    )
    return Comparison(
        version=version,
        revision=results.revision,
        cache_key=key_of(results),
        node=chosen,
        years=years,
        rows=rows,
        intervals=intervals,
        demo=any(cell.demo for row in rows for cell in row.cells),
        available_years=data.years,
        node_options=tuple(options),
        municipality_options=tuple(sorted(places.values(), key=lambda m: (m.country, m.code))),
        unknown=tuple(c for c in wanted if c not in places),
    )


def _compare_cells(
    results: IndexResults,
    node: Node,
    unit: str,
    years: Sequence[int],
    intervals: RankIntervals | None,
) -> tuple[CompareCell, ...]:
    data, result, fw = results.data, results.result, results.framework
    u = results.unit_index(unit)
    cells = []
    for year in years:
        y = data.years.index(year)
        score = value = low = median = high = None
        ranked = 0
        if u is not None and result is not None and fw is not None:
            if node.kind == "indicator":
                value = _opt(data.values[u, data.codes.index(node.code), y])
                score = _opt(result.normalised[u, result.indicators.index(node.code), y])
            else:
                score = _opt(result.scores[u, fw.aggregates.index(node.code), y])
            if intervals is not None and score is not None:
                iu, iy = intervals.units.index(unit), intervals.years.index(year)
                low = _opt(intervals.low[iu, iy])
                median = _opt(intervals.median[iu, iy])
                high = _opt(intervals.high[iu, iy])
                ranked = intervals.ranked[iy]
        cells.append(
            CompareCell(
                year=year,
                score=score,
                value=value,
                band=adapter.score_band(score),
                rank_low=low,
                rank_median=median,
                rank_high=high,
                ranked=ranked,
                demo=bool(u is not None and data.demo[u, y]),
            )
        )
    return tuple(cells)


# --- One indicator across municipalities -------------------------------------------------


@dataclass(frozen=True)
class IndicatorPlace:
    municipality: Municipality
    status: str
    value: float | None
    score: float | None
    progress: ProgressView
    demo: bool


@dataclass(frozen=True)
class IndicatorOverview:
    version: CatalogueVersion
    revision: int
    cache_key: str  # the results' cache key (for derived entries)
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
    results = index_results(version, Scope.public())
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
        cache_key=key_of(results),
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


# --- Overview of municipalities with results ---------------------------------------------


@dataclass(frozen=True)
class PlaceSummary:
    municipality: Municipality
    years: tuple[int, ...]
    latest: float | None
    band: tuple[int, int] | None
    demo: bool


@dataclass(frozen=True)
class ResultsIndex:
    version: CatalogueVersion
    revision: int
    cache_key: str  # the results' cache key (for derived entries)
    places: tuple[PlaceSummary, ...]
    catalogue: Catalogue
    demo: bool


def results_index(*, version: CatalogueVersion) -> ResultsIndex:
    results = index_results(version, Scope.public())
    data, result, fw = results.data, results.result, results.framework
    municipalities = {
        m.code: m for m in Municipality.objects.filter(code__in=data.units).select_related("region")
    }
    places = []
    for u, unit in enumerate(data.units):
        years = data.unit_years[u]
        latest = None
        if result is not None and fw is not None and years:
            a = fw.aggregates.index(adapter.ROOT)
            latest = _opt(result.scores[u, a, data.years.index(years[-1])])
        places.append(
            PlaceSummary(
                municipality=municipalities[unit],
                years=years,
                latest=latest,
                band=adapter.score_band(latest),
                demo=bool(data.demo[u].any()),
            )
        )
    places.sort(key=lambda p: (p.municipality.country, p.municipality.code))
    return ResultsIndex(
        version=version,
        revision=results.revision,
        cache_key=key_of(results),
        places=tuple(places),
        catalogue=catalogue(version),
        demo=data.any_demo,
    )
