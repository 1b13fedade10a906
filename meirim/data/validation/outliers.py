"""Year-on-year outliers: modified z-scores of each series, new rows against stored years."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Final

import numpy as np
import polars as pl

from meirim.data.models import ObservationStatus
from meirim.data.validation.numbers import _SIX_PLACES
from meirim.data.validation.rows import CleanRow

# Modified z-score (Iglewicz and Hoaglin): flag |z| above this, given enough history.
OUTLIER_THRESHOLD: Final = 3.5
OUTLIER_MIN_POINTS: Final = 4
_IGLEWICZ_HOAGLIN: Final = 0.6745


@dataclass(frozen=True, slots=True)
class OutlierWarning:
    row: int | None
    municipality_id: int
    code: str
    year: int
    value: Decimal
    z: float


def modified_z_scores(values: Sequence[float]) -> list[float] | None:
    """Iglewicz–Hoaglin modified z-scores, or None with too few points or no spread."""
    if len(values) < OUTLIER_MIN_POINTS:
        return None
    centre = median(values)
    mad = median([abs(value - centre) for value in values])
    if mad == 0:
        return None
    return [_IGLEWICZ_HOAGLIN * (value - centre) / mad for value in values]


SeriesKey = tuple[int, str, str, str, str, str]
_SERIES: Final = ("municipality_id", "code", "sex", "age_band", "disability", "district")


@dataclass
class HistoryCheck:
    """The outcome of comparing new rows with what is stored."""

    warnings: list[OutlierWarning]
    replaced: int  # rows whose cell is already stored


def check_history(
    rows: Sequence[CleanRow], stored: Mapping[SeriesKey, Mapping[int, float | None]]
) -> HistoryCheck:
    """Flag year-on-year outliers and count the rows that replace a stored cell.

    ``stored`` holds, per series (the cell without its year), the stored value of each year:
    a float for a reported number, None otherwise. A new row replaces the stored value of its
    year. A row is flagged (``is_outlier``) when its modified z-score over the series,
    new values included, exceeds 3.5 — given at least four numbers that vary.
    """
    groups: dict[SeriesKey, dict[int, CleanRow]] = {}
    replaced = 0
    reported = ObservationStatus.REPORTED
    for row in rows:
        key = row.series
        years = stored.get(key)
        if years is not None and row.year in years:
            replaced += 1
        if row.value is not None and row.quantitative and row.status == reported:
            group = groups.get(key)
            if group is None:
                group = groups[key] = {}
            group[row.year] = row
    warnings: list[OutlierWarning] = []
    for key, new in groups.items():
        old = stored.get(key, {})
        if len(old) + len(new) < OUTLIER_MIN_POINTS:
            continue
        kept = [value for year, value in old.items() if value is not None and year not in new]
        fresh = list(new.values())
        scores = modified_z_scores(kept + [float(row.value or 0) for row in fresh])
        if scores is None:
            continue
        for row, score in zip(fresh, scores[len(kept) :], strict=True):
            if abs(score) > OUTLIER_THRESHOLD and row.value is not None:
                row.is_outlier = True
                warnings.append(
                    OutlierWarning(
                        row.row, row.municipality_id, row.code, row.year, row.value, round(score, 2)
                    )
                )
    warnings.sort(key=lambda warning: (warning.row or 0, warning.code))
    return HistoryCheck(warnings=warnings, replaced=replaced)


def series_ids(clean: pl.DataFrame, stored: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``clean`` and ``stored`` with ``_sid``: a number per series of ``clean`` (the same in both).

    The stored cells of a series the clean rows do not have are left out: no check and no
    comparison needs them. The texts of a series are compared once here; every later join
    and grouping is on numbers.
    """
    series = list(_SERIES)
    ids = clean.select(series).unique().with_row_index("_sid")
    clean = clean.join(ids, on=series, how="left", maintain_order="left")
    if stored.height:
        stored = stored.join(ids, on=series, how="inner")
    else:
        stored = stored.with_columns(pl.lit(0, dtype=pl.UInt32).alias("_sid"))
    return clean, stored


def _cell_key(frame: pl.DataFrame) -> pl.Expr:
    """The cell as one number: its series (``_sid``) and year."""
    return pl.col("_sid").cast(pl.Int64) * 10_000 + pl.col("year").cast(pl.Int64)


