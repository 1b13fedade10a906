"""Monte-Carlo uncertainty analysis of ranks (in the spirit of COINr ``get_sensitivity``).

Each draw multiplies every weight by ``U(1 - noise, 1 + noise)`` (COINr
``get_noisy_weights``) and picks, uniformly, one treatment option, one normalisation
and one aggregation method from the declared lists.  For each unit and year we report
the nominal rank of the chosen node, and the median and 5-95 % interval of its rank
over the draws (quantiles as R's default ``type = 7``).

Cost: treatment and normalisation do not depend on weights, so each (treatment,
normalisation) variant is computed once; draws sharing a variant and an aggregation
method are aggregated together as one batched matrix product.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from .aggregate import AggregationPlan, aggregate_rows, prepare_leaves
from .arrays import FloatArray, IntArray, rank_min
from .compute import (
    aggregate_indicators,
    check_inputs,
    denominate,
    leaf_vectors,
    normalise_problems,
)
from .dataset import Dataset
from .errors import Problem, raise_if
from .framework import Framework
from .normalise import normalise
from .pipeline import (
    AGGREGATE_METHODS,
    NormaliseSpec,
    Pipeline,
    TreatSpec,
    _Parser,
    parse_normalise,
)
from .treat import treat

__all__ = ["UncertaintyResult", "UncertaintySpec", "uncertainty"]


@dataclass(frozen=True)
class UncertaintySpec:
    """What varies.  Empty tuples mean "as in ``pipeline``".

    ``treat`` lists on/off options (on = the pipeline's treatment, or COINr's default
    winsorisation if the pipeline has none); ``node`` defaults to the root.
    """

    pipeline: Pipeline
    weight_noise: float = 0.25
    normalise: tuple[NormaliseSpec, ...] = ()
    aggregate: tuple[str, ...] = ()
    treat: tuple[bool, ...] = ()
    node: str | None = None

    @classmethod
    def from_mapping(
        cls, spec: Mapping[str, object], pipeline: Pipeline, source: str = "uncertainty"
    ) -> UncertaintySpec:
        """``{weight_noise: 0.25, normalise: [minmax, {method: zscore}],
        aggregate: [amean, gmean], treat: [true, false], node: CFCI}``"""
        p = _Parser(source)
        p.unknown_keys(spec, ("weight_noise", "normalise", "aggregate", "treat", "node"), "")
        noise = p.number(spec.get("weight_noise", 0.25), "weight_noise", 0.25)
        norms = tuple(
            parse_normalise(v, p, f"normalise[{i}]")
            for i, v in enumerate(_as_list(spec.get("normalise", []), p, "normalise"))
        )
        aggs = []
        for i, v in enumerate(_as_list(spec.get("aggregate", []), p, "aggregate")):
            name = v.get("method") if isinstance(v, Mapping) else v
            if name not in AGGREGATE_METHODS:
                p.bad(f"aggregate[{i}]", f"unknown method {name!r}")
            else:
                aggs.append(str(name))
        treats = tuple(
            p.boolean(v, f"treat[{i}]")
            for i, v in enumerate(_as_list(spec.get("treat", []), p, "treat"))
        )
        node = spec.get("node")
        raise_if(p.problems)
        return cls(pipeline, noise, norms, tuple(aggs), treats, None if node is None else str(node))


def _as_list(v: object, p: _Parser, key: str) -> list[object]:
    if isinstance(v, list | tuple):
        return list(v)
    p.bad(key, f"expected a list, got {v!r}")
    return []


#: (unit, year, node, nominal_rank, median_rank, q05, q95); None where undefined.
UncertaintyRow = tuple[str, int, str, float | None, float | None, float | None, float | None]


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank statistics, each (units, years); NaN where a unit has no score.

    ``ranks`` holds every draw (draws, units, years); ``choices`` is (draws, 3) with the
    treatment, normalisation and aggregation option index used by each draw.
    """

    units: tuple[str, ...]
    years: tuple[int, ...]
    node: str
    draws: int
    seed: int
    nominal_rank: FloatArray
    median_rank: FloatArray
    q05: FloatArray
    q95: FloatArray
    ranks: FloatArray
    choices: IntArray

    def rows(
        self,
    ) -> Iterator[tuple[str, int, str, float | None, float | None, float | None, float | None]]:
        """``(unit, year, node, nominal_rank, median_rank, q05, q95)``."""
        for u, unit in enumerate(self.units):
            for y, year in enumerate(self.years):
                vals = [
                    float(a[u, y])
                    for a in (self.nominal_rank, self.median_rank, self.q05, self.q95)
                ]
                out = [None if np.isnan(v) else v for v in vals]
                yield unit, year, self.node, out[0], out[1], out[2], out[3]


