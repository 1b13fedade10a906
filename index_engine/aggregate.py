"""Weighted aggregation up the framework tree.

COINr's ``a_amean``, ``a_gmean`` and ``a_hmean`` are all quasi-arithmetic means
``g^-1( sum(w * g(x)) / sum(w) )`` over the *present* children, with ``g`` = identity,
``log`` and ``1/x``.  Two implementations share that view:

* :func:`aggregate_tree` (``compute``): one weight set, data in its
  (units, indicators, years) layout, one ``einsum`` per aggregate;
* :func:`aggregate_rows` (``uncertainty``): many weight sets at once; rows are
  (unit, year) pairs and each tree level is a matrix product with the draws as a batch
  dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import (
    LOW_COVERAGE,
    NO_DATA,
    NON_POSITIVE,
    ZERO_VALUE,
    BoolArray,
    FloatArray,
    IntArray,
    ReasonArray,
    in_parts,
)
from .framework import Framework

__all__ = ["AggregationPlan", "LeafInputs", "aggregate_rows", "aggregate_tree", "prepare_leaves"]

#: Below this many leaf values, aggregate_tree stays on the calling thread.
_PARALLEL_SIZE = 1 << 20

# Tolerance on the coverage comparison so that e.g. 2/3 >= 0.6666666666666666 holds.
_COVERAGE_EPS = 1e-12


@dataclass(frozen=True)
class LevelPlan:
    """Parents whose children are all computed before this level."""

    parents: tuple[int, ...]  # indices into aggregates
    leaf_mask: BoolArray  # (P, I): leaf i is a child of parent p
    agg_mask: BoolArray  # (P, A)


@dataclass(frozen=True)
class AggregationPlan:
    indicators: tuple[str, ...]
    aggregates: tuple[str, ...]
    levels: tuple[LevelPlan, ...]
    weights: FloatArray  # nominal weights, indicators then aggregates
    # Per aggregate (bottom-up order): leaf children as (indices into indicators,
    # positions in the grouped layout, slice of those positions) and aggregate children.
    # In the grouped layout every parent's leaves are contiguous, so sums read views.
    leaf_children: tuple[tuple[IntArray, IntArray, slice], ...]
    agg_children: tuple[IntArray, ...]
    # Permutation putting sibling leaves next to each other; None if already grouped.
    leaf_order: IntArray | None

    @classmethod
    def from_framework(cls, fw: Framework) -> AggregationPlan:
        ind = {c: i for i, c in enumerate(fw.indicators)}
        agg = {c: i for i, c in enumerate(fw.aggregates)}
        level_of: dict[str, int] = dict.fromkeys(fw.indicators, 0)
        for code in fw.aggregates:  # bottom-up order
            level_of[code] = 1 + max(level_of[k] for k in fw.children[code])
        levels = []
        for lev in range(1, max(level_of[c] for c in fw.aggregates) + 1):
            parents = tuple(agg[c] for c in fw.aggregates if level_of[c] == lev)
            leaf_mask = np.zeros((len(parents), len(ind)), dtype=bool)
            agg_mask = np.zeros((len(parents), len(agg)), dtype=bool)
            for row, p in enumerate(parents):
                for child in fw.children[fw.aggregates[p]]:
                    if child in ind:
                        leaf_mask[row, ind[child]] = True
                    else:
                        agg_mask[row, agg[child]] = True
            levels.append(LevelPlan(parents, leaf_mask, agg_mask))
        weights = np.array([fw.by_code[c].weight for c in fw.codes], dtype=np.float64)
        leaf_children = []
        agg_children = []
        order: list[int] = []
        for code in fw.aggregates:
            li = np.array([ind[k] for k in fw.children[code] if k in ind], dtype=np.int64)
            ai = np.array([agg[k] for k in fw.children[code] if k in agg], dtype=np.int64)
            start = len(order)
            order += li.tolist()
            pos = np.arange(start, len(order), dtype=np.int64)
            leaf_children.append((li, pos, slice(start, len(order))))
            agg_children.append(ai)
        perm = np.array(order, dtype=np.int64)
        # When leaves are already listed parent by parent, positions == indices.
        identity = bool(np.array_equal(perm, np.arange(perm.size)))
        return cls(
            fw.indicators,
            fw.aggregates,
            tuple(levels),
            weights,
            tuple(leaf_children),
            tuple(agg_children),
            None if identity else perm,
        )


@dataclass(frozen=True)
class LeafInputs:
    """Leaf values prepared for one method: ``g(x)`` (0 where unusable), present flags
    and invalid flags (x <= 0 for gmean, x == 0 for hmean), each (rows, indicators)."""

    g: FloatArray
    present: FloatArray
    invalid: FloatArray | None

    @property
    def complete(self) -> bool:
        return bool(self.present.all())


def _transform(x: FloatArray, method: str) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    """``g(x)`` with 0 where missing/unusable, present flags and invalid flags (x <= 0
    for gmean, x == 0 for hmean) as floats, ready for matrix products."""
    present = ~np.isnan(x)
    invalid: BoolArray | None = None
    if method == "gmean":
        invalid = present & (x <= 0)
    elif method == "hmean":
        invalid = present & (x == 0)
    if invalid is not None:
        present &= ~invalid
    g = np.where(present, _g(x, method), 0.0)
    inv = None if invalid is None else invalid.astype(np.float64)
    return g, present.astype(np.float64), inv


def prepare_leaves(x: FloatArray, method: str) -> LeafInputs:
    """``x`` is (rows, indicators), rows = flattened (unit, year)."""
    return LeafInputs(*_transform(x, method))


def _inverse(mean_g: FloatArray, method: str) -> FloatArray:
    if method == "gmean":
        return np.exp(mean_g)
    if method == "hmean":
        with np.errstate(divide="ignore"):
            return 1.0 / mean_g  # COINr: sum(w) / sum(w / x)
    return mean_g


def aggregate_rows(
    leaves: LeafInputs,
    plan: AggregationPlan,
    weights: FloatArray,
    method: str,
    min_coverage: float,
) -> tuple[FloatArray, ReasonArray]:
    """Aggregate for a batch of weight vectors.

    ``weights`` is (draws, indicators + aggregates).  Returns ``scores`` and ``reasons``,
    both (draws, rows, aggregates); missing scores are NaN with a reason code.
    """
    n_ind = len(plan.indicators)
    n_draw = weights.shape[0]
    rows = leaves.g.shape[0]
    scores = np.full((n_draw, rows, len(plan.aggregates)), np.nan)
    reasons = np.zeros(scores.shape, dtype=np.uint8)
    w_leaf = weights[:, :n_ind]
    w_agg = weights[:, n_ind:]
    for level in plan.levels:
        n_par = len(level.parents)
        wl = level.leaf_mask[None] * w_leaf[:, None, :]  # (D, P, I)
        wa = level.agg_mask[None] * w_agg[:, None, :]  # (D, P, A)
        total = wl.sum(axis=2) + wa.sum(axis=2)  # (D, P)
        num = np.zeros((n_draw, rows, n_par))
        den = np.zeros_like(num)
        bad = np.zeros_like(num)
        if level.leaf_mask.any():
            # One GEMM for all draws: (rows, I) @ (I, D*P).
            stacked = wl.transpose(2, 0, 1).reshape(n_ind, n_draw * n_par)
            num += _unstack(leaves.g @ stacked, n_draw, n_par)
            if leaves.complete:  # no missing leaf: present weight is the full weight
                den += wl.sum(axis=2)[:, None, :]
            else:
                den += _unstack(leaves.present @ stacked, n_draw, n_par)
            if leaves.invalid is not None and leaves.invalid.any():
                positive = (stacked > 0).astype(np.float64)
                bad += _unstack(leaves.invalid @ positive, n_draw, n_par)
        if level.agg_mask.any():
            cols = np.flatnonzero(level.agg_mask.any(axis=0))
            g, present, invalid = _transform(scores[:, :, cols], method)
            wa_t = wa[:, :, cols].transpose(0, 2, 1)  # (D, k, P)
            num += g @ wa_t
            den += present @ wa_t
            if invalid is not None:
                bad += invalid @ (wa_t > 0).astype(np.float64)
        value, why = _finish(num, den, bad, total[:, None, :], method, min_coverage)
        parents = list(level.parents)
        scores[:, :, parents] = value
        reasons[:, :, parents] = why
    return scores, reasons


def _finish(
    num: FloatArray,
    den: FloatArray,
    bad: BoolArray | FloatArray,
    total: FloatArray | float,
    method: str,
    min_coverage: float,
) -> tuple[FloatArray, ReasonArray]:
    """Score and reason codes from weighted sums of g(x), present weight, invalid flags."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = _inverse(num / den, method)
        coverage = den / total
    why = np.zeros(value.shape, dtype=np.uint8)
    why[den <= 0] = NO_DATA
    why[(den > 0) & (coverage < min_coverage - _COVERAGE_EPS)] = LOW_COVERAGE
    if method != "amean":  # an unusable child outranks the other reasons
        why[bad > 0] = NON_POSITIVE if method == "gmean" else ZERO_VALUE
    value[why > 0] = np.nan
    return value, why


