"""Outlier treatment, matching COINr's default ``Treat()``.

COINr (``R/treat.R``) per indicator column:

1. ``check_SkewKurt``: pass if ``|skew| < 2`` OR ``kurt < 3.5`` (e1071 type-2 moments).
2. If failing, ``winsorise``: repeat while failing and ``nwin < winmax``: if skew >= 0
   every point equal to the maximum is set to the largest *other* value, else every
   point equal to the minimum is set to the smallest other value.  ``nwin`` is the size
   of the last high tie group plus the last low tie group (ties move together, so this
   counts every changed point when the same tail is treated repeatedly).
3. If still failing, ``log_CT`` is applied to the *original* column
   (``combine_treat = FALSE``): ``log(x - min + 0.01 * (max - min))``.

Columns are (indicator, year) pairs over units.  All columns are screened at once.  The
winsorisation loop then runs on the failing columns only, on their *sorted* values:
each step only moves a tie group at one end, so the step is "move a cut index" and the
moments are updated from the few changed points instead of re-scanning the column.
The result is ``clip(x, low_cut, high_cut)``, identical to COINr's point replacement.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .arrays import BoolArray, FloatArray, IntArray, in_parts
from .pipeline import TreatSpec

__all__ = ["TREATMENTS", "log_ct", "skew_kurt", "treat", "winsorise"]

#: Labels for the per-(indicator, year) treatment codes returned by :func:`treat`.
TREATMENTS = ("none", "winsorised", "log_ct", "skipped_undefined")


#: Rows per block in :func:`_central_sums`: a few blocks of (rows, columns) float64 stay
#: in a core's L2 cache while each is read several times.
_BLOCK_BYTES = 1 << 20


def _central_sums(
    x: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """n, mean and sums of centred 2nd/3rd/4th powers over axis 0, ignoring NaN.

    Two passes over ``x`` in blocks of rows that stay in cache, instead of a dozen
    passes over full-size temporaries.  The sums are bit-identical to plain reductions
    over axis 0 (``sum = ((0 + r0) + r1) + ...`` per column): each block is reduced
    together with the running sum as its first row, which keeps the same order.
    """
    shape = x.shape[1:]
    x2 = np.ascontiguousarray(x).reshape(x.shape[0], -1)
    sums = np.zeros((5, x2.shape[1]))  # n, mean, s2, s3, s4 per column
    # Columns are independent: worker threads take a range of columns each.
    in_parts(lambda cols: _column_sums(x2[:, cols], sums[:, cols]), x2.shape[1], 64)
    n, mean, s2, s3, s4 = (a.reshape(shape) for a in sums)
    return n, mean, s2, s3, s4


def _column_sums(x2: FloatArray, out: FloatArray) -> None:
    """:func:`_central_sums` of the (rows, columns) ``x2`` into ``out`` (5, columns)."""
    n_rows, n_cols = x2.shape
    # At most 65535 rows so that a block's missing counts fit uint16 (below).
    step = min(max(1, _BLOCK_BYTES // (8 * max(n_cols, 1))), 0xFFFF)
    # buf[0] carries a running sum; buf[1:] holds one block's terms.
    buf = np.empty((step + 1, n_cols))
    sq = np.empty((step + 1, n_cols))
    total = np.zeros(n_cols)
    count = np.zeros(n_cols, dtype=np.int64)
    for start in range(0, n_rows, step):
        block = x2[start : start + step]
        k = block.shape[0]
        miss = np.isnan(block)
        # Missing values per column: uint16 sums of the flags (3x faster than
        # count_nonzero along axis 0).
        count += k - np.add.reduce(miss.view(np.uint8), axis=0, dtype=np.uint16)
        terms = buf[: k + 1]
        terms[0] = total
        np.copyto(terms[1:], block)
        np.copyto(terms[1:], 0.0, where=miss)
        np.add.reduce(terms, axis=0, out=total)
    n = count.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
    s2 = np.zeros(n_cols)
    s3 = np.zeros(n_cols)
    s4 = np.zeros(n_cols)
    for start in range(0, n_rows, step):
        block = x2[start : start + step]
        k = block.shape[0]
        d = buf[1 : k + 1]
        np.subtract(block, mean, out=d)
        np.copyto(d, 0.0, where=np.isnan(block))
        d2 = sq[: k + 1]
        np.multiply(d, d, out=d2[1:])  # d^2
        d2[0] = s2
        np.add.reduce(d2, axis=0, out=s2)
        np.multiply(d2[1:], d, out=d)  # d^3 = (d * d) * d
        buf[0] = s3
        np.add.reduce(buf[: k + 1], axis=0, out=s3)
        np.multiply(d2[1:], d2[1:], out=d2[1:])  # d^4 = (d * d) * (d * d)
        d2[0] = s4
        np.add.reduce(d2, axis=0, out=s4)
    out[0], out[1], out[2], out[3], out[4] = n, mean, s2, s3, s4


def _moments(
    n: FloatArray, s2: FloatArray, s3: FloatArray, s4: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """COINr ``skew``/``kurt`` from centred sums (same operation order as the R code)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        skew = np.sqrt(n) * s3 / (s2**1.5)
        skew = skew * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * s4 / (s2**2)
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    undefined = (n < 4) | (s2 <= 0)  # R errors (n < 4) or returns NaN (constant column)
    skew = np.where(undefined, np.nan, skew)
    kurt = np.where(undefined, np.nan, kurt)
    return skew, kurt


