"""Year-on-year outliers: modified z-scores of each series, new rows against stored years."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Final

from meirim.data.models import ObservationStatus
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
