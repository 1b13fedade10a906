"""Computing a version's results city by city and storing them (run by the task worker).

A city's results in a year depend only on its own data of that year and the version's
scoring method, so after a data write only the changed cities' years are computed again;
the national recompute goes through the cities in chunks, so memory stays bounded.
Observations come in, and results go out, as columns (:mod:`meirim.reports.frames`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from index_engine import compute
from meirim.catalogue.models import CatalogueVersion
from meirim.data.models import DataYear, Observation
from meirim.reports import adapter
from meirim.reports.adapter import ScopeData, Scoring
from meirim.reports.frames import copy_in, in_list, query_frame, table_name
from meirim.reports.models import ResultLayout, ResultState, YearResult
from meirim.reports.store import approved_year

#: Cities computed together: bounds memory (about 100 MB at 1,000 cities × 10 years).
CHUNK = 1_000

OBSERVATION_COLUMNS = {
    "municipality_id": pl.Int64,
    "code": pl.String,
    "year": pl.Int64,
    "status": pl.String,
    "value": pl.Float64,
    "is_demo": pl.Int8,
}


def observations_frame(
    version: CatalogueVersion,
    codes: Sequence[str],
    municipality_ids: Sequence[int] | None,
    approved_only: bool = False,
) -> pl.DataFrame:
    """The total observations of the index indicators, one row each, as columns (of
    approved years only for the comparison across cities)."""
    sql = (
        "SELECT o.municipality_id, o.code, o.year, o.status, CAST(o.value AS double precision), "  # noqa: S608 - names from the models, values as parameters
        f"CAST(o.is_demo AS integer) FROM {table_name(Observation)} o "
        "WHERE o.version_id = %s AND o.sex = '' AND o.age_band = '' AND o.disability = '' "
        f"AND o.district = '' AND {in_list('o.code', codes)}"
    )
    params: list[object] = [version.pk, *codes]
    if municipality_ids is not None:
        sql += f" AND {in_list('o.municipality_id', municipality_ids)}"
        params += list(municipality_ids)
    if approved_only:
        sql += f" AND {approved_year('o')}"
    return query_frame(sql, params, OBSERVATION_COLUMNS)


def city_years_frame(
    version: CatalogueVersion, municipality_ids: Sequence[int] | None, approved_only: bool = False
) -> pl.DataFrame:
    """Every (municipality, year) with a data year: approved or open, or approved only."""
    sql = f"SELECT municipality_id, year FROM {table_name(DataYear)} WHERE version_id = %s"  # noqa: S608 - names from the models, values as parameters
    params: list[object] = [version.pk]
    if municipality_ids is not None:
        sql += f" AND {in_list('municipality_id', municipality_ids)}"
        params += list(municipality_ids)
    if approved_only:
        sql += " AND state = 'approved'"
    return query_frame(sql, params, {"municipality_id": pl.Int64, "year": pl.Int64})


def municipalities_with_data(version: CatalogueVersion) -> list[int]:
    sql = (
        f"SELECT DISTINCT municipality_id FROM {table_name(DataYear)} WHERE version_id = %s "  # noqa: S608 - names from the models, values as parameters
        "UNION SELECT DISTINCT municipality_id "
        f"FROM {table_name(Observation)} WHERE version_id = %s"
    )
    frame = query_frame(sql, [version.pk, version.pk], {"municipality_id": pl.Int64})
    return sorted(frame["municipality_id"].to_list())


@dataclass
class Dense:
    """A chunk's observations placed in arrays (see :class:`adapter.ScopeData`)."""

    municipality_ids: npt.NDArray[np.int64]
    years: npt.NDArray[np.int64]
    data: ScopeData
    city_years: npt.NDArray[np.bool_]  # (units, years): a data year or an observation


