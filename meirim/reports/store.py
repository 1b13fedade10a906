"""Reading stored results for a page: only the cities and nodes it shows.

Every read goes through here and applies whose data the reader may see: the approved
years of every city, and, for a city's own people previewing, that city's open years too.
The rows are turned back into the arrays the selectors index (``adapter.IndexResults``),
with an engine ``Result`` rebuilt from them, so ``progress`` and ``explain`` read it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import QuerySet

from meirim.catalogue.models import CatalogueVersion
from meirim.common.request_memo import memoized, remember
from meirim.common.rows import converted, first
from meirim.data.models import DataRevision, DataYear, revision_key
from meirim.geography.models import Municipality
from meirim.reports import adapter, suppression
from meirim.reports.adapter import IndexResults, Scope, ScopeData, Scoring
from meirim.reports.frames import in_list, table_name
from meirim.reports.models import (
    RelativeResult,
    RelativeRun,
    ResultLayout,
    ResultState,
    YearResult,
)


def approved_year(alias: str) -> str:
    """SQL condition: the (version, municipality, year) of row ``alias`` is an approved year."""
    return (
        f"EXISTS (SELECT 1 FROM {table_name(DataYear)} dy "  # noqa: S608 - names from the models
        f"WHERE dy.version_id = {alias}.version_id "
        f"AND dy.municipality_id = {alias}.municipality_id AND dy.year = {alias}.year "
        "AND dy.state = 'approved')"
    )


def _visible(alias: str, scope: Scope) -> tuple[str, list[object]]:
    """SQL condition: the row's year is approved, or belongs to the previewing city."""
    condition = approved_year(alias)
    if scope.preview_municipality_id is None:
        return condition, []
    return f"({condition} OR {alias}.municipality_id = %s)", [scope.preview_municipality_id]


#: The packed columns of :class:`YearResult`: (column, bytes a node, numpy type).
PACKED = (
    ("indicator_values", 8, "<f8"),
    ("indicator_status", 1, "u1"),
    ("scores", 8, "<f8"),
    ("reasons", 1, "u1"),
)


def read(
    version: CatalogueVersion,
    scope: Scope,
    *,
    municipality_ids: Sequence[int] | None = None,
    codes: Sequence[str] | None = None,
    scoring: Scoring | None = None,
) -> IndexResults:
    """The stored results the reader may see, of ``municipality_ids`` (every city when None)
    and of ``codes`` (every node when None: one row a city-year, whole; with codes, only
    those nodes' bytes are cut out in SQL)."""
    state = freshness(version, municipality_ids)  # first: it reads the data revision along
    scoring = scoring or adapter.scoring_for_pages(version)
    wanted = tuple(codes) if codes is not None else None
    layouts = _layouts(version)
    rows = _rows(version, scope, municipality_ids, wanted, layouts)
    if any(row[5] not in layouts for row in rows):
        # Written under a layout this process has not seen yet: learn it; a read of some
        # nodes cut their bytes by the layouts it knew, so it is made again.
        layouts = _layouts(version, refresh=True)
        if wanted is not None:
            rows = _rows(version, scope, municipality_ids, wanted, layouts)
    return _assemble(version, scoring, rows, layouts, wanted, state, public=not scope.is_preview)


