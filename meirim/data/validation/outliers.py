"""Year-on-year outliers: modified z-scores of each series, new rows against stored years."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Final

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


def check_history_frame(
    clean: pl.DataFrame, stored: pl.DataFrame
) -> tuple[pl.DataFrame, HistoryCheck]:
    """:func:`check_history` over frames: the clean rows (``is_outlier`` set, ``stored`` added).

    ``clean`` has the columns of :data:`meirim.data.validation.columnar.CLEAN_COLUMNS`;
    ``stored`` the series key, ``year`` and ``value`` (a float for a reported number, else
    null). The same rules, the same medians (the mean of the two middle values), the same
    warnings in the same order.
    """
    series = list(_SERIES)
    cell = [*series, "year"]
    # The mark alone is joined: the clean rows are not copied.
    marked = pl.repeat(False, clean.height, dtype=pl.Boolean, eager=True).alias("stored")
    if stored.height:
        hits = (
            clean.select(cell)
            .with_row_index("_index")
            .join(stored.select(cell), on=cell, how="semi")
            .get_column("_index")
        )
        marked = marked.scatter(hits, True)
        del hits
    clean = clean.with_columns(marked)
    del marked
    replaced = int(clean["stored"].sum())
    fresh = clean.filter(
        pl.col("value_float").is_not_null()
        & pl.col("quantitative")
        & (pl.col("status") == ObservationStatus.REPORTED)
    ).select(*cell, "row", pl.col("value_float").alias("value"))
    counts = (
        fresh.group_by(series)
        .len("new")
        .join(stored.group_by(series).len("old"), on=series, how="left")
        .filter(pl.col("new") + pl.col("old").fill_null(0) >= OUTLIER_MIN_POINTS)
        .select(series)
    )
    fresh = fresh.join(counts, on=series, how="semi")
    kept = (
        stored.filter(pl.col("value").is_not_null())
        .join(fresh.select(cell), on=cell, how="anti")
        .join(counts, on=series, how="semi")
    )
    points = pl.concat(
        [kept.select(*series, pl.col("value").cast(pl.Float64)), fresh.select(*series, "value")]
    )

    def middle(column: str) -> pl.Expr:
        ordered = pl.col(column).sort()
        return (ordered.get((pl.len() - 1) // 2) + ordered.get(pl.len() // 2)) / 2

    centres = (
        points.group_by(series)
        .agg(middle("value").alias("centre"), pl.len().alias("points"))
        .filter(pl.col("points") >= OUTLIER_MIN_POINTS)
    )
    spread = (
        points.join(centres, on=series)
        .with_columns((pl.col("value") - pl.col("centre")).abs().alias("deviation"))
        .group_by(series)
        .agg(middle("deviation").alias("mad"), pl.col("centre").first())
        .filter(pl.col("mad") != 0)
    )
    scored = (
        fresh.join(spread, on=series)
        .with_columns(
            (_IGLEWICZ_HOAGLIN * (pl.col("value") - pl.col("centre")) / pl.col("mad")).alias("z")
        )
        .filter(pl.col("z").abs() > OUTLIER_THRESHOLD)
        .sort("row")
    )
    flagged = scored["row"]
    clean = clean.with_columns(pl.col("row").is_in(flagged.implode()).alias("is_outlier"))
    values = clean.filter(pl.col("is_outlier")).select("row", "value")
    value_of = dict(values.iter_rows())
    warnings = [
        OutlierWarning(
            row,
            municipality_id,
            code,
            year,
            Decimal(value_of[row]).quantize(_SIX_PLACES),
            round(z, 2),
        )
        for municipality_id, code, year, row, z in scored.select(
            "municipality_id", "code", "year", "row", "z"
        ).iter_rows()
    ]
    warnings.sort(key=lambda warning: (warning.row or 0, warning.code))
    return clean, HistoryCheck(warnings=warnings, replaced=replaced)