def dense(scoring: Scoring, observations: pl.DataFrame, city_years: pl.DataFrame) -> Dense:
    """Place the long columns in (units, codes, years) arrays, without a loop per row."""
    pairs = pl.concat(
        [city_years, observations.select("municipality_id", "year")], how="vertical"
    ).unique()
    ids = np.sort(pairs["municipality_id"].unique().to_numpy())
    years = np.sort(pairs["year"].unique().to_numpy())
    codes = scoring.codes
    shape = (ids.size, len(codes), years.size)
    values = np.full(shape, np.nan)
    status = np.zeros(shape, dtype=np.uint8)
    demo = np.zeros((ids.size, years.size), dtype=bool)
    present = np.zeros((ids.size, years.size), dtype=bool)
    present[
        np.searchsorted(ids, pairs["municipality_id"].to_numpy()),
        np.searchsorted(years, pairs["year"].to_numpy()),
    ] = True
    if observations.height:
        coded = observations.with_columns(
            pl.col("code").replace_strict(
                {c: i for i, c in enumerate(codes)}, return_dtype=pl.Int64
            ),
            pl.col("status")
            .replace_strict(adapter.STATUS_CODES, default=adapter.MISSING, return_dtype=pl.UInt8)
            .alias("state"),
        )
        u = np.searchsorted(ids, coded["municipality_id"].to_numpy())
        c = coded["code"].to_numpy()
        y = np.searchsorted(years, coded["year"].to_numpy())
        st = coded["state"].to_numpy()
        numbers = coded["value"].to_numpy(allow_copy=True).astype(np.float64)
        status[u, c, y] = st
        keep = (st == adapter.REPORTED) & ~np.isnan(numbers)
        values[u[keep], c[keep], y[keep]] = numbers[keep]
        flagged = coded["is_demo"].to_numpy().astype(bool)
        demo[u[flagged], y[flagged]] = True
    units = tuple(str(m) for m in ids.tolist())
    data = ScopeData(
        units=units,
        codes=codes,
        years=tuple(int(y) for y in years.tolist()),
        values=values,
        status=status,
        demo=demo,
        unit_years=(),
    )
    return Dense(ids, years, data, present)