def aggregate_tree(
    x: FloatArray,
    plan: AggregationPlan,
    weights: FloatArray,
    method: str,
    min_coverage: float,
) -> tuple[FloatArray, ReasonArray]:
    """Single weight set, data kept in its (units, indicators, years) layout.

    Each aggregate is one weighted sum of ``g(x)`` over its children: ``einsum`` over a
    view when they are contiguous (the usual case), else a per-child loop over views -
    no BLAS threads, no transposed or masked copy.  Missing or unusable children make
    the sum non-finite; only those (unit, year) cells - typically a small share - are
    recomputed with masks and renormalised weights.
    Returns scores and reasons shaped (units, aggregates, years).
    """
    n_units, _, n_years = x.shape
    n_ind = len(plan.indicators)
    if plan.leaf_order is not None:
        x = np.take(x, plan.leaf_order, axis=1)  # one C-contiguous copy: siblings adjacent
    gx = _g(x, method)
    # Built as (aggregates, units, years) so that each aggregate is written in one
    # contiguous block; transposed once at the end.
    scores = np.full((len(plan.aggregates), n_units, n_years), np.nan)
    reasons = np.zeros(scores.shape, dtype=np.uint8)

    def one(a: int) -> None:
        (li, pos, view), ai = plan.leaf_children[a], plan.agg_children[a]
        parts: list[_Part] = []
        if li.size:
            parts.append((gx, x, pos, view, weights[li]))
        if ai.size:
            sx = np.ascontiguousarray(scores[ai].transpose(1, 0, 2))  # (units, k, years)
            parts.append((_g(sx, method), sx, np.arange(ai.size), slice(None), weights[n_ind + ai]))
        total = float(sum(p[4].sum() for p in parts))
        num = np.zeros((n_units, n_years))
        for g_src, _, _, sel, w in parts:
            num += np.einsum("uiy,i->uy", g_src[:, sel, :], w)
        uu, yy = np.nonzero(~np.isfinite(num))
        if total <= 0:  # no weight at all: every cell is missing
            den = np.full(num.shape, total)
            bad = np.zeros(num.shape, dtype=bool)
            if uu.size:
                num[uu, yy], den[uu, yy], bad[uu, yy] = _masked_cells(parts, uu, yy, method)
            scores[a], reasons[a] = _finish(num, den, bad, total, method, min_coverage)
            return
        # Complete cells have the full weight (coverage 1, no reason): only the value.
        with np.errstate(divide="ignore", invalid="ignore"):
            scores[a] = _inverse(num / total, method)
        if uu.size:
            sums = _masked_cells(parts, uu, yy, method)
            scores[a][uu, yy], reasons[a][uu, yy] = _finish(*sums, total, method, min_coverage)

    # Parents of one level only read lower levels: worker threads take a share each.
    share = 1 if x.size >= _PARALLEL_SIZE else len(plan.aggregates)
    for level in plan.levels:

        def run(part: slice, todo: tuple[int, ...] = level.parents) -> None:
            for a in todo[part]:
                one(a)

        in_parts(run, len(level.parents), share)
    return (
        np.ascontiguousarray(scores.transpose(1, 0, 2)),
        np.ascontiguousarray(reasons.transpose(1, 0, 2)),
    )


