"""Reading stored results for a page: only the cities and nodes it shows.

Every read goes through here and applies whose data the reader may see: the approved
years of every city, and, for a city's own people previewing, that city's open years too.
The rows are turned back into the arrays the selectors index (``adapter.IndexResults``),
with an engine ``Result`` rebuilt from them, so ``progress`` and ``explain`` read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import polars as pl
from django.db.models import Max, Q, QuerySet

from meirim.catalogue.models import CatalogueVersion
from meirim.data.models import DataYear
from meirim.geography.models import Municipality
from meirim.reports import adapter
from meirim.reports.adapter import IndexResults, Scope, ScopeData, Scoring
from meirim.reports.frames import in_list, query_frame, table_name
from meirim.reports.models import (
    NodeResult,
    RelativeResult,
    RelativeRun,
    ResultState,
    YearResult,
)

YEAR_COLUMNS = {
    "unit": pl.String,
    "municipality_id": pl.Int64,
    "year": pl.Int64,
    "reported": pl.Int64,
    "is_demo": pl.Int8,
}
NODE_COLUMNS = {
    "municipality_id": pl.Int64,
    "year": pl.Int64,
    "code": pl.String,
    "value": pl.Float64,
    "score": pl.Float64,
    "reason": pl.Int64,
    "status": pl.Int64,
}


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


def read(
    version: CatalogueVersion,
    scope: Scope,
    *,
    municipality_ids: Sequence[int] | None = None,
    codes: Sequence[str] | None = None,
    scoring: Scoring | None = None,
) -> IndexResults:
    """The stored results the reader may see, of ``municipality_ids`` (every city when None)
    and of ``codes`` (every node when None)."""
    scoring = scoring or adapter.scoring_for_pages(version)
    visible, visible_params = _visible("yr", scope)
    sql = (
        f"SELECT m.code, yr.municipality_id, yr.year, yr.reported, CAST(yr.is_demo AS integer) "  # noqa: S608 - names from the models, values as parameters
        f"FROM {table_name(YearResult)} yr "
        f"JOIN {table_name(Municipality)} m ON m.id = yr.municipality_id "
        f"WHERE yr.version_id = %s AND {visible}"
    )
    params: list[object] = [version.pk, *visible_params]
    if municipality_ids is not None:
        if not municipality_ids:
            municipality_ids = [-1]
        sql += f" AND {in_list('yr.municipality_id', municipality_ids)}"
        params += list(municipality_ids)
    year_rows = query_frame(sql, params, YEAR_COLUMNS).sort("unit", "year")

    node_visible, node_params = _visible("nr", scope)
    sql = (
        "SELECT nr.municipality_id, nr.year, nr.code, nr.value, nr.score, nr.reason, nr.status "  # noqa: S608 - names from the models, values as parameters
        f"FROM {table_name(NodeResult)} nr WHERE nr.version_id = %s AND {node_visible}"
    )
    params = [version.pk, *node_params]
    if municipality_ids is not None:
        sql += f" AND {in_list('nr.municipality_id', municipality_ids)}"
        params += list(municipality_ids)
    if codes is not None:
        sql += f" AND {in_list('nr.code', codes)}"
        params += list(codes)
    node_rows = query_frame(sql, params, NODE_COLUMNS)
    return _assemble(version, scope, scoring, year_rows, node_rows, municipality_ids)


def _assemble(
    version: CatalogueVersion,
    scope: Scope,
    scoring: Scoring,
    year_rows: pl.DataFrame,
    node_rows: pl.DataFrame,
    municipality_ids: Sequence[int] | None,
) -> IndexResults:
    # Plain numpy from here: a page reads a few hundred rows, where polars' per-call cost
    # would dominate.
    y_ids = year_rows["municipality_id"].to_numpy()
    y_years = year_rows["year"].to_numpy()
    code_of = dict(zip(y_ids.tolist(), year_rows["unit"].to_list(), strict=True))
    units = tuple(sorted(code_of.values()))
    position_of_unit = {code: u for u, code in enumerate(units)}
    ids = np.array(sorted(code_of), dtype=np.int64)
    unit_of_id = np.array([position_of_unit[code_of[m]] for m in ids.tolist()], dtype=np.int64)
    years = tuple(sorted(set(y_years.tolist())))
    year_array = np.array(years, dtype=np.int64)
    codes = scoring.codes
    fw = scoring.framework
    aggregates = fw.aggregates if fw else ()
    n_u, n_y, n_c = len(units), len(years), len(codes)
    values = np.full((n_u, n_c, n_y), np.nan)
    status = np.zeros((n_u, n_c, n_y), dtype=np.uint8)
    index_scores = np.full((n_u, n_c, n_y), np.nan)
    index_reasons = np.zeros((n_u, n_c, n_y), dtype=np.uint8)
    agg_scores = np.full((n_u, len(aggregates), n_y), np.nan)
    agg_reasons = np.zeros((n_u, len(aggregates), n_y), dtype=np.uint8)
    demo = np.zeros((n_u, n_y), dtype=bool)
    reported = np.zeros((n_u, n_y), dtype=bool)
    # Every visible data year counts, even one with no value yet.
    seen = np.zeros((n_u, n_y), dtype=bool)

    def unit_positions(column: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return unit_of_id[np.searchsorted(ids, column)]

    if year_rows.height:
        u = unit_positions(y_ids)
        y = np.searchsorted(year_array, y_years)
        demo[u, y] = year_rows["is_demo"].to_numpy().astype(bool)
        reported[u, y] = year_rows["reported"].to_numpy() > 0
        seen[u, y] = True
    if node_rows.height and n_u:
        n_ids = node_rows["municipality_id"].to_numpy()
        # Rows of a city whose year is not visible to this reader are left out.
        keep = np.isin(n_ids, ids)
        u = unit_positions(n_ids[keep])
        y = np.searchsorted(year_array, node_rows["year"].to_numpy()[keep])
        y_ok = (y < n_y) & (
            year_array[np.minimum(y, n_y - 1)] == node_rows["year"].to_numpy()[keep]
        )
        labels, inverse = np.unique(
            np.asarray(node_rows["code"].to_list(), dtype=object)[keep], return_inverse=True
        )
        position = {c: i for i, c in enumerate(codes)}
        agg_position = {c: i for i, c in enumerate(aggregates)}
        k_ind = np.array([position.get(str(c), -1) for c in labels], dtype=np.int64)[inverse]
        k_agg = np.array([agg_position.get(str(c), -1) for c in labels], dtype=np.int64)[inverse]
        score = node_rows["score"].to_numpy(allow_copy=True).astype(np.float64)[keep]
        reason = node_rows["reason"].to_numpy().astype(np.uint8)[keep]
        ind = (k_ind >= 0) & y_ok
        values[u[ind], k_ind[ind], y[ind]] = (
            node_rows["value"].to_numpy(allow_copy=True).astype(np.float64)[keep][ind]
        )
        status[u[ind], k_ind[ind], y[ind]] = (
            node_rows["status"].to_numpy().astype(np.uint8)[keep][ind]
        )
        index_scores[u[ind], k_ind[ind], y[ind]] = score[ind]
        index_reasons[u[ind], k_ind[ind], y[ind]] = reason[ind]
        agg = (k_agg >= 0) & y_ok
        agg_scores[u[agg], k_agg[agg], y[agg]] = score[agg]
        agg_reasons[u[agg], k_agg[agg], y[agg]] = reason[agg]
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
    computed_at, updating = freshness(version, municipality_ids)
    return IndexResults(
        version_code=version.code,
        revision=adapter.data_revision(version),
        scope_key=scope.key,
        scoring=scoring,
        data=data,
        result=result,
        computed_at=computed_at,
        updating=updating,
    )


def freshness(
    version: CatalogueVersion, municipality_ids: Sequence[int] | None
) -> tuple[datetime | None, bool]:
    """(when the shown results were last computed, whether newer data wait)."""
    states = ResultState.objects.filter(version=version)
    if municipality_ids is not None:
        states = states.filter(municipality_id__in=list(municipality_ids))
    found = states.aggregate(
        computed=Max("computed_at"), waiting=Max("stale_since", filter=Q(stale_since__isnull=False))
    )
    return found["computed"], found["waiting"] is not None


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
    run = RelativeRun.objects.filter(version=version).first()
    units = tuple(sorted(m.code for m in municipalities))
    code_of = {m.pk: m.code for m in municipalities}
    rows = list(
        RelativeResult.objects.filter(
            version=version, code=node, municipality_id__in=list(code_of)
        ).values_list(
            "municipality_id", "year", "score", "rank", "rank_median", "rank_low", "rank_high"
        )
    )
    years = tuple(sorted({row[1] for row in rows}))
    arrays = [np.full((len(units), len(years)), np.nan) for _ in range(5)]
    for m, year, *figures in rows:
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
