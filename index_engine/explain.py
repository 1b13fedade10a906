"""Why does a node have its score?  Per-child contributions for one unit and year.

For a quasi-arithmetic mean ``g(score) = sum_i s_i * g(x_i)`` with renormalised weight
shares ``s_i`` of the present children, each child's ``term`` is ``s_i * g(x_i)``
(terms sum to ``g(score)``) and its ``contribution`` is the score split in proportion
to the terms, so contributions always sum to the score:

* amean (g = x): contribution = ``s_i * x_i``;
* gmean (g = log): contribution = ``score * s_i * log(x_i) / log(score)``
  (falls back to ``s_i * score`` when ``log(score)`` is 0); can be negative for a
  child below 1 when the score is above 1;
* hmean (g = 1/x): contribution = ``score * (s_i / x_i) / (1 / score)``
  = ``s_i * score^2 / x_i``: the share of the harmonic sum, so a weak child takes a
  larger share (it pulls the score down the most).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .arrays import REASONS
from .compute import Result
from .errors import Problem, raise_if

__all__ = ["Contribution", "Explanation", "explain"]


@dataclass(frozen=True)
class Contribution:
    code: str
    weight: float  # nominal framework weight
    value: float | None  # child's normalised value (indicator) or score (aggregate)
    weight_share: float | None  # renormalised over present children; None if missing
    term: float | None  # weight_share * g(value)
    contribution: float | None


@dataclass(frozen=True)
class Explanation:
    unit: str
    year: int
    node: str
    method: str
    score: float | None
    reason: str  # "" when the score exists
    coverage: float  # share of the node's weight carried by present children
    children: tuple[Contribution, ...]

    @property
    def total(self) -> float:
        """Sum of contributions (equals ``score`` when the score exists)."""
        return math.fsum(c.contribution for c in self.children if c.contribution is not None)


def explain(result: Result, unit: str, year: int, node: str) -> Explanation:
    """Break ``node``'s score for ``unit`` in ``year`` into child contributions."""
    fw = result.framework
    problems = []
    if unit not in result.units:
        problems.append(Problem("explain", None, "unit", f"unknown unit '{unit}'"))
    if year not in result.years:
        problems.append(Problem("explain", None, "year", f"no data for year {year}"))
    if node not in fw.aggregates:
        what = "an indicator, not an aggregate" if node in fw.by_code else "unknown"
        problems.append(Problem("explain", None, "node", f"'{node}' is {what}"))
    raise_if(problems)
    u = result.units.index(unit)
    y = result.years.index(year)
    a = fw.aggregates.index(node)
    method = result.pipeline.aggregate.method
    score = float(result.scores[u, a, y])
    kids = fw.children[node]
    weights = [fw.by_code[c].weight for c in kids]
    values = [_child_value(result, c, u, y) for c in kids]
    usable = [_usable(v, method) and w > 0 for v, w in zip(values, weights, strict=True)]
    present_w = math.fsum(w for w, ok in zip(weights, usable, strict=True) if ok)
    coverage = present_w / math.fsum(weights)
    has_score = not np.isnan(score)
    children = []
    for code, w, v, ok in zip(kids, weights, values, usable, strict=True):
        share = w / present_w if ok and present_w > 0 else None
        term = contribution = None
        if share is not None and v is not None:
            term = share * _g(v, method)
            if has_score:
                contribution = _contribution(share, v, term, score, method)
        children.append(Contribution(code, w, v, share, term, contribution))
    return Explanation(
        unit=unit,
        year=year,
        node=node,
        method=method,
        score=score if has_score else None,
        reason=REASONS[int(result.score_reasons[u, a, y])],
        coverage=coverage,
        children=tuple(children),
    )


def _child_value(result: Result, code: str, u: int, y: int) -> float | None:
    fw = result.framework
    if code in fw.aggregates:
        v = float(result.scores[u, fw.aggregates.index(code), y])
    else:
        v = float(result.normalised[u, fw.indicators.index(code), y])
    return None if np.isnan(v) else v


def _usable(v: float | None, method: str) -> bool:
    if v is None:
        return False
    if method == "gmean":
        return v > 0
    if method == "hmean":
        return v != 0
    return True


def _g(v: float, method: str) -> float:
    if method == "gmean":
        return math.log(v)
    if method == "hmean":
        return 1.0 / v
    return v


def _contribution(share: float, v: float, term: float, score: float, method: str) -> float:
    if method == "amean":
        return term
    if method == "gmean":
        log_score = math.log(score)
        if abs(log_score) < 1e-12:
            return share * score
        return score * term / log_score
    return share * score * score / v  # hmean: score * term / (1 / score)
