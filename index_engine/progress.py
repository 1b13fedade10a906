"""Progress against a baseline year and against the national target.

Indicators are compared on their *denominated* values (raw units such as "deaths per
1,000 live births", the units targets are set in); cross-sectional stages (treated,
normalised) are relative to each year's distribution and so not comparable over time.
Aggregates are compared on their scores with direction +1; their ``target`` (framework
column) is in score units.  Score changes are only absolute when normalisation is
fixed over time (goalposts); with per-year min-max they track relative position.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .arrays import FloatArray, IntArray, in_parts
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
    out = Assessment(
        np.empty(shape, dtype=np.int64),
        np.empty(shape, dtype=np.int64),
        np.empty(shape),
        np.empty(shape, dtype=np.int64),
    )
    if not shape or shape[0] == 0:
        _assess_block(b, c, t, d, tolerance, out)
        return out
    # Rows are independent: a block of rows at a time keeps the dozen temporaries in
    # cache (full-size ones would each be a pass over memory), one range per thread.
    n = shape[0]
    step = max(1, _BLOCK_ITEMS // max(1, math.prod(shape[1:])))

    def rows(a: npt.NDArray[Any], part: slice) -> npt.NDArray[Any]:
        # Inputs that span axis 0 are cut; size-1 or lower-rank ones broadcast as is.
        return a[part] if a.ndim == len(shape) and a.shape[0] == n else a

    def run(part: slice) -> None:
        for start in range(part.start, part.stop, step):
            block = slice(start, min(start + step, part.stop))
            where = Assessment(
                out.change[block],
                out.target_state[block],
                out.gap_closed[block],
                out.missing[block],
            )
            _assess_block(
                rows(b, block), rows(c, block), rows(t, block), rows(d, block), tolerance, where
            )

    in_parts(run, n, step)
    return out


#: Elements per block in :func:`assess` (its temporaries stay in a core's cache).
_BLOCK_ITEMS = 1 << 14


def _assess_block(
    b: FloatArray,
    c: FloatArray,
    t: FloatArray,
    d: FloatArray,
    tolerance: Tolerance,
    out: Assessment,
) -> None:
    """:func:`assess` of broadcastable inputs into ``out``'s arrays (their shape)."""
    shape = out.change.shape
    # Bands are computed on the inputs before broadcasting (targets are per code).
    band_b = tolerance.band(b)
    band_t = tolerance.band(t)
    # Codes from boolean flags with small-integer arithmetic: np.where with scalar
    # branches and masked assignments are several times slower on arrays this size.
    # Later rules win, as the order of the rules in assess's docstring says.
    miss_b = np.isnan(b)
    miss_c = np.isnan(c)
    np.add(miss_b, 2 * miss_c, out=out.missing, dtype=np.int64)
    gone = miss_b | miss_c
    with np.errstate(invalid="ignore", divide="ignore"):
        # Two scratch arrays reused in place instead of a fresh array per operation.
        diff = np.subtract(c, b, out=np.empty(shape))
        scratch = np.subtract(t, b, out=np.empty(shape))
        gap = np.divide(diff, scratch, out=out.gap_closed)  # (c - b) / (t - b)
        no_gap = gone | ~(np.multiply(scratch, d, out=scratch) > band_t)
        # x * 1.0 keeps x to the bit (and -0.0); x * NaN is NaN.
        gap *= _ONE_OR_NAN.take(no_gap.view(np.uint8))
        delta = np.multiply(diff, d, out=diff)  # (c - b) * d
        improved = delta > band_b
        worse = delta < -band_b
        _codes(out.change, 1, (improved, 0), (worse, 2), (gone, 3))
        np.subtract(c, t, out=scratch)
        met = np.multiply(scratch, d, out=scratch) >= -band_t  # (c - t) * d
        _codes(out.target_state, 1, (met, 0), (miss_c, 3), (np.isnan(t), 2))


_ONE_OR_NAN = np.array([1.0, np.nan])


def _codes(out: IntArray, default: int, *rules: tuple[npt.NDArray[np.bool_], int]) -> None:
    """``out`` = ``default`` where no rule's flag is set, else the code of the last rule
    that is.

    ``code += flag * (value - code)`` in uint8 (wrapping is harmless: the result is
    ``value`` or ``code`` exactly)."""
    codes = np.full(out.shape, default, dtype=np.uint8)
    for flag, value in rules:
        codes += flag * np.subtract(value, codes, dtype=np.uint8)
    np.copyto(out, codes)


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
    values: FloatArray,
    b_ix: int,
    current_year: int | str,
    years: tuple[int, ...],
    baseline: FloatArray,
    current: FloatArray,
    year_used: IntArray,
) -> None:
    """Fill ``baseline``, ``current`` (units, codes of ``values``) and the year each
    current value comes from (0 where there is none)."""
    latest = current_year == "latest"
    c_ix = len(years) - 1 if latest else years.index(int(current_year))
    n_later = len(years) - b_ix - 1
    later_years = np.asarray(years[b_ix + 1 :], dtype=np.int64)
    # Block by block: a year's slice is strided (it touches every cache line of
    # ``values``), so the second year and the look-back for gaps read from cache.
    step = max(1, _BLOCK_BYTES // max(1, values[:1].nbytes))

    def fill(part: slice) -> None:  # rows are independent: one range per thread
        for start in range(part.start, part.stop, step):
            rows = slice(start, min(start + step, part.stop))
            block, cur, used = values[rows], current[rows], year_used[rows]
            baseline[rows] = block[:, :, b_ix]
            if not latest:
                cur[...] = block[:, :, c_ix]
                np.copyto(used, np.where(np.isnan(cur), 0, years[c_ix]))
            elif n_later <= 0:  # the baseline is the last year: nothing after it
                cur.fill(np.nan)
                used.fill(0)
            else:  # latest year first; only the (usually few) gaps look further back
                cur[...] = block[:, :, c_ix]
                used.fill(years[-1])
                gaps = np.nonzero(np.isnan(cur))
                if gaps[0].size:
                    back = block[gaps[0], gaps[1], b_ix + 1 :]  # (gaps, later years)
                    has = ~np.isnan(back)
                    last = n_later - 1 - np.argmax(has[:, ::-1], axis=1)
                    found = has.any(axis=1)
                    cur[gaps] = np.where(found, back[np.arange(last.size), last], np.nan)
                    used[gaps] = np.where(found, later_years[last], 0)

    in_parts(fill, values.shape[0], step)


#: Bytes per block of rows in :func:`_select`.
_BLOCK_BYTES = 1 << 20


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
    n_u, n_i = len(result.units), len(fw.indicators)
    shape = (n_u, n_i + len(fw.aggregates))
    baseline, current = np.empty(shape), np.empty(shape)
    year_used = np.empty(shape, dtype=np.int64)
    # Indicators then aggregates, written in place (no concatenated copies).
    for values, cols in ((result.denominated, slice(0, n_i)), (result.scores, slice(n_i, None))):
        _select(
            values,
            b_ix,
            current_year,
            years,
            baseline[:, cols],
            current[:, cols],
            year_used[:, cols],
        )
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
        current_year=year_used,
        baseline=baseline,
        current=current,
        target=target,
        assessment=a,
    )
