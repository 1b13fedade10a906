"""Normalisation, matching COINr's ``n_*`` functions (``R/normalise.R``).

Every method works per indicator within each year, over units (axis 0 of a
``(units, indicators, years)`` array), ignoring NaN.  Direction follows COINr's
``Normalise.numeric``: the indicator is multiplied by its direction (+1/-1) *before*
the method runs; targets and goalposts are flipped the same way, as COINr's
``get_iMeta_norm_paras`` does.
"""

from __future__ import annotations

import numpy as np

from .arrays import BoolArray, FloatArray, in_parts, rank_min
from .pipeline import NormaliseSpec

__all__ = ["normalise", "normalise_columns"]


def normalise(
    x: FloatArray,
    spec: NormaliseSpec,
    direction: FloatArray,
    target: FloatArray | None = None,
    posts: tuple[FloatArray, FloatArray] | None = None,
) -> FloatArray:
    """Normalise ``x`` (units, indicators, years).

    ``direction``, ``target`` and ``posts`` are per-indicator vectors.  Undefined results
    (zero range, fewer than two values for z-scores, target equal to the minimum) are NaN.
    """
    return normalise_columns(x, spec, direction, target, posts)[0]


def normalise_columns(
    x: FloatArray,
    spec: NormaliseSpec,
    direction: FloatArray,
    target: FloatArray | None = None,
    posts: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, BoolArray]:
    """:func:`normalise`, and which (indicator, year) columns lost all their values
    (had some before, none after: a degenerate distribution)."""
    d = direction.reshape(1, -1, 1)
    method = spec.method
    if method == "minmax":  # hot path: avoids materialising x * direction
        with np.errstate(invalid="ignore", divide="ignore"):
            return _minmax(x, d, spec.lower, spec.upper)
    xd = x if bool(np.all(direction == 1)) else x * d
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "zscore":
            out = _zscore(xd, spec.mean, spec.sd)
        elif method == "dist2target":
            if target is None:
                raise ValueError("dist2target needs targets")
            out = _dist2target(xd, target.reshape(1, -1, 1) * d, spec)
        elif method == "goalposts":
            if posts is None:
                raise ValueError("goalposts needs posts")
            out = _goalposts(x, posts, d, spec)
        elif method == "rank":
            out = rank_min(xd, axis=0, descending=False)
        else:
            raise ValueError(f"unknown normalisation method {method!r}")
        lost = _all_nan(out) & ~_all_nan(x)
    return out, lost


def _all_nan(x: FloatArray) -> BoolArray:
    """Per (indicator, year) column: no value at all (one reduction, no full-size mask)."""
    with np.errstate(invalid="ignore"):
        out: BoolArray = np.isnan(np.fmax.reduce(x, axis=0))
    return out


#: Rows per block when writing the output: a block is finished while in cache.
_BLOCK_BYTES = 1 << 20


def _minmax(
    x: FloatArray, d: FloatArray, lower: float, upper: float
) -> tuple[FloatArray, BoolArray]:
    # n_minmax on x' = d * x: (x' - min x') / (max x' - min x') * (u - l) + l, NaN when
    # max == min as in R.  For d = -1 the numerator is x - max and the range -(max - min),
    # which equals R's (-x - min(-x)) / (max(-x) - min(-x)) without materialising -x.
    lo = np.empty((1, *x.shape[1:]))
    hi = np.empty_like(lo)

    def bounds(part: slice) -> None:  # indicators are independent: one range per thread
        np.fmin.reduce(x[:, part], axis=0, keepdims=True, out=lo[:, part])
        np.fmax.reduce(x[:, part], axis=0, keepdims=True, out=hi[:, part])

    in_parts(bounds, x.shape[1], 8)
    base = np.where(d > 0, lo, hi)
    # one multiply by (u - l) / range instead of divide-then-multiply: <= 2 ulp apart
    scale = (upper - lower) / ((hi - lo) * d)
    out = np.empty_like(x)
    # A column can only lose all its values where its scale is not finite (zero
    # range): the value equal to ``base`` gives 0 * scale.
    check = not bool(np.isfinite(scale).all())
    kept = np.zeros(x.shape[1:], dtype=bool) if check else ~np.isnan(hi[0])
    step = max(1, _BLOCK_BYTES // max(x.itemsize * x.size // max(x.shape[0], 1), 1))
    kept_parts: list[BoolArray] = []

    def write(part: slice) -> None:  # rows are independent: worker threads take a range each
        kept_here = np.zeros(x.shape[1:], dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            for start in range(part.start, part.stop, step):
                rows = slice(start, min(start + step, part.stop))
                block = out[rows]
                np.subtract(x[rows], base, out=block)
                block *= scale
                if lower != 0.0:
                    block += lower
                if check:
                    kept_here |= ~np.isnan(np.fmax.reduce(block, axis=0))
        kept_parts.append(kept_here)

    in_parts(write, x.shape[0], step)
    for k in kept_parts:
        kept |= k
    lost = ~kept & ~np.isnan(hi[0])
    return out, lost


def _zscore(x: FloatArray, mean: float, sd: float) -> FloatArray:
    # n_zscore: (x - mean(x)) / sd(x) * m_sd[2] + m_sd[1], sd with n - 1 as stats::sd
    valid = ~np.isnan(x)
    n = valid.sum(axis=0, keepdims=True).astype(np.float64)
    mu = np.where(valid, x, 0.0).sum(axis=0, keepdims=True) / n
    dev: FloatArray = x - mu
    sq = np.where(valid, dev * dev, 0.0).sum(axis=0, keepdims=True)
    s = np.sqrt(sq / (n - 1))
    s[n < 2] = np.nan
    dev /= s
    dev *= sd
    dev += mean
    return dev


def _dist2target(x: FloatArray, target: FloatArray, spec: NormaliseSpec) -> FloatArray:
    # n_dist2targ (direction already applied): (x - min) / (targ - min), capped at 1
    lo = np.fmin.reduce(x, axis=0, keepdims=True)
    out = x - lo
    out /= target - lo
    out[~np.isfinite(out)] = np.nan  # target == min: R gives Inf/NaN
    if spec.cap:
        np.minimum(out, 1.0, out=out)  # NaN propagates, as y[y > 1] <- 1 skips NA
    if spec.effective_scale != 1.0:
        out *= spec.effective_scale
    return out


def _goalposts(
    x: FloatArray, posts: tuple[FloatArray, FloatArray], d: FloatArray, spec: NormaliseSpec
) -> FloatArray:
    # n_goalposts via iMeta: for direction -1 COINr passes gposts = (-upper, -lower) with
    # x * -1, i.e. (upper - x) / (upper - lower); else (x - lower) / (upper - lower).
    lo = posts[0].reshape(1, -1, 1)
    hi = posts[1].reshape(1, -1, 1)
    span = hi - lo
    out = np.where(d > 0, (x - lo) / span, (hi - x) / span)
    if spec.trunc:
        np.clip(out, 0.0, 1.0, out=out)
    out *= spec.effective_scale
    return out