def skew_kurt(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """COINr ``skew``/``kurt`` (e1071 type 2, as Excel) over axis 0, ignoring NaN.

    ``skew = sqrt(n) * S3 / S2^1.5 * sqrt(n(n-1)) / (n-2)``;
    ``kurt = ((n+1)(n*S4/S2^2 - 3) + 6)(n-1) / ((n-2)(n-3))`` with ``Sk`` the sums of
    centred powers.  Columns with fewer than 4 values or zero variance give NaN (COINr
    stops with an error there; we leave such columns untreated).
    """
    n, _, s2, s3, s4 = _central_sums(x)
    return _moments(n, s2, s3, s4)


def _failing(skew: FloatArray, kurt: FloatArray, spec: TreatSpec) -> BoolArray:
    # COINr passes when |skew| < thresh OR kurt < thresh.  NaN moments -> R gives NA,
    # and Treat() returns the column untreated, so NaN never counts as failing here.
    fail: BoolArray = (
        np.isfinite(skew)
        & np.isfinite(kurt)
        & (np.abs(skew) >= spec.skew_thresh)
        & (kurt >= spec.kurt_thresh)
    )
    return fail


_Sums = tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]


def winsorise(
    cols: FloatArray, spec: TreatSpec, sums: _Sums | None = None
) -> tuple[FloatArray, IntArray, BoolArray, BoolArray]:
    """COINr ``winsorise`` on each column of ``cols`` (units x k).

    ``sums`` may pass the columns' ``_central_sums`` when the caller has them already.
    Returns ``(winsorised, nwin, still_failing, undefined)``; ``undefined`` flags columns
    that became constant (COINr would error; callers keep them untreated).
    """
    low_cut, high_cut, nwin, failing, undefined = _winsor_cuts(cols, spec, sums)
    out = np.maximum(cols, low_cut)  # NaN stays NaN
    np.minimum(out, high_cut, out=out)
    return out, nwin, failing, undefined


