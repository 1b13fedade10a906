"""Comparing municipalities on one node (index, category, sub-domain or indicator) by year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from meirim.catalogue.models import CatalogueVersion
from meirim.geography.models import Municipality
from meirim.reports import adapter
from meirim.reports.adapter import IndexResults, Scope
from meirim.reports.cache import RankIntervals, index_results, key_of, rank_intervals
from meirim.reports.selectors.common import Node, _opt, catalogue, node_choices

MAX_COMPARED = 12


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