def layout_of(scoring: Scoring) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(key, indicator codes, aggregate codes): the node order of the packed columns."""
    indicators = tuple(scoring.codes)
    aggregates = tuple(scoring.framework.aggregates) if scoring.framework else ()
    digest = hashlib.sha1(  # noqa: S324 - a layout's name, not a secret
        ("|".join(indicators) + "#" + "|".join(aggregates)).encode()
    )
    return digest.hexdigest()[:16], indicators, aggregates


def _packed(matrix: npt.NDArray[np.generic], dtype: str) -> list[bytes]:
    """One little-endian byte string per row of a (rows, nodes) matrix."""
    rows = np.ascontiguousarray(matrix, dtype=np.dtype(dtype).newbyteorder("<"))
    return [row.tobytes() for row in rows]


def year_frame(version_id: int, scoring: Scoring, block: Dense) -> pl.DataFrame:
    """One row per city-year of the chunk: its completeness and every node's figures."""
    data = block.data
    fw = scoring.framework
    n_units, n_codes, n_years = data.values.shape
    index_scores = np.full((n_units, n_codes, n_years), np.nan)
    index_reasons = np.zeros((n_units, n_codes, n_years), dtype=np.uint8)
    agg_scores = np.zeros((n_units, 0, n_years))
    agg_reasons = np.zeros((n_units, 0, n_years), dtype=np.uint8)
    if fw is not None:
        dataset = adapter.engine_dataset(data, fw)
        agg_scores = np.full((n_units, len(fw.aggregates), n_years), np.nan)
        agg_reasons = np.zeros((n_units, len(fw.aggregates), n_years), dtype=np.uint8)
        if dataset is not None:
            result = compute(fw, dataset, scoring.pipeline)
            position = [data.codes.index(c) for c in fw.indicators]
            index_scores[:, position, :] = result.normalised
            index_reasons[:, position, :] = result.indicator_reasons
            agg_scores = np.asarray(result.scores)
            agg_reasons = np.asarray(result.score_reasons, dtype=np.uint8)
    # The city-years only, each as (nodes,) rows.
    u_ix, y_ix = np.nonzero(block.city_years)

    def rows(array: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        return np.transpose(array, (0, 2, 1))[u_ix, y_ix, :]

    counts = np.stack(
        [(data.status == code).sum(axis=1) for code in range(len(adapter.STATUS_CODES) + 1)],
        axis=-1,
    )  # (units, years, status codes)
    key, _, _ = layout_of(scoring)
    return pl.DataFrame(
        {
            "version_id": np.full(u_ix.size, version_id, dtype=np.int64),
            "municipality_id": block.municipality_ids[u_ix],
            "year": block.years[y_ix],
            "missing": counts[u_ix, y_ix, adapter.MISSING],
            "reported": counts[u_ix, y_ix, adapter.REPORTED],
            "no_data": counts[u_ix, y_ix, adapter.NO_DATA],
            "outside_competence": counts[u_ix, y_ix, adapter.OUTSIDE_COMPETENCE],
            "not_applicable": counts[u_ix, y_ix, adapter.NOT_APPLICABLE],
            "is_demo": data.demo[u_ix, y_ix],
            "layout": pl.Series([key] * u_ix.size, dtype=pl.String),
            "indicator_values": pl.Series(_packed(rows(data.values), "f8"), dtype=pl.Binary),
            "indicator_status": pl.Series(_packed(rows(data.status), "u1"), dtype=pl.Binary),
            "scores": pl.Series(
                _packed(rows(np.concatenate([index_scores, agg_scores], axis=1)), "f8"),
                dtype=pl.Binary,
            ),
            "reasons": pl.Series(
                _packed(rows(np.concatenate([index_reasons, agg_reasons], axis=1)), "u1"),
                dtype=pl.Binary,
            ),
        }
    ).with_columns(pl.lit(timezone.now()).alias("computed_at"))


def _register_layout(version: CatalogueVersion, scoring: Scoring) -> None:
    key, indicators, aggregates = layout_of(scoring)
    ResultLayout.objects.get_or_create(
        version=version,
        key=key,
        defaults={"indicators": list(indicators), "aggregates": list(aggregates)},
    )


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def results_compute(
    version: CatalogueVersion,
    municipality_ids: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
    chunk: int = CHUNK,
) -> int:
    """Compute and store the results of ``municipality_ids`` (every city with data when
    None), for ``years`` only when given. Returns the number of city-year rows written."""
    started = timezone.now()
    scoring = adapter.scoring(version)
    ids = (
        municipalities_with_data(version)
        if municipality_ids is None
        else sorted(set(municipality_ids))
    )
    _register_layout(version, scoring)
    written = 0
    for part in _chunks(ids, chunk):
        observations = observations_frame(version, scoring.codes, part)
        city_years = city_years_frame(version, part)
        if years is not None:
            wanted = pl.Series("year", list(years), dtype=pl.Int64)
            observations = observations.filter(pl.col("year").is_in(wanted.implode()))
            city_years = city_years.filter(pl.col("year").is_in(wanted.implode()))
        block = dense(scoring, observations, city_years)
        year_rows = year_frame(version.pk, scoring, block)
        with transaction.atomic():
            _delete(version, part, years)
            written += copy_in(table_name(YearResult), year_rows)
            _mark_computed(version, part, started)
    return written


def _delete(version: CatalogueVersion, ids: Sequence[int], years: Sequence[int] | None) -> None:
    rows = YearResult.objects.filter(version=version, municipality_id__in=ids)
    if years is not None:
        rows = rows.filter(year__in=list(years))
    rows._raw_delete(rows.db)  # no signals, no cascade


def _mark_computed(version: CatalogueVersion, ids: Sequence[int], started: datetime) -> None:
    """Record the computation; a write newer than its start stays marked as waiting."""
    table = connection.ops.quote_name(table_name(ResultState))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (version_id, municipality_id, computed_at, stale_since) "  # noqa: S608 - names from the models, values as parameters
            "VALUES (%s, %s, %s, NULL) ON CONFLICT (version_id, municipality_id) DO UPDATE "
            "SET computed_at = EXCLUDED.computed_at, stale_since = CASE WHEN "
            f"{table}.stale_since IS NOT NULL AND {table}.stale_since > %s "
            f"THEN {table}.stale_since ELSE NULL END",
            [(version.pk, m, _db_time(now), _db_time(started)) for m in ids],
        )


def _db_time(moment: datetime) -> Any:
    """A time as the ORM would write it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def results_mark_stale(version_id: int, municipality_ids: Sequence[int]) -> None:
    """Say that newer data of these cities wait for the worker (pages show it)."""
    table = connection.ops.quote_name(table_name(ResultState))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (version_id, municipality_id, computed_at, stale_since) "  # noqa: S608 - names from the models, values as parameters
            "VALUES (%s, %s, NULL, %s) ON CONFLICT (version_id, municipality_id) DO UPDATE "
            f"SET stale_since = COALESCE({table}.stale_since, EXCLUDED.stale_since)",
            [(version_id, m, _db_time(now)) for m in sorted(set(municipality_ids))],
        )
