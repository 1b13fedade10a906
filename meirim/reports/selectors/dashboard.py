"""The dashboard of one municipality: scores by year, indicators, completeness, explanation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from index_engine import explain
from meirim.catalogue.models import CatalogueVersion, Indicator
from meirim.geography.models import Municipality
from meirim.reports import adapter, store
from meirim.reports.adapter import IndexResults, Scope
from meirim.reports.selectors.common import (
    NO_PROGRESS,
    STATUS_NAMES,
    Catalogue,
    Node,
    ProgressView,
    _first_year_with_data,
    _nones,
    _progress_views,
    _progresses,
    catalogue,
    node_choices,
)

# Why a row states no change (``ScoreLine.why`` / ``IndicatorLine.why``); "" when it does.
SAME_YEAR = "same_year"  # the baseline is the latest year: nothing later to compare
NO_CURRENT = "no_current"  # no score in the latest year / no value after the baseline
NO_BASELINE = "no_baseline"  # no score / value in the baseline year
NO_VALUES = "no_values"  # neither


@dataclass(frozen=True)
class ScoreLine:
    """A score row: the score in the page's latest year, and its change since the baseline.

    The change compares exactly the two scores the row shows (the latest year's and the
    baseline year's); when either is missing, no change is stated and ``why`` says why.
    """

    code: str
    kind: str
    entry: Any
    parent: str
    scores: tuple[float | None, ...]  # one per dashboard year
    latest: float | None
    band: tuple[int, int] | None
    progress: ProgressView
    baseline: float | None = None  # the score in the baseline year
    why: str = ""


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
    why: str = ""  # why no change is stated ("" when one is)
    # One per dashboard year: a small count hidden from the public ("fewer than 5").
    suppressed: tuple[bool, ...] = ()
    latest_suppressed: bool = False  # the latest year's value is such a count

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
    computed_at: datetime | None  # when these results were computed
    updating: bool  # newer data wait for the worker; these results are the last ones
    preview: bool
    demo: bool  # the municipality's shown data includes demonstration data
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
    explained: bool = True,
) -> Dashboard:
    """``explained=False`` leaves out what only the page shows (the explanation of a score
    and its choices) for readers that do not show it, such as the API."""
    scope = Scope.preview(municipality) if preview else Scope.public()
    results = store.read(version, scope, municipality_ids=[municipality.pk])
    cat = catalogue(version)
    empty = Dashboard(
        version=version,
        municipality=municipality,
        revision=results.revision,
        computed_at=results.computed_at,
        updating=results.updating,
        preview=preview,
        demo=False,
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
    # Indicators: the latest value (with its year) against the baseline value. Scores: the
    # latest year's score against the baseline year's, the two numbers each row shows.
    p_ind, _ = _progresses(results, baseline_year)
    p_score = None
    if years and baseline_year is not None and baseline_year < years[-1]:
        _, p_score = _progresses(results, baseline_year, years[-1])
    unit = municipality.code
    result = results.result
    fw = results.framework
    ind_views = _progress_views(p_ind, unit)
    score_views = _progress_views(p_score, unit)
    # The city's figures as Python lists, once: a dashboard reads about two thousand of them.
    aggregate_scores = (
        _nones(result.scores[u][:, y_ix].tolist()) if result is not None and fw else []
    )
    at_aggregate = {code: a for a, code in enumerate(fw.aggregates)} if fw else {}
    no_scores: tuple[float | None, ...] = tuple(None for _ in years)
    b_pos = years.index(baseline_year) if baseline_year in years else None

    def score_line(code: str, kind: str, entry: Any, parent: str) -> ScoreLine:
        a = at_aggregate.get(code)
        scores = aggregate_scores[a] if a is not None else no_scores
        latest = scores[-1] if scores else None
        then = scores[b_pos] if b_pos is not None else None
        view = score_views.get(code, NO_PROGRESS)
        if view.change != "no_data" and (view.current != latest or view.baseline != then):
            view = NO_PROGRESS  # never a change between numbers the row does not show
        return ScoreLine(
            code=code,
            kind=kind,
            entry=entry,
            parent=parent,
            scores=scores,
            latest=latest,
            band=adapter.score_band(latest),
            progress=view,
            baseline=then,
            why="" if view.change != "no_data" else _why(years, baseline_year, then, latest),
        )

    index = score_line(adapter.ROOT, "index", None, "")
    categories = tuple(
        score_line(code, "category", entry, adapter.ROOT) for code, entry in cat.categories.items()
    )
    subdomains = tuple(
        score_line(code, "subdomain", entry, entry.category.code)
        for code, entry in cat.subdomains.items()
    )
    city = _CityFigures(
        values=_nones(data.values[u][:, y_ix].tolist()),
        statuses=data.status[u][:, y_ix].tolist(),
        normalised=(_nones(result.normalised[u][:, y_ix].tolist()) if result is not None else []),
        suppressed=(
            [tuple(row) for row in data.suppressed[u][:, y_ix].tolist()]
            if data.suppressed is not None
            else [tuple(False for _ in years) for _ in data.codes]
        ),
        at_code={code: c for c, code in enumerate(data.codes)},
        at_indicator=(
            {code: i for i, code in enumerate(result.indicators)} if result is not None else {}
        ),
    )
    indicators = tuple(
        _indicator_line(results, cat, city, code, years, ind_views, baseline_year)
        for code in cat.indicators
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
    explanation = None
    choices: tuple[Node, ...] = ()
    if explained and result is not None and fw is not None:
        choices = tuple(n for n in node_choices(results, cat) if n.kind != "indicator")
        node = explain_node if explain_node in fw.aggregates else adapter.ROOT
        explanation = _explanation(results, cat, unit, u, node, years)
    return Dashboard(
        version=version,
        municipality=municipality,
        revision=results.revision,
        computed_at=results.computed_at,
        updating=results.updating,
        preview=preview,
        demo=demo,
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


@dataclass(frozen=True)
class _CityFigures:
    """One city's figures in the dashboard's years, as lists (NaN as None)."""

    values: list[tuple[float | None, ...]]  # [code][year]
    statuses: list[list[int]]  # [code][year]
    normalised: list[tuple[float | None, ...]]  # [scored indicator][year]
    suppressed: list[tuple[bool, ...]]  # [code][year]: a small count hidden from the public
    at_code: dict[str, int]
    at_indicator: dict[str, int]


def _indicator_line(
    results: IndexResults,
    cat: Catalogue,
    city: _CityFigures,
    code: str,
    years: Sequence[int],
    views: dict[str, ProgressView],
    baseline_year: int | None,
) -> IndicatorLine:
    c = city.at_code[code]
    values = city.values[c]
    suppressed = city.suppressed[c]
    statuses = tuple(STATUS_NAMES[status] for status in city.statuses[c])
    latest_value = latest_year = None
    latest_suppressed = False
    score = None
    for y in range(len(years) - 1, -1, -1):
        if suppressed[y]:  # the latest value is a small count: shown as "fewer than 5"
            latest_year, latest_suppressed = years[y], True
            break
        if values[y] is not None:
            latest_value, latest_year = values[y], years[y]
            i = city.at_indicator.get(code)
            if i is not None:
                score = city.normalised[i][y]
            break
    not_scored = results.not_scored.get(code, "")
    view = views.get(code, NO_PROGRESS) if not not_scored else NO_PROGRESS
    why = ""
    if view.change == "no_data" and not not_scored:
        then = values[years.index(baseline_year)] if baseline_year in years else None
        if latest_value is None or baseline_year is None:
            why = NO_VALUES
        elif then is None:
            why = NO_BASELINE
        elif latest_year is not None and latest_year <= baseline_year:
            why = NO_CURRENT
    return IndicatorLine(
        indicator=cat.indicators[code],
        not_scored=not_scored,
        values=values,
        statuses=statuses,
        latest_value=latest_value,
        latest_year=latest_year,
        score=score,
        posts=results.posts.get(code) if not not_scored else None,
        progress=view,
        why=why,
        suppressed=suppressed,
        latest_suppressed=latest_suppressed,
    )


def _why(
    years: Sequence[int], baseline_year: int | None, then: float | None, now: float | None
) -> str:
    """Why a score row states no change."""
    if baseline_year is None or not years:
        return NO_VALUES
    if baseline_year >= years[-1]:
        return SAME_YEAR
    if then is None and now is None:
        return NO_VALUES
    return NO_BASELINE if then is None else NO_CURRENT


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
