"""Monte-Carlo uncertainty: determinism, interval sanity, agreement with compute()."""

from __future__ import annotations

import numpy as np
import pytest

from index_engine import (
    Dataset,
    EngineInputError,
    Framework,
    NormaliseSpec,
    Pipeline,
    UncertaintySpec,
    compute,
    uncertainty,
)


def _inputs(n_units: int = 25, seed: int = 0) -> tuple[Framework, Dataset, Pipeline]:
    rows: list[dict[str, object]] = [{"code": "ROOT", "parent": ""}]
    rows += [{"code": f"D{d}", "parent": "ROOT", "weight": d + 1} for d in range(3)]
    rows += [{"code": f"I{i}", "parent": f"D{i % 3}", "direction": (-1) ** i} for i in range(9)]
    fw = Framework.from_rows(rows)
    rng = np.random.default_rng(seed)
    data = [
        {"unit": f"U{u:02d}", "indicator": f"I{i}", "year": y, "value": float(v)}
        for y in (2020, 2021)
        for i in range(9)
        for u, v in enumerate(rng.lognormal(3, 0.6, n_units))
    ]
    pipe = Pipeline.from_mapping(
        {
            "treat": {"method": "winsorise"},
            "normalise": {"method": "minmax", "lower": 1, "upper": 100},
            "aggregate": {"method": "amean"},
        }
    )
    return fw, Dataset.from_long(data), pipe


def test_deterministic_for_a_seed_and_sane_intervals() -> None:
    fw, ds, pipe = _inputs()
    spec = UncertaintySpec(
        pipe,
        weight_noise=0.4,
        normalise=(pipe.normalise, NormaliseSpec("zscore"), NormaliseSpec("rank")),
        aggregate=("amean", "gmean"),
        treat=(True, False),
    )
    a = uncertainty(fw, ds, spec, draws=300, seed=7)
    b = uncertainty(fw, ds, spec, draws=300, seed=7)
    c = uncertainty(fw, ds, spec, draws=300, seed=8)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    np.testing.assert_array_equal(a.median_rank, b.median_rank)
    assert not np.array_equal(a.ranks, c.ranks)
    assert a.ranks.shape == (300, 25, 2)
    finite = ~np.isnan(a.median_rank)
    assert np.all(a.q05[finite] <= a.median_rank[finite])
    assert np.all(a.median_rank[finite] <= a.q95[finite])
    assert np.nanmin(a.q05) >= 1 and np.nanmax(a.q95) <= 25
    assert len(np.unique(a.choices, axis=0)) == 2 * 3 * 2  # every combination sampled
    nominal = compute(fw, ds, pipe)
    root = fw.aggregates.index("ROOT")
    np.testing.assert_array_equal(a.nominal_rank, nominal.ranks[:, root, :])
    rows = list(a.rows())
    assert len(rows) == 50 and rows[0][:3] == ("U00", 2020, "ROOT")


def test_no_noise_single_option_reproduces_compute() -> None:
    fw, ds, pipe = _inputs()
    z = Pipeline(pipe.denominate, pipe.treat, NormaliseSpec("zscore"), pipe.aggregate)
    spec = UncertaintySpec(pipe, weight_noise=0.0, normalise=(z.normalise,), node="D1")
    res = uncertainty(fw, ds, spec, draws=5, seed=1)
    expected = compute(fw, ds, z).ranks[:, fw.aggregates.index("D1"), :]
    np.testing.assert_array_equal(res.median_rank, expected)
    np.testing.assert_array_equal(res.q05, expected)
    np.testing.assert_array_equal(res.q95, expected)


def test_batched_weights_match_compute_with_same_weights() -> None:
    """One noisy draw must equal a plain compute() with those weights."""
    from index_engine.aggregate import AggregationPlan
    from index_engine.compute import aggregate_indicators

    fw, ds, pipe = _inputs(12)
    spec = UncertaintySpec(pipe, weight_noise=0.5)
    res = uncertainty(fw, ds, spec, draws=3, seed=11)
    rng = np.random.default_rng(11)
    plan = AggregationPlan.from_framework(fw)
    rng.integers(1, size=3), rng.integers(1, size=3), rng.integers(1, size=3)
    noise = rng.uniform(0.5, 1.5, (3, plan.weights.size))
    base = compute(fw, ds, pipe)
    for d in range(3):
        scores, _ = aggregate_indicators(fw, base.normalised, pipe, plan.weights * noise[d])
        root = scores[:, fw.aggregates.index("ROOT"), :]
        order = (-root).argsort(axis=0).argsort(axis=0) + 1
        np.testing.assert_array_equal(res.ranks[d], order)


def test_invalid_spec() -> None:
    fw, ds, pipe = _inputs(5)
    with pytest.raises(EngineInputError) as exc:
        uncertainty(fw, ds, UncertaintySpec(pipe, weight_noise=2, node="I0"), draws=0)
    assert {p.column for p in exc.value.problems} == {"node", "weight_noise", "draws"}
    with pytest.raises(EngineInputError, match="aggregate\\[0\\]"):
        UncertaintySpec.from_mapping({"aggregate": ["median"]}, pipe)
    spec = UncertaintySpec.from_mapping(
        {"normalise": ["zscore", {"method": "minmax", "lower": 1}], "treat": [True, False]}, pipe
    )
    assert [n.method for n in spec.normalise] == ["zscore", "minmax"]
    assert spec.normalise[1].lower == 1 and spec.treat == (True, False)
