"""What the results pages share: published versions, catalogue names, nodes, progress views."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from index_engine import Progress, progress
from index_engine.progress import CHANGE_STATES, TARGET_STATES
from meirim.catalogue.models import CatalogueVersion, Category, Indicator, SubDomain
from meirim.reports import adapter
from meirim.reports.adapter import IndexResults

STATUS_NAMES = ("missing", "reported", "no_data", "outside_competence", "not_applicable")


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
    """Categories, sub-domains and indicators of the version (one query, memoised per
    process for a published version: its entries never change)."""
    return adapter.version_memo(version, "catalogue", lambda: _catalogue(version))


def _catalogue(version: CatalogueVersion) -> Catalogue:
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
    # Children grouped in one pass (each page asks for this list).
    subdomains_of: dict[str, list[str]] = {}
    for s_code, subdomain in cat.subdomains.items():
        subdomains_of.setdefault(subdomain.category.code, []).append(s_code)
    indicators_of: dict[str, list[Node]] = {}
    for i_code, indicator in cat.indicators.items():
        if i_code in scored:
            node = Node(i_code, "indicator", indicator)
            indicators_of.setdefault(indicator.subdomain.code, []).append(node)
    for code, category in cat.categories.items():
        if code not in aggregates:
            continue
        nodes.append(Node(code, "category", category))
        for s_code in subdomains_of.get(code, ()):
            if s_code not in aggregates:
                continue
            nodes.append(Node(s_code, "subdomain", cat.subdomains[s_code]))
            nodes += indicators_of.get(s_code, ())
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


def _progress_views(p: Progress | None, unit: str) -> dict[str, ProgressView]:
    """Every code's :class:`ProgressView` for ``unit``, read from the arrays in one go (a
    dashboard shows about ninety; element by element, numpy's scalars cost more than the
    comparison itself)."""
    if p is None or unit not in p.units:
        return {}
    u = p.units.index(unit)
    a = p.assessment
    current_years = p.current_year[u].tolist()
    baselines = p.baseline[u].tolist()
    currents = p.current[u].tolist()
    targets = p.target.tolist()
    changes = a.change[u].tolist()
    target_states = a.target_state[u].tolist()
    gaps = a.gap_closed[u].tolist()
    return {
        code: ProgressView(
            change=CHANGE_STATES[changes[k]],
            baseline=_none_if_nan(baselines[k]),
            baseline_year=p.baseline_year,
            current=_none_if_nan(currents[k]),
            current_year=current_years[k] or None,
            target=_none_if_nan(targets[k]),
            target_state=TARGET_STATES[target_states[k]],
            gap_closed=_none_if_nan(gaps[k]),
        )
        for k, code in enumerate(p.codes)
    }


def _none_if_nan(value: float) -> float | None:
    return None if value != value else value  # NaN is the only value unequal to itself


def _nones(rows: list[list[float]]) -> list[tuple[float | None, ...]]:
    """Rows of floats (``ndarray.tolist()``) with NaN as None."""
    return [tuple(None if v != v else v for v in row) for row in rows]


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
        progress(result, baseline_year, current_year, results.scoring.indicator_tolerance),
        progress(result, baseline_year, current_year, results.scoring.score_tolerance),
    )


def _first_year_with_data(results: IndexResults, u: int) -> int | None:
    data = results.data
    if data.reported is not None:
        reported = data.reported[u]
    else:
        reported = (data.status[u] == adapter.REPORTED).any(axis=0)
    for y, year in enumerate(data.years):
        if reported[y]:
            return year
    return None
