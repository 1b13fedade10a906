"""Progress against a baseline year and against the national target.

Indicators are compared on their *denominated* values (raw units such as "deaths per
1,000 live births", the units targets are set in); cross-sectional stages (treated,
normalised) are relative to each year's distribution and so not comparable over time.
Aggregates are compared on their scores with direction +1; their ``target`` (framework
column) is in score units.  Score changes are only absolute when normalisation is
fixed over time (goalposts); with per-year min-max they track relative position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .arrays import FloatArray, IntArray
from .compute import Result
from .errors import Problem, raise_if

__all__ = [
    "CHANGE_STATES",
    "MISSING_SIDES",
    "TARGET_STATES",
    "Assessment",
    "Progress",
    "ProgressRow",
    "Tolerance",
    "assess",
    "progress",
]

CHANGE_STATES = ("improved", "no_change", "worse", "no_data")
TARGET_STATES = ("met", "not_met", "no_target", "no_data")
MISSING_SIDES = ("", "baseline", "current", "both")


@dataclass(frozen=True)
class Tolerance:
    """Band within which a difference counts as "no change" / "at target":
    ``max(absolute, relative * |reference|)`` (reference = baseline for change, target
    for target checks)."""

    absolute: float = 0.0
    relative: float = 0.0

    def band(self, reference: FloatArray) -> FloatArray:
        out: FloatArray = np.maximum(self.absolute, self.relative * np.abs(reference))
        return out


@dataclass(frozen=True)
class Assessment:
    """Codes from :func:`assess`, all broadcast to a common shape.

    ``change``/``target_state``/``missing`` index :data:`CHANGE_STATES`,
    :data:`TARGET_STATES`, :data:`MISSING_SIDES`; ``gap_closed`` is NaN for "None".
    """

    change: IntArray
    target_state: IntArray
    gap_closed: FloatArray
    missing: IntArray


def assess(
    baseline: FloatArray,
    current: FloatArray,
    target: FloatArray,
    direction: FloatArray,
    tolerance: Tolerance,
) -> Assessment:
    """Pure, vectorised progress states (inputs broadcast together; NaN = missing).

    * change: ``delta = direction * (current - baseline)``; ``|delta| <= band(baseline)``
      -> no_change, ``delta > band`` -> improved, else worse; no_data if a side is missing.
    * target: no_target if the target is missing, no_data if current is missing,
      met if ``direction * (current - target) >= -band(target)``, else not_met.
    * gap_closed: ``(current - baseline) / (target - baseline)``; NaN (None) when the
      target or a value is missing or the baseline is already at/beyond the target
      (``direction * (target - baseline) <= band(target)``).
    """
    b = np.asarray(baseline, dtype=np.float64)
    c = np.asarray(current, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    d = np.asarray(direction, dtype=np.float64)
    shape = np.broadcast_shapes(b.shape, c.shape, t.shape, d.shape)
    # Bands are computed on the inputs before broadcasting (targets are per code).
    band_b = tolerance.band(b)
    band_t = tolerance.band(t)
    # Codes from boolean flags with small-integer arithmetic: np.where with scalar
    # branches and masked assignments are several times slower on arrays this size.
    # Later rules win, as the order of the rules above says.
    miss_b = np.isnan(b)
    miss_c = np.isnan(c)
    missing = _full(np.add(miss_b, 2 * miss_c, dtype=np.int64), shape)
    gone = miss_b | miss_c
    with np.errstate(invalid="ignore", divide="ignore"):
        # Two scratch arrays reused in place instead of a fresh array per operation.
        diff = np.subtract(c, b, out=np.empty(shape))
        scratch = np.subtract(t, b, out=np.empty(shape))
        gap = np.divide(diff, scratch, out=np.empty(shape))  # (c - b) / (t - b)
        no_gap = gone | ~(np.multiply(scratch, d, out=scratch) > band_t)
        # x * 1.0 keeps x to the bit (and -0.0); x * NaN is NaN.
        gap *= _ONE_OR_NAN.take(no_gap.view(np.uint8))
        delta = np.multiply(diff, d, out=diff)  # (c - b) * d
        improved = delta > band_b
        worse = delta < -band_b
        change = _codes(shape, 1, (improved, 0), (worse, 2), (gone, 3))
        np.subtract(c, t, out=scratch)
        met = np.multiply(scratch, d, out=scratch) >= -band_t  # (c - t) * d
        target_state = _codes(shape, 1, (met, 0), (miss_c, 3), (np.isnan(t), 2))
    return Assessment(_full(change, shape), _full(target_state, shape), _full(gap, shape), missing)


_ONE_OR_NAN = np.array([1.0, np.nan])


def _codes(
    shape: tuple[int, ...], default: int, *rules: tuple[npt.NDArray[np.bool_], int]
) -> IntArray:
    """``default`` where no rule's flag is set, else the code of the last rule that is.

    ``code += flag * (value - code)`` in uint8 (wrapping is harmless: the result is
    ``value`` or ``code`` exactly)."""
    out = np.full(shape, default, dtype=np.uint8)
    for flag, value in rules:
        out += flag * np.subtract(value, out, dtype=np.uint8)
    return out.astype(np.int64)


def _full(a: npt.NDArray[Any], shape: tuple[int, ...]) -> npt.NDArray[Any]:
    """``a`` as a writable array of ``shape``."""
    return a if a.shape == shape else np.broadcast_to(a, shape).copy()


@dataclass(frozen=True)
class ProgressRow:
    unit: str
    code: str
    kind: str  # "indicator" or "aggregate"
    baseline_year: int
    current_year: int | None
    baseline: float | None
    current: float | None
    target: float | None
    change: str
    target_state: str
    gap_closed: float | None
    missing: str | None  # "baseline", "current", "both" or None


@dataclass(frozen=True)
class Progress:
    """Progress for every unit (rows) and code (columns: indicators then aggregates)."""

    units: tuple[str, ...]
    codes: tuple[str, ...]
    n_indicators: int
    baseline_year: int
    current_year: IntArray  # (units, codes); 0 where no current value exists
    baseline: FloatArray
    current: FloatArray
    target: FloatArray  # (codes,)
    assessment: Assessment

    def rows(self) -> Iterator[ProgressRow]:
        for u in range(len(self.units)):
            for k in range(len(self.codes)):
                yield self._row(u, k)

    def row(self, unit: str, code: str) -> ProgressRow:
        return self._row(self.units.index(unit), self.codes.index(code))

    def _row(self, u: int, k: int) -> ProgressRow:
        a = self.assessment
        return ProgressRow(
            unit=self.units[u],
            code=self.codes[k],
            kind="indicator" if k < self.n_indicators else "aggregate",
            baseline_year=self.baseline_year,
            current_year=int(self.current_year[u, k]) or None,
            baseline=_opt(self.baseline[u, k]),
            current=_opt(self.current[u, k]),
            target=_opt(self.target[k]),
            change=CHANGE_STATES[int(a.change[u, k])],
            target_state=TARGET_STATES[int(a.target_state[u, k])],
            gap_closed=_opt(a.gap_closed[u, k]),
            missing=MISSING_SIDES[int(a.missing[u, k])] or None,
        )


def _opt(v: float) -> float | None:
    f = float(v)
    return None if np.isnan(f) else f


def _select(
    values: FloatArray, b_ix: int, current_year: int | str, years: tuple[int, ...]
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Baseline slice, current slice and the year each current value comes from."""
    baseline = values[:, :, b_ix]
    if current_year != "latest":
        c_ix = years.index(int(current_year))
        current = values[:, :, c_ix]
        return baseline, current, np.where(np.isnan(current), 0, years[c_ix]).astype(np.int64)
    n_later = len(years) - b_ix - 1
    if n_later <= 0:
        return baseline, np.full(baseline.shape, np.nan), np.zeros(baseline.shape, np.int64)
    # Latest year first; only the (usually few) gaps look further back.
    current = values[:, :, -1].copy()
    year_used = np.full(current.shape, years[-1], dtype=np.int64)
    gaps = np.nonzero(np.isnan(current))
    if gaps[0].size:
        back = values[gaps[0], gaps[1], b_ix + 1 :]  # (gaps, later years)
        has = ~np.isnan(back)
        last = n_later - 1 - np.argmax(has[:, ::-1], axis=1)
        found = has.any(axis=1)
        current[gaps] = np.where(found, back[np.arange(last.size), last], np.nan)
        later_years = np.asarray(years[b_ix + 1 :], dtype=np.int64)
        year_used[gaps] = np.where(found, later_years[last], 0)
    return baseline, current, year_used


