"""Comparing municipalities on one node (index, category, sub-domain or indicator) by year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from meirim.catalogue.models import CatalogueVersion
from meirim.geography.models import Municipality, Region
from meirim.reports import adapter, store
from meirim.reports.adapter import IndexResults, Scope
from meirim.reports.selectors.common import Node, _opt, catalogue, node_choices
from meirim.reports.store import RelativeView

MAX_COMPARED = 12
#: Up to this many municipalities with results, the page offers them all in one list;
#: beyond it, those of one region at a time.
MAX_OPTIONS = 300


@dataclass(frozen=True)
class CompareCell:
    year: int
    score: float | None  # node score, or the indicator's normalised value
    value: float | None  # the indicator's own value (indicators only)
    band: tuple[int, int] | None
    relative: float | None  # min-max across the cities with approved data (aggregates)
    rank_low: float | None
    rank_median: float | None
    rank_high: float | None
    ranked: int  # how many municipalities have a score that year
    demo: bool
    suppressed: bool = False  # the indicator's value is a small count hidden from the public


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
    computed_at: datetime | None
    updating: bool
    node: Node
    years: tuple[int, ...]
    rows: tuple[CompareRow, ...]
    intervals: RelativeView | None
    demo: bool
    available_years: tuple[int, ...]
    node_options: tuple[Node, ...]
    municipality_options: tuple[Municipality, ...]
    regions: tuple[Region, ...]  # offered when the municipalities are listed by region
    region: Region | None
    unknown: tuple[str, ...]  # asked-for codes without results


@dataclass(frozen=True)
class Listing:
    """The municipalities with public results, and the same by region: built once per data
    revision, as it takes a pass over every municipality of the country."""

    municipalities: tuple[Municipality, ...]
    regions: tuple[Region, ...]
    # region id -> its municipalities and those outside any region (of national
    # significance), which are offered with every region.
    by_region: Mapping[int | None, tuple[Municipality, ...]]
    no_region: tuple[Municipality, ...]


def _listing(listed: Iterable[Municipality]) -> Listing:
    municipalities = tuple(listed)
    by_code = {m.region.code: m.region for m in municipalities if m.region is not None}
    regions = tuple(by_code[code] for code in sorted(by_code))
    no_region = tuple(m for m in municipalities if m.region_id is None)
    grouped: dict[int | None, list[Municipality]] = {r.pk: [] for r in regions}
    for m in municipalities:
        if m.region_id is None:
            for members in grouped.values():
                members.append(m)
        else:
            grouped[m.region_id].append(m)
    return Listing(
        municipalities=municipalities,
        regions=regions,
        by_region={pk: tuple(members) for pk, members in grouped.items()},
        no_region=no_region,
    )


def comparison(
    *,
    version: CatalogueVersion,
    codes: Sequence[str],
    node: str,
    year_from: int | None,
    year_to: int | None,
    region: str | None = None,
) -> Comparison:
    """Reads only the compared municipalities' results (and the list to choose from)."""
    wanted = list(dict.fromkeys(codes))[:MAX_COMPARED]
    asked = {
        m.code: m for m in Municipality.objects.filter(code__in=wanted).select_related("region")
    }
    results = store.read(version, Scope.public(), municipality_ids=[m.pk for m in asked.values()])
    data = results.data
    cat = catalogue(version)
    options = node_choices(results, cat)
    chosen = next((n for n in options if n.code == node), options[0])
    places = {code: m for code, m in asked.items() if results.unit_index(code) is not None}
    known = [c for c in wanted if c in places]
    # Both change only with a data revision: read once per revision in each process.
    all_years = adapter.version_memo(version, "visible-years", lambda: store.visible_years(version))
    listing = adapter.version_memo(
        version, "listing", lambda: _listing(store.municipalities_with_results(version))
    )
    years = tuple(
        y
        for y in data.years
        if (year_from is None or y >= year_from) and (year_to is None or y <= year_to)
    )
    relative = None
    if chosen.kind != "indicator":
        relative = store.relative_read(version, chosen.code, list(places.values()))
    # Rank intervals are estimated for the index and the categories (store.relative).
    intervals = relative if chosen.kind in ("index", "category") else None
    rows = tuple(
        CompareRow(places[code], _compare_cells(results, chosen, code, years, relative))
        for code in known
    )
    regions: tuple[Region, ...] = ()
    shown_region = None
    offered_list = listing.municipalities
    if len(listing.municipalities) > MAX_OPTIONS:
        regions = listing.regions
        by_code = {r.code: r for r in regions}
        shown_region = by_code.get(region or "")
        if shown_region is None and rows:
            shown_region = rows[0].municipality.region
        if shown_region is None and regions:
            shown_region = regions[0]
        offered_list = listing.by_region.get(getattr(shown_region, "pk", None), listing.no_region)
    offered = {m.code: m for m in offered_list} | places
    return Comparison(
        version=version,
        revision=results.revision,
        computed_at=results.computed_at,
        updating=results.updating,
        node=chosen,
        years=years,
        rows=rows,
        intervals=intervals,
        demo=any(cell.demo for row in rows for cell in row.cells),
        available_years=all_years,
        node_options=tuple(options),
        municipality_options=tuple(sorted(offered.values(), key=lambda m: (m.country, m.code))),
        regions=regions,
        region=shown_region,
        unknown=tuple(c for c in wanted if c not in places),
    )


def _compare_cells(
    results: IndexResults,
    node: Node,
    unit: str,
    years: Sequence[int],
    intervals: RelativeView | None,
) -> tuple[CompareCell, ...]:
    data, result, fw = results.data, results.result, results.framework
    u = results.unit_index(unit)
    cells = []
    for year in years:
        y = data.years.index(year)
        score = value = low = median = high = relative = None
        ranked = 0
        if u is not None and result is not None and fw is not None:
            if node.kind == "indicator":
                value = _opt(data.values[u, data.codes.index(node.code), y])
                score = _opt(result.normalised[u, result.indicators.index(node.code), y])
            else:
                score = _opt(result.scores[u, fw.aggregates.index(node.code), y])
            if intervals is not None and score is not None:
                relative, _rank, median, low, high = intervals.at(unit, year)
                ranked = intervals.ranked.get(year, 0) if median is not None else 0
        cells.append(
            CompareCell(
                year=year,
                score=score,
                value=value,
                band=adapter.score_band(score),
                relative=relative,
                rank_low=low,
                rank_median=median,
                rank_high=high,
                ranked=ranked,
                demo=bool(u is not None and data.demo[u, y]),
                suppressed=(
                    u is not None
                    and node.kind == "indicator"
                    and node.code in data.codes
                    and data.hidden(u, data.codes.index(node.code), y)
                ),
            )
        )
    return tuple(cells)