#: (g source, x source, child positions, the same positions as a slice, child weights)
_Part = tuple[FloatArray, FloatArray, IntArray, slice, FloatArray]


def _g(x: FloatArray, method: str) -> FloatArray:
    """Generator of the quasi-arithmetic mean (NaN/inf where x is missing/unusable)."""
    if method == "amean":
        return x
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "gmean":
            return np.log(x)
        if method == "hmean":
            out: FloatArray = 1.0 / x
            return out
    raise ValueError(f"unknown aggregation method {method!r}")


def _masked_cells(
    parts: list[_Part], uu: IntArray, yy: IntArray, method: str
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Exact sums for the given (unit, year) cells, dropping missing/unusable children."""
    num = np.zeros(uu.size)
    den = np.zeros(uu.size)
    bad = np.zeros(uu.size, dtype=bool)
    for g_src, x_src, idx, _, w in parts:
        _, n_cols, n_years = x_src.shape
        # flat positions of (cell, child) in the contiguous (units, cols, years) arrays
        flat = (uu * (n_cols * n_years) + yy)[:, None] + (idx * n_years)[None, :]
        sub_x = np.take(np.ascontiguousarray(x_src).reshape(-1), flat)
        present = ~np.isnan(sub_x)
        if method == "amean":
            use = present
            sub_g = sub_x
        else:
            invalid = present & ((sub_x <= 0) if method == "gmean" else (sub_x == 0))
            use = present & ~invalid
            sub_g = np.take(np.ascontiguousarray(g_src).reshape(-1), flat)
            bad |= (invalid & (w > 0)).any(axis=1)
        np.copyto(sub_g, 0.0, where=~use)  # fresh arrays (take); faster than np.where
        num += sub_g @ w
        den += use @ w
    return num, den, bad


def _unstack(m: FloatArray, n_draw: int, n_par: int) -> FloatArray:
    """(rows, D*P) -> (D, rows, P)."""
    out: FloatArray = m.reshape(m.shape[0], n_draw, n_par).transpose(1, 0, 2)
    return out