def _winsor_cuts(
    cols: FloatArray, spec: TreatSpec, sums: _Sums | None = None
) -> tuple[FloatArray, FloatArray, IntArray, BoolArray, BoolArray]:
    """:func:`winsorise` without applying it: ``(low_cut, high_cut, nwin,
    still_failing, undefined)``; the winsorised column is ``clip(x, low_cut, high_cut)``."""
    n_units, k = cols.shape
    n, mean, t2, t3, t4 = _central_sums(cols) if sums is None else (a.copy() for a in sums)
    n_valid = n.astype(np.int64)
    # Pivot p = initial mean; T_j = sum((x - p)^j) updated as tie groups move.
    t1 = np.zeros(k)
    # (k, units), NaN last; sorting contiguous rows is faster than sorting cols.T.
    srt = np.empty((k, n_units))

    def sort(part: slice) -> None:  # columns are independent: one range per thread
        srt[part] = cols[:, part].T
        srt[part].sort(axis=1)

    in_parts(sort, k, 8)
    hi = np.maximum(n_valid - 1, 0)  # current values are clip(srt, srt[lo], srt[hi])
    lo = np.zeros(k, dtype=np.int64)
    n_hi = np.zeros(k, dtype=np.int64)
    n_lo = np.zeros(k, dtype=np.int64)
    skew, kurt = _moments(n, t2, t3, t4)
    failing = _failing(skew, kurt, spec)
    active = failing & (spec.winmax > 0)
    undefined = np.zeros(k, dtype=bool)
    while active.any():
        cols_hi = np.flatnonzero(active & (skew >= 0))
        cols_lo = np.flatnonzero(active & (skew < 0))
        for c, is_high in ((cols_hi, True), (cols_lo, False)):
            if c.size == 0:
                continue
            if is_high:
                old = srt[c, hi[c]]
                # first sorted index of the top tie group (values == current maximum)
                g = _tie_edge(srt, n_valid, c, hi[c], -1)
                new = srt[c, np.maximum(g - 1, 0)]
                count = n_valid[c] - g
                hi[c] = g - 1
                n_hi[c] = count
            else:
                old = srt[c, lo[c]]
                # last sorted index of the bottom tie group (values == current minimum)
                g = _tie_edge(srt, n_valid, c, lo[c], 1)
                new = srt[c, np.minimum(g + 1, n_units - 1)]
                count = g + 1
                lo[c] = g + 1
                n_lo[c] = count
            a, b = old - mean[c], new - mean[c]
            t1[c] += count * (b - a)
            t2[c] += count * (b**2 - a**2)
            t3[c] += count * (b**3 - a**3)
            t4[c] += count * (b**4 - a**4)
        touched = np.concatenate([cols_hi, cols_lo])
        constant = hi[touched] <= lo[touched]
        undefined[touched[constant]] = True
        nn = n[touched]
        delta = t1[touched] / nn
        a2, a3, a4 = t2[touched], t3[touched], t4[touched]
        s2 = a2 - nn * delta**2
        s3 = a3 - 3 * delta * a2 + 2 * nn * delta**3
        s4 = a4 - 4 * delta * a3 + 6 * delta**2 * a2 - 3 * nn * delta**4
        skew[touched], kurt[touched] = _moments(nn, s2, s3, s4)
        fails = _failing(skew[touched], kurt[touched], spec)
        failing[touched] = fails
        below = (n_hi[touched] + n_lo[touched]) < spec.winmax
        active[touched] = fails & below & ~constant
    rows = np.arange(k)
    failing &= ~undefined
    return srt[rows, lo], srt[rows, hi], n_hi + n_lo, failing, undefined


def _tie_edge(
    srt: FloatArray, n_valid: IntArray, cols: IntArray, at: IntArray, step: int
) -> IntArray:
    """For each column ``j`` of ``cols``, the last index reached from ``at`` moving by
    ``step`` (-1 or +1) over values equal to ``srt[j, at]`` within the sorted valid
    values: the first (step -1) or last (step +1) index of that tie group.

    Ties are short in practice, so a few vectorised steps settle almost every column;
    the rest use a binary search."""
    values = srt[cols, at]
    g = at.copy()
    limit = n_valid[cols] - 1
    todo = np.arange(cols.size)
    for _ in range(8):
        nxt = g[todo] + step
        inside = (nxt >= 0) & (nxt <= limit[todo])
        more = np.zeros(todo.size, dtype=bool)
        more[inside] = srt[cols[todo[inside]], nxt[inside]] == values[todo[inside]]
        todo = todo[more]
        if todo.size == 0:
            return g
        g[todo] += step
    side = "left" if step < 0 else "right"
    for t in todo.tolist():  # long tie groups: binary search
        j = int(cols[t])
        found = int(np.searchsorted(srt[j, : n_valid[j]], values[t], side=side))  # type: ignore[call-overload]
        g[t] = found if step < 0 else found - 1
    return g


