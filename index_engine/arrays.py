"""Array type aliases, missing-value reason codes and the vectorised ``min`` ranking."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "REASONS",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "ReasonArray",
    "rank_min",
    "rank_min_int",
    "readonly",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
ReasonArray = npt.NDArray[np.uint8]

# Why a value is missing.  Stored as uint8 codes in dense arrays (cheap to compute and
# to keep); REASONS[code] is the label shown to users.
OK = 0
NO_DATA = 1  # no input value (indicator) / no child value (aggregate)
NO_DENOMINATOR = 2  # denominator series missing for that unit and year
ZERO_DENOMINATOR = 3  # denominator is zero
DEGENERATE = 4  # normalisation undefined: zero range, <2 values, target equal to minimum
LOW_COVERAGE = 5  # present children carry less weight than min_coverage
NON_POSITIVE = 6  # gmean child <= 0 (log undefined)
ZERO_VALUE = 7  # hmean child == 0 (1/x undefined)

REASONS: tuple[str, ...] = (
    "",
    "no_data",
    "no_denominator",
    "zero_denominator",
    "degenerate_distribution",
    "low_coverage",
    "non_positive_for_gmean",
    "zero_for_hmean",
)


#: Worker threads for :func:`in_parts` (numpy releases the GIL inside its loops).
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
WORKERS = max(1, min(4, _CPUS or 1))
_THREAD_PREFIX = "index_engine"
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def in_parts(fn: Callable[[slice], None], n: int, min_size: int = 1) -> None:
    """Call ``fn`` on contiguous slices covering ``range(n)``, one per worker thread.

    For work whose parts are independent (disjoint rows or columns of the output), so
    the result does not depend on how ``range(n)`` is split.  Runs inline when there is
    one worker or fewer than ``2 * min_size`` items.
    """
    global _pool
    parts = min(WORKERS, n // max(min_size, 1))
    # Inline too inside a worker: waiting there for other workers could deadlock.
    if parts <= 1 or threading.current_thread().name.startswith(_THREAD_PREFIX):
        fn(slice(0, n))
        return
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix=_THREAD_PREFIX)
    bounds = [n * k // parts for k in range(parts + 1)]
    futures = [_pool.submit(fn, slice(a, b)) for a, b in pairwise(bounds)]
    for f in futures:
        f.result()


def readonly(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Mark an array read-only so results shared between stages cannot be mutated."""
    a.flags.writeable = False
    return a


def _sort_keys(values: FloatArray, descending: bool = False) -> npt.NDArray[np.int64]:
    """Order-preserving (order-reversing with ``descending``) int64 keys for float64
    values, C-contiguous whatever the layout of ``values``; NaN gets the largest key.

    numpy's argsort is several times faster on int64 than on float64 here, and equal
    keys mean equal values (``-0.0`` is folded into ``0.0`` first).
    """
    v = np.add(values, 0.0, order="C")  # fresh C-ordered copy, and -0.0 -> 0.0
    keys = v.view(np.int64)
    np.bitwise_xor(keys, np.int64(0x7FFFFFFFFFFFFFFF), out=keys, where=keys < 0)
    if descending:
        np.invert(keys, out=keys)  # ~k = -k - 1: reverses the order, keeps ties
    keys[np.isnan(values)] = np.iinfo(np.int64).max
    return keys


def rank_min(values: FloatArray, axis: int = 0, descending: bool = True) -> FloatArray:
    """Rank along ``axis`` with R's ``ties.method = "min"``; NaN stays NaN (``na.last="keep"``).

    ``descending=True`` gives rank 1 to the highest value (score ranking);
    ``descending=False`` gives rank 1 to the lowest (COINr ``n_rank``).
    """
    ranks = rank_min_int(values, axis, descending)
    out: FloatArray = ranks.astype(np.float64)
    out[ranks == 0] = np.nan
    return out


def rank_min_int(values: FloatArray, axis: int = 0, descending: bool = True) -> IntArray:
    """:func:`rank_min` as int64 with 0 for a missing value (no float pass, no NaN).

    Lines along ``axis`` are ranked a cache-sized group at a time: argsort of their
    integer keys; the rank at each sorted position is 1 + the position where its run
    of equal keys starts.
    """
    moved = np.moveaxis(values, axis, -1)
    shape = moved.shape
    n = shape[-1]
    lines_of = moved.reshape(-1, n)  # a view for the usual layouts
    ranks = np.empty(lines_of.shape, dtype=np.int64)
    flat_ranks = ranks.reshape(-1)
    positions = np.arange(1, n, dtype=np.int64)
    missing = np.iinfo(np.int64).max
    group = max(1, _RANK_GROUP // max(n, 1))  # lines per group

    def rank_lines(part: slice) -> None:  # lines are independent: one range per thread
        for start in range(part.start, part.stop, group):
            lines = slice(start, min(start + group, part.stop))
            # Keys a group at a time: made where they are sorted, on the worker thread.
            keys = _sort_keys(lines_of[lines], descending)
            order = np.argsort(keys, axis=1)
            # Gather and scatter through flat positions: take/put_along_axis build a
            # broadcast index per axis, which costs about as much as the sort here.
            order += np.arange(0, keys.size, n)[:, None]
            ordered = np.take(keys.reshape(-1), order)
            run = np.zeros(ordered.shape, dtype=np.int64)
            np.multiply(ordered[:, 1:] != ordered[:, :-1], positions, out=run[:, 1:])
            np.maximum.accumulate(run, axis=1, out=run)  # start of each position's run
            run += 1
            run *= ordered != missing  # missing values (sorted last) -> 0
            order += start * n
            np.put(flat_ranks, order, run)

    in_parts(rank_lines, lines_of.shape[0], group)
    result: IntArray = np.moveaxis(ranks.reshape(shape), -1, axis)
    return result


#: Keys per group in :func:`rank_min_int` (a group's arrays stay in cache).
_RANK_GROUP = 1 << 16