def progress(
    result: Result,
    baseline_year: int,
    current_year: int | Literal["latest"] = "latest",
    tolerance: Tolerance | float = 0.0,
) -> Progress:
    """Compare ``current_year`` (or, per unit and code, the latest year after the
    baseline that has a value) with ``baseline_year`` and with the targets.

    A float ``tolerance`` is an absolute band.
    """
    tol = tolerance if isinstance(tolerance, Tolerance) else Tolerance(absolute=float(tolerance))
    years = result.years
    problems = []
    if baseline_year not in years:
        problems.append(Problem("progress", None, "baseline_year", f"no data for {baseline_year}"))
    if current_year != "latest" and current_year not in years:
        problems.append(Problem("progress", None, "current_year", f"no data for {current_year}"))
    if tol.absolute < 0 or tol.relative < 0:
        problems.append(Problem("progress", None, "tolerance", "tolerance must be >= 0"))
    raise_if(problems)
    fw = result.framework
    b_ix = years.index(baseline_year)
    parts = [_select(v, b_ix, current_year, years) for v in (result.denominated, result.scores)]
    baseline = np.concatenate([p[0] for p in parts], axis=1)
    current = np.concatenate([p[1] for p in parts], axis=1)
    year_used = np.concatenate([p[2] for p in parts], axis=1)
    codes = fw.codes
    target = np.array(
        [np.nan if fw.by_code[c].target is None else fw.by_code[c].target for c in codes]
    )
    direction = np.array(
        [fw.by_code[c].direction for c in fw.indicators] + [1] * len(fw.aggregates),
        dtype=np.float64,
    )
    a = assess(baseline, current, target[None, :], direction[None, :], tol)
    return Progress(
        units=result.units,
        codes=codes,
        n_indicators=len(fw.indicators),
        baseline_year=baseline_year,
        current_year=year_used.astype(np.int64),
        baseline=baseline,
        current=current,
        target=target,
        assessment=a,
    )
