"""Property-based tests (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from index_engine import NormaliseSpec
from index_engine.aggregate import AggregationPlan, aggregate_tree
from index_engine.arrays import rank_min
from index_engine.normalise import normalise

from .helpers import flat_framework, quick

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
column = st.lists(finite, min_size=3, max_size=30).filter(lambda v: max(v) - min(v) > 1e-3)


def _norm(
    values: list[float], spec: NormaliseSpec, direction: float = 1.0, **kw: object
) -> np.ndarray:
    x = np.array(values, dtype=float).reshape(-1, 1, 1)
    return normalise(x, spec, np.array([direction]), **kw)[:, 0, 0]  # type: ignore[arg-type]


@quick
@given(column, st.floats(0.01, 1e3), st.floats(-1e3, 1e3))
def test_minmax_invariant_to_positive_affine_maps(values: list[float], a: float, b: float) -> None:
    spec = NormaliseSpec("minmax")
    base = _norm(values, spec)
    moved = _norm([a * v + b for v in values], spec)
    np.testing.assert_allclose(moved, base, atol=1e-6)


@quick
@given(column, st.sampled_from(["minmax", "zscore", "rank", "dist2target", "goalposts"]))
def test_direction_minus_one_equals_reversing_the_values(values: list[float], method: str) -> None:
    spec = NormaliseSpec(method, cap=True)
    lo, hi = min(values), max(values)
    target = lo + 0.8 * (hi - lo)
    assume(abs(target - lo) > 1e-6 and abs(target - hi) > 1e-6)
    kw_neg: dict[str, object] = {}
    kw_rev: dict[str, object] = {}
    if method == "dist2target":
        kw_neg["target"] = np.array([target])
        kw_rev["target"] = np.array([-target])
    if method == "goalposts":
        kw_neg["posts"] = (np.array([lo]), np.array([target]))
        kw_rev["posts"] = (np.array([-target]), np.array([-lo]))
    neg = _norm(values, spec, -1.0, **kw_neg)
    rev = _norm([-v for v in values], spec, 1.0, **kw_rev)
    np.testing.assert_allclose(neg, rev, rtol=1e-12, atol=1e-9)


children = st.lists(
    st.tuples(st.floats(0.1, 10), st.one_of(st.none(), st.floats(1, 100))), min_size=1, max_size=8
)


@quick
@given(children)
def test_weight_shares_renormalise_to_one(kids: list[tuple[float, float | None]]) -> None:
    from index_engine import Dataset, Pipeline, compute, explain

    codes = [f"C{k}" for k in range(len(kids))]
    fw = flat_framework(codes, [w for w, _ in kids])
    rows = [
        {"unit": u, "indicator": c, "year": 2020, "value": v if u == "U0" else 50.0}
        for c, (_, v) in zip(codes, kids, strict=True)
        for u in ("U0", "U1")
    ]
    pipe = Pipeline.from_mapping(
        {"normalise": {"method": "goalposts", "posts": {c: [0, 100] for c in codes}}}
    )
    res = compute(fw, Dataset.from_long(rows), pipe)
    ex = explain(res, "U0", 2020, "IDX")
    shares = [c.weight_share for c in ex.children if c.weight_share is not None]
    if any(v is not None for _, v in kids):
        assert math.fsum(shares) == 1.0 or abs(math.fsum(shares) - 1.0) < 1e-12
        assert ex.score is not None and abs(ex.total - ex.score) < 1e-9 * max(1.0, ex.score)
    else:
        assert shares == [] and ex.score is None and ex.reason == "no_data"


@quick
@given(
    st.lists(st.floats(1, 100), min_size=4, max_size=4),
    st.lists(st.floats(0.1, 5), min_size=4, max_size=4),
    st.integers(0, 3),
    st.floats(0.0, 50.0),
)
def test_amean_monotone_in_each_child(
    vals: list[float], weights: list[float], child: int, bump: float
) -> None:
    fw = flat_framework(["A", "B", "C", "D"], weights)
    plan = AggregationPlan.from_framework(fw)
    x = np.array(vals).reshape(1, 4, 1)
    y = x.copy()
    y[0, child, 0] += bump
    before = aggregate_tree(x, plan, plan.weights, "amean", 0.0)[0][0, 0, 0]
    after = aggregate_tree(y, plan, plan.weights, "amean", 0.0)[0][0, 0, 0]
    assert after >= before - 1e-12


@quick
@given(st.lists(st.one_of(st.none(), st.integers(0, 6).map(float)), min_size=1, max_size=25))
def test_rank_consistency(values: list[float | None]) -> None:
    x = np.array([np.nan if v is None else v for v in values])
    r = rank_min(x.reshape(-1, 1), axis=0, descending=True)[:, 0]
    present = ~np.isnan(x)
    assert np.all(np.isnan(r[~present]))
    for i in np.flatnonzero(present):
        # min method: rank = 1 + number of strictly better units
        assert r[i] == 1 + np.sum(x[present] > x[i])
    asc = rank_min(x.reshape(-1, 1), axis=0, descending=False)[:, 0]
    for i in np.flatnonzero(present):
        assert asc[i] == 1 + np.sum(x[present] < x[i])