def log_ct(cols: FloatArray) -> FloatArray:
    """COINr ``log_CT``: ``log(x - min(x) + 0.01 * (max(x) - min(x)))`` per column."""
    lo = np.fmin.reduce(cols, axis=0)
    hi = np.fmax.reduce(cols, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.log(cols - lo + 0.01 * (hi - lo))
    return out


def treat(x: FloatArray, spec: TreatSpec) -> tuple[FloatArray, IntArray, IntArray]:
    """Treat ``x`` (units, indicators, years) column by column.

    Returns ``(treated, treatment, nwin)`` where ``treatment[i, y]`` indexes
    :data:`TREATMENTS` and ``nwin[i, y]`` counts winsorised points in the output.  When
    nothing fails, ``treated`` is ``x`` itself (no copy).
    """
    shape = x.shape[1:]
    treatment = np.zeros(shape, dtype=np.int64)
    nwin = np.zeros(shape, dtype=np.int64)
    if not spec.enabled:
        return x, treatment, nwin
    sums = _central_sums(x)
    n, _, s2, s3, s4 = sums
    skew, kurt = _moments(n, s2, s3, s4)
    fail = _failing(skew, kurt, spec)
    if not fail.any():
        return x, treatment, nwin
    ii, yy = np.nonzero(fail)
    cols = ii * x.shape[2] + yy  # column index in the (units, indicators * years) view
    flat_x = x.reshape(x.shape[0], -1)
    original = np.empty((x.shape[0], cols.size))

    def gather(part: slice) -> None:  # rows are independent: one range per thread
        np.take(flat_x[part], cols, axis=1, out=original[part])

    in_parts(gather, x.shape[0], 1024)
    picked = tuple(a[ii, yy] for a in sums)  # the screening sums of those columns
    low_cut, high_cut, counts, still, undefined = _winsor_cuts(original, spec, picked)  # type: ignore[arg-type]
    codes = np.ones(len(ii), dtype=np.int64)
    if spec.log_fallback and still.any():
        codes[still] = 2
    codes[undefined] = 3
    # Per outcome group: its columns and their transform x -> f(x), with per-column
    # parameters.  log_CT works on the ORIGINAL column (COINr combine_treat = FALSE).
    groups: list[tuple[IntArray, Callable[[FloatArray], None]]] = []
    win = np.flatnonzero(codes == 1)
    if win.size:
        lc, hc = low_cut[win], high_cut[win]

        def clip(v: FloatArray) -> None:
            np.maximum(v, lc, out=v)  # NaN stays NaN
            np.minimum(v, hc, out=v)

        groups.append((cols[win], clip))
    logged = np.flatnonzero(codes == 2)
    if logged.size:
        sub = original if logged.size == len(codes) else original[:, logged]
        lo = np.fmin.reduce(sub, axis=0)
        shift = 0.01 * (np.fmax.reduce(sub, axis=0) - lo)

        def log(v: FloatArray) -> None:  # log_ct, the same operations in the same order
            np.subtract(v, lo, out=v)
            np.add(v, shift, out=v)
            np.log(v, out=v)

        groups.append((cols[logged], log))
    out = np.empty_like(x)
    flat_out = out.reshape(x.shape[0], -1)
    # Copy and overwrite the treated columns block by block: each block is written
    # while in cache, instead of a full copy followed by a scattered column write.
    step = max(1, _BLOCK_BYTES // (8 * max(flat_x.shape[1], 1)))

    def write(part: slice) -> None:  # rows are independent: worker threads take a range each
        with np.errstate(divide="ignore", invalid="ignore"):
            for start in range(part.start, part.stop, step):
                rows = slice(start, min(start + step, part.stop))
                block = flat_out[rows]
                np.copyto(block, flat_x[rows])
                for where, transform in groups:
                    v = np.take(block, where, axis=1)
                    transform(v)
                    block[:, where] = v

    in_parts(write, x.shape[0], step)
    treatment[ii, yy] = codes
    nwin[ii, yy] = np.where(codes == 1, counts, 0)
    return out, treatment, nwin