def _rows(
    version: CatalogueVersion,
    scope: Scope,
    municipality_ids: Sequence[int] | None,
    wanted: Sequence[str] | None,
    layouts: Mapping[str, ResultLayout],
) -> list[tuple[Any, ...]]:
    visible, params = _visible("yr", scope)
    if wanted is None:
        packed = ", ".join(f"yr.{column}" for column, _, _ in PACKED)
        packed_params: list[object] = []
    else:
        packed, packed_params = _pieces(layouts, wanted)
    sql = (
        f"SELECT m.code, yr.municipality_id, yr.year, yr.reported, "  # noqa: S608 - names from the models, values as parameters
        f"CAST(yr.is_demo AS integer), yr.layout, {packed} "
        f"FROM {table_name(YearResult)} yr "
        f"JOIN {table_name(Municipality)} m ON m.id = yr.municipality_id "
        f"WHERE yr.version_id = %s AND {visible}"
    )
    all_params: list[Any] = [*packed_params, version.pk, *params]
    if municipality_ids is not None:
        if not municipality_ids:
            municipality_ids = [-1]
        sql += f" AND {in_list('yr.municipality_id', municipality_ids)}"
        all_params += list(municipality_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return list(cursor.fetchall())


#: (version id, key) → layout, kept per process: a layout's key is a hash of its content,
#: so a row once read never changes. Bounded: a few versions' layouts.
_LAYOUTS: dict[int, dict[str, ResultLayout]] = {}
LAYOUT_MEMO = 16


def _layouts(version: CatalogueVersion, *, refresh: bool = False) -> dict[str, ResultLayout]:
    found = _LAYOUTS.get(version.pk)
    if found is None or refresh:
        if len(_LAYOUTS) >= LAYOUT_MEMO:
            _LAYOUTS.clear()
        found = _LAYOUTS[version.pk] = {
            row.key: row for row in ResultLayout.objects.filter(version=version)
        }
    return found


def _pieces(layouts: Mapping[str, ResultLayout], codes: Sequence[str]) -> tuple[str, list[object]]:
    """SQL columns cutting each of ``codes``' figures out of the packed columns, whatever
    the row's layout: (value, status, score, reason) per code, NULL where it has none."""
    columns: list[str] = []
    params: list[object] = []
    for code in codes:
        for column, size, _ in PACKED:
            whens = []
            for key, layout in layouts.items():
                at = _position(layout, code, column)
                if at is not None:
                    whens.append(f"WHEN %s THEN substr(yr.{column}, %s, {size})")
                    params += [key, at * size + 1]
            columns.append(f"CASE yr.layout {' '.join(whens)} END" if whens else "NULL")
    return ", ".join(columns), params


def _position(layout: ResultLayout, code: str, column: str) -> int | None:
    """Where ``code`` sits in ``column`` of rows with ``layout`` (None: not there)."""
    indicators: list[str] = layout.indicators
    if code in indicators:
        return indicators.index(code)
    aggregates: list[str] = layout.aggregates
    if column in ("scores", "reasons") and code in aggregates:
        return len(indicators) + aggregates.index(code)
    return None


def _unpack(chunks: Sequence[bytes | memoryview | None], size: int, dtype: str) -> npt.NDArray[Any]:
    """Byte strings of ``size``-byte numbers, one per row, as a (rows, nodes) array; a row
    without bytes (a node its layout lacks) comes out all missing (NaN, or 0)."""
    missing = np.full(1, np.nan if dtype == "<f8" else 0, dtype=dtype).tobytes()
    width = max((len(c) for c in chunks if c is not None), default=0) // size
    joined = b"".join(bytes(c) if c is not None else missing * width for c in chunks)
    return np.frombuffer(joined, dtype=dtype).reshape(len(chunks), width)


@functools.lru_cache(maxsize=64)
def _placement(
    layout_indicators: tuple[str, ...],
    layout_aggregates: tuple[str, ...],
    codes: tuple[str, ...],
    aggregates: tuple[str, ...],
) -> tuple[npt.NDArray[np.intp], ...]:
    """Where a layout's nodes go on the page: (page positions, layout positions) of the
    indicators both know, then of the aggregates (placed after the layout's indicators in
    ``scores`` and ``reasons``)."""
    at_indicator = {code: i for i, code in enumerate(layout_indicators)}
    at_aggregate = {code: len(layout_indicators) + j for j, code in enumerate(layout_aggregates)}
    k_ind = [k for k, code in enumerate(codes) if code in at_indicator]
    k_agg = [k for k, code in enumerate(aggregates) if code in at_aggregate]
    return (
        np.array(k_ind, dtype=np.intp),
        np.array([at_indicator[codes[k]] for k in k_ind], dtype=np.intp),
        np.array(k_agg, dtype=np.intp),
        np.array([at_aggregate[aggregates[k]] for k in k_agg], dtype=np.intp),
    )


def _assemble(
    version: CatalogueVersion,
    scoring: Scoring,
    rows: Sequence[tuple[Any, ...]],
    layouts: Mapping[str, ResultLayout],
    wanted: Sequence[str] | None,
    state: tuple[datetime | None, bool],
    *,
    public: bool = True,
) -> IndexResults:
    code_of = {int(row[1]): str(row[0]) for row in rows}
    units = tuple(sorted(set(code_of.values())))
    position_of_unit = {code: u for u, code in enumerate(units)}
    years = tuple(sorted({int(row[2]) for row in rows}))
    position_of_year = {year: y for y, year in enumerate(years)}
    codes = all_codes = scoring.codes
    fw = scoring.framework
    aggregates = fw.aggregates if fw else ()
    n_u, n_y, n_c = len(units), len(years), len(all_codes)
    values = np.full((n_u, n_c, n_y), np.nan)
    status = np.zeros((n_u, n_c, n_y), dtype=np.uint8)
    index_scores = np.full((n_u, n_c, n_y), np.nan)
    index_reasons = np.zeros((n_u, n_c, n_y), dtype=np.uint8)
    agg_scores = np.full((n_u, len(aggregates), n_y), np.nan)
    agg_reasons = np.zeros((n_u, len(aggregates), n_y), dtype=np.uint8)
    u = np.array([position_of_unit[str(row[0])] for row in rows], dtype=np.int64)
    y = np.array([position_of_year[int(row[2])] for row in rows], dtype=np.int64)
    demo = np.zeros((n_u, n_y), dtype=bool)
    reported = np.zeros((n_u, n_y), dtype=bool)
    # Every visible data year counts, even one with no value yet.
    seen = np.zeros((n_u, n_y), dtype=bool)
    if rows:
        demo[u, y] = [bool(row[4]) for row in rows]
        reported[u, y] = [int(row[3]) > 0 for row in rows]
        seen[u, y] = True
    targets = (
        (values, status, index_scores, index_reasons),
        (None, None, agg_scores, agg_reasons),
    )
    if wanted is None:
        # Whole rows, grouped by layout, each node to its place on the page.
        for key in {row[5] for row in rows}:
            layout = layouts.get(key)
            if layout is None:
                continue  # written under a layout since removed: not shown
            mine = np.array([row[5] == key for row in rows])
            chosen = [row for row in rows if row[5] == key]
            k_ind, i_ind, k_agg, i_agg = _placement(
                tuple(layout.indicators), tuple(layout.aggregates), tuple(all_codes), aggregates
            )
            rows_u, rows_y = u[mine][:, None], y[mine][:, None]
            for p, (_, size, dtype) in enumerate(PACKED):
                block = _unpack([row[6 + p] for row in chosen], size, dtype)
                if block.shape[1] == 0:
                    continue
                indicator_target, aggregate_target = targets[0][p], targets[1][p]
                if indicator_target is not None and k_ind.size:
                    indicator_target[rows_u, k_ind[None, :], rows_y] = block[:, i_ind]
                if aggregate_target is not None and k_agg.size:
                    aggregate_target[rows_u, k_agg[None, :], rows_y] = block[:, i_agg]
    else:
        # One (value, status, score, reason) column group per asked code.
        for q, code in enumerate(wanted):
            for p, (_, size, dtype) in enumerate(PACKED):
                block = _unpack([row[6 + 4 * q + p] for row in rows], size, dtype)
                if block.shape[1] == 0:
                    continue
                if code in all_codes and targets[0][p] is not None:
                    targets[0][p][u, all_codes.index(code), y] = block[:, 0]
                elif code in aggregates and p >= 2:
                    targets[1][p][u, aggregates.index(code), y] = block[:, 0]  # type: ignore[index]
    suppressed = None
    if public:
        # Small counts are not shown to the public, nor their scores (fixed goalposts would
        # give the value back): for every reader they are no value.
        units_of = {m.code: m.unit for m in scoring.meta}
        suppressed = suppression.mask(tuple(units_of.get(c, "") for c in codes), values)
        values[suppressed] = np.nan
        index_scores[suppressed] = np.nan
    data = ScopeData(
        units=units,
        codes=codes,
        years=years,
        values=values,
        status=status,
        demo=demo,
        unit_years=tuple(
            tuple(year for y_i, year in enumerate(years) if seen[u_i, y_i]) for u_i in range(n_u)
        ),
        reported=reported,
        suppressed=suppressed,
    )
    result = None
    if fw is not None and n_u and n_y:
        ind = [codes.index(c) for c in fw.indicators]
        result = adapter.stored_result(
            scoring,
            data,
            index_scores[:, ind, :],
            agg_scores,
            index_reasons[:, ind, :],
            agg_reasons,
        )
    computed_at, updating = state
    return IndexResults(
        version_code=version.code,
        revision=adapter.data_revision(version),
        scoring=scoring,
        data=data,
        result=result,
        computed_at=computed_at,
        updating=updating,
    )


def freshness(
    version: CatalogueVersion, municipality_ids: Sequence[int] | None
) -> tuple[datetime | None, bool]:
    """(when the shown results were last computed, whether newer data wait); read once a
    request (a page's key and its results both ask)."""

    def read() -> tuple[datetime | None, bool]:
        # The data revision comes along: every page that asks one asks the other.
        sql = (
            "SELECT MAX(computed_at), COUNT(stale_since), "  # noqa: S608 - names from the models
            f"(SELECT revision FROM {table_name(DataRevision)} WHERE version_id = %s) "
            f"FROM {table_name(ResultState)} WHERE version_id = %s"
        )
        params: list[Any] = [version.pk, version.pk]
        if municipality_ids is not None:
            sql += f" AND {in_list('municipality_id', municipality_ids or [-1])}"
            params += list(municipality_ids or [-1])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            computed, waiting, revision = cursor.fetchone()
        remember(revision_key(version.pk), int(revision or 0))
        return converted(ResultState, "computed_at", computed), waiting > 0

    ids = None if municipality_ids is None else tuple(sorted(municipality_ids))
    return memoized(("results-freshness", version.pk, ids), read)


@dataclass(frozen=True)
class RelativeView:
    """One aggregate's relative figures (across cities) for some cities, by year; NaN where
    a city has none. ``computed_at`` is None before the first comparison run."""

    node: str
    draws: int
    computed_at: datetime | None
    units: tuple[str, ...]
    years: tuple[int, ...]
    score: npt.NDArray[np.float64]
    rank: npt.NDArray[np.float64]
    median: npt.NDArray[np.float64]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    ranked: Mapping[int, int]  # how many cities have a score, per year

    def at(self, unit: str, year: int) -> tuple[float | None, ...]:
        """(relative score, rank, median rank, 5 %, 95 %) of ``unit`` in ``year``."""
        if unit not in self.units or year not in self.years:
            return (None,) * 5
        u, y = self.units.index(unit), self.years.index(year)
        return tuple(
            None if np.isnan(a[u, y]) else float(a[u, y])
            for a in (self.score, self.rank, self.median, self.low, self.high)
        )


def relative_read(
    version: CatalogueVersion, node: str, municipalities: Sequence[Municipality]
) -> RelativeView:
    """The stored relative figures of ``node`` for ``municipalities`` (approved years)."""
    run = first(RelativeRun, "version_id = %s", [version.pk])
    units = tuple(sorted(m.code for m in municipalities))
    code_of = {m.pk: m.code for m in municipalities}
    ids = list(code_of) or [-1]
    sql = (
        "SELECT municipality_id, year, score, rank, rank_median, rank_low, rank_high "  # noqa: S608 - names from the models
        f"FROM {table_name(RelativeResult)} WHERE version_id = %s AND code = %s "
        f"AND {in_list('municipality_id', ids)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, node, *ids])
        found = cursor.fetchall()
    years = tuple(sorted({row[1] for row in found}))
    arrays = [np.full((len(units), len(years)), np.nan) for _ in range(5)]
    for m, year, *figures in found:
        u, y = units.index(code_of[m]), years.index(year)
        for array, figure in zip(arrays, figures, strict=True):
            if figure is not None:
                array[u, y] = figure
    return RelativeView(
        node=node,
        draws=run.draws if run else 0,
        computed_at=run.computed_at if run else None,
        units=units,
        years=years,
        score=arrays[0],
        rank=arrays[1],
        median=arrays[2],
        low=arrays[3],
        high=arrays[4],
        ranked={int(k): int(v) for k, v in (run.ranked if run else {}).items()},
    )


def _approved_years(version: CatalogueVersion) -> QuerySet[DataYear]:
    return DataYear.objects.filter(version=version, state=DataYear.State.APPROVED)


def visible_years(version: CatalogueVersion) -> tuple[int, ...]:
    """The years with approved data of any city."""
    years = _approved_years(version).order_by("year").values_list("year", flat=True).distinct()
    return tuple(years)


def municipalities_with_results(version: CatalogueVersion) -> QuerySet[Municipality]:
    """The municipalities with at least one approved data year (public results)."""
    return (
        Municipality.objects.filter(pk__in=_approved_years(version).values("municipality_id"))
        .select_related("region")
        .order_by("country", "code")
    )