def uncertainty(
    framework: Framework,
    dataset: Dataset,
    spec: UncertaintySpec,
    draws: int = 1000,
    seed: int = 0,
) -> UncertaintyResult:
    """Run ``draws`` Monte-Carlo replications; deterministic for a given ``seed``."""
    base = spec.pipeline
    node = spec.node or framework.root
    norms = spec.normalise or (base.normalise,)
    aggs = spec.aggregate or (base.aggregate.method,)
    on = base.treat if base.treat.enabled else TreatSpec(method="winsorise")
    treats = tuple(on if t else TreatSpec() for t in spec.treat) or (base.treat,)
    problems = check_inputs(framework, dataset, base)
    for k, n in enumerate(norms):
        problems += normalise_problems(framework, n, f"uncertainty normalise[{k}]")
    if node not in framework.aggregates:
        problems.append(Problem("uncertainty", None, "node", f"'{node}' is not an aggregate"))
    if not 0 <= spec.weight_noise <= 1:
        problems.append(Problem("uncertainty", None, "weight_noise", "must be between 0 and 1"))
    if draws < 1:
        problems.append(Problem("uncertainty", None, "draws", "must be at least 1"))
    raise_if(problems)

    plan = AggregationPlan.from_framework(framework)
    denominated, _ = denominate(framework, dataset, base)
    n_units, n_ind, n_years = denominated.shape
    treated = [treat(denominated, t)[0] for t in treats]
    variants: dict[tuple[int, int], FloatArray] = {}

    def leaf_rows(t: int, n: int) -> FloatArray:
        if (t, n) not in variants:
            direction, target, posts = leaf_vectors(framework, norms[n])
            x = normalise(treated[t], norms[n], direction, target, posts)
            variants[t, n] = np.ascontiguousarray(x.transpose(0, 2, 1)).reshape(-1, n_ind)
        return variants[t, n]

    rng = np.random.default_rng(seed)
    choices = np.stack(
        [
            rng.integers(len(treats), size=draws),
            rng.integers(len(norms), size=draws),
            rng.integers(len(aggs), size=draws),
        ],
        axis=1,
    )
    noise = rng.uniform(1 - spec.weight_noise, 1 + spec.weight_noise, (draws, plan.weights.size))
    weights = plan.weights[None, :] * noise
    col = framework.aggregates.index(node)
    cov = base.aggregate.min_coverage

    def node_scores(t: int, n: int, a: int, w: FloatArray) -> FloatArray:
        leaves = prepare_leaves(leaf_rows(t, n), aggs[a])
        scores, _ = aggregate_rows(leaves, plan, w, aggs[a], cov)
        out: FloatArray = scores[:, :, col].reshape(-1, n_units, n_years)
        return out

    sampled = np.empty((draws, n_units, n_years))
    keys, group = np.unique(choices, axis=0, return_inverse=True)
    for g, (t, n, a) in enumerate(keys):
        members = np.flatnonzero(group.reshape(-1) == g)
        sampled[members] = node_scores(int(t), int(n), int(a), weights[members])
    ranks = rank_min(sampled, axis=1, descending=True)
    nominal_x = normalise(
        treat(denominated, base.treat)[0], base.normalise, *leaf_vectors(framework, base.normalise)
    )
    nominal = aggregate_indicators(framework, nominal_x, base)[0][:, col, :]
    nominal_rank = rank_min(nominal, axis=0, descending=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: unit never scored
        q = np.nanquantile(ranks, [0.05, 0.5, 0.95], axis=0)
    return UncertaintyResult(
        units=dataset.units,
        years=dataset.years,
        node=node,
        draws=draws,
        seed=seed,
        nominal_rank=nominal_rank,
        median_rank=q[1],
        q05=q[0],
        q95=q[2],
        ranks=ranks,
        choices=choices.astype(np.int64),
    )