def _spread(points: pl.DataFrame) -> pl.DataFrame:
    """(``_sid``, ``centre``, ``mad``) of each series of ``points`` (sorted by ``_sid`` and
    ``value``) with OUTLIER_MIN_POINTS numbers at least and a spread: the median of the
    values and the median of their distances from it, each the mean of the two middle
    values as :func:`statistics.median` computes it."""
    sid = points.get_column("_sid").to_numpy()
    values = points.get_column("value").to_numpy()
    if not len(sid):
        return pl.DataFrame(schema={"_sid": pl.UInt32, "centre": pl.Float64, "mad": pl.Float64})
    changes = np.flatnonzero(sid[1:] != sid[:-1]) + 1
    starts = np.concatenate(([0], changes))
    counts = np.diff(np.concatenate((starts, [len(sid)])))
    low, high = starts + (counts - 1) // 2, starts + counts // 2
    centre = (values[low] + values[high]) / 2
    deviation = np.abs(values - np.repeat(centre, counts))
    # Each series' distances in order: the series stay where they are (stable, by series).
    deviation = deviation[np.lexsort((deviation, np.repeat(np.arange(len(starts)), counts)))]
    mad = (deviation[low] + deviation[high]) / 2
    scored = (counts >= OUTLIER_MIN_POINTS) & (mad != 0)
    return pl.DataFrame(
        {
            "_sid": pl.Series(sid[starts][scored], dtype=pl.UInt32),
            "centre": centre[scored],
            "mad": mad[scored],
        }
    )


def check_history_frame(
    clean: pl.DataFrame, stored: pl.DataFrame
) -> tuple[pl.DataFrame, HistoryCheck]:
    """:func:`check_history` over frames: the clean rows (``is_outlier`` set, ``stored`` added).

    ``clean`` has the columns of :data:`meirim.data.validation.columnar.CLEAN_COLUMNS`;
    ``stored`` the series key, ``year`` and ``value`` (a float for a reported number, else
    null). The same rules, the same medians (the mean of the two middle values), the same
    warnings in the same order. Both frames may come with ``_sid`` from :func:`series_ids`
    (else it is added); the clean rows come back with it.
    """
    if "_sid" not in clean.columns:
        clean, stored = series_ids(clean, stored)
    cell = _cell_key(clean)
    stored_cells = stored.select(_cell_key(stored).alias("_cell")).get_column("_cell")
    clean = clean.with_columns(cell.is_in(stored_cells.implode()).alias("stored"))
    replaced = int(clean["stored"].sum())
    # Columns picked before rows: the filter copies only these.
    fresh = (
        clean.lazy()
        .select(
            "_sid",
            cell.alias("_cell"),
            "row",
            pl.col("value_float").alias("value"),
            (
                pl.col("value_float").is_not_null()
                & pl.col("quantitative")
                & (pl.col("status") == ObservationStatus.REPORTED)
            ).alias("_fresh"),
        )
        .filter("_fresh")
        .drop("_fresh")
        .collect()
    )
    # A stored year the file gives again is replaced by the file's value; a series has
    # OUTLIER_MIN_POINTS numbers at least, or no score (fewer never make one).
    kept = stored.filter(
        pl.col("value").is_not_null()
        & ~_cell_key(stored).is_in(fresh.get_column("_cell").implode())
    ).select("_sid", pl.col("value").cast(pl.Float64))
    points = pl.concat([kept, fresh.select("_sid", "value")]).sort("_sid", "value")
    del kept
    spread = _spread(points)
    del points
    scored = (
        fresh.join(spread, on="_sid")
        .with_columns(
            (_IGLEWICZ_HOAGLIN * (pl.col("value") - pl.col("centre")) / pl.col("mad")).alias("z")
        )
        .filter(pl.col("z").abs() > OUTLIER_THRESHOLD)
        .sort("row")
    )
    flagged = scored["row"]
    clean = clean.with_columns(pl.col("row").is_in(flagged.implode()).alias("is_outlier"))
    found = (
        clean.lazy()
        .select("row", "municipality_id", "code", "year", "value", "is_outlier")
        .filter("is_outlier")
        .drop("is_outlier")
        .collect()
    )
    z_of = dict(scored.select("row", "z").iter_rows())
    warnings = [
        OutlierWarning(
            row,
            municipality_id,
            code,
            year,
            Decimal(value).quantize(_SIX_PLACES),
            round(z_of[row], 2),
        )
        for row, municipality_id, code, year, value in found.iter_rows()
    ]
    warnings.sort(key=lambda warning: (warning.row or 0, warning.code))
    return clean, HistoryCheck(warnings=warnings, replaced=replaced)
