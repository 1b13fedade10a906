"""The full pipeline: denominate -> treat -> normalise -> aggregate -> rank."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .aggregate import AggregationPlan, aggregate_tree
from .arrays import (
    DEGENERATE,
    NO_DENOMINATOR,
    OK,
    REASONS,
    ZERO_DENOMINATOR,
    BoolArray,
    FloatArray,
    IntArray,
    ReasonArray,
    in_parts,
    rank_min_int,
    readonly,
)
from .dataset import Dataset
from .errors import Problem, raise_if
from .framework import Framework
from .normalise import normalise_columns
from .pipeline import NormaliseSpec, Pipeline
from .treat import treat

__all__ = [
    "INDICATOR_STAGES",
    "Result",
    "aggregate_indicators",
    "check_inputs",
    "compute",
    "denominate",
    "leaf_vectors",
]

INDICATOR_STAGES = ("denominated", "treated", "normalised")

#: One output record: (unit, year, code, stage, value or None, rank or None).
LongRow = tuple[str, int, str, str, float | None, int | None]


@dataclass(frozen=True)
class Result:
    """Every stage for every unit, year and node.

    Indicator arrays are ``(units, indicators, years)``; aggregate arrays are
    ``(units, aggregates, years)``.  NaN = missing (see ``*_reasons``); ``ranks`` uses
    0 for "no rank".  ``treatment[i, y]`` indexes :data:`index_engine.treat.TREATMENTS`.
    """

    framework: Framework
    pipeline: Pipeline
    units: tuple[str, ...]
    years: tuple[int, ...]
    denominated: FloatArray
    treated: FloatArray
    normalised: FloatArray
    scores: FloatArray
    ranks: IntArray
    indicator_reasons: ReasonArray
    score_reasons: ReasonArray
    treatment: IntArray
    winsorised_points: IntArray

    @property
    def indicators(self) -> tuple[str, ...]:
        return self.framework.indicators

    @property
    def aggregates(self) -> tuple[str, ...]:
        return self.framework.aggregates

    @property
    def codes(self) -> tuple[str, ...]:
        return self.framework.codes

    def stage(self, name: str) -> FloatArray:
        """Array for ``denominated``, ``treated``, ``normalised`` or ``score``."""
        arrays = {
            "denominated": self.denominated,
            "treated": self.treated,
            "normalised": self.normalised,
            "score": self.scores,
        }
        return arrays[name]

    def value(self, unit: str, year: int, code: str, stage: str = "score") -> float | None:
        """One value (None when missing); ``stage`` defaults to ``score``."""
        u = self.units.index(unit)
        y = self.years.index(year)
        col = self.aggregates if stage == "score" else self.indicators
        v = float(self.stage(stage)[u, col.index(code), y])
        return None if np.isnan(v) else v

    def long_rows(self) -> Iterator[LongRow]:
        """Yield ``(unit, year, code, stage, value, rank)``; value/rank None if missing."""
        for u, unit in enumerate(self.units):
            stages = [a[u].T.tolist() for a in (self.denominated, self.treated, self.normalised)]
            scores = self.scores[u].T.tolist()
            ranks = self.ranks[u].T.tolist()
            for y, year in enumerate(self.years):
                for i, code in enumerate(self.indicators):
                    for name, arr in zip(INDICATOR_STAGES, stages, strict=True):
                        v = arr[y][i]
                        yield unit, year, code, name, (None if v != v else v), None
                for a, code in enumerate(self.aggregates):
                    v = scores[y][a]
                    r = ranks[y][a]
                    yield unit, year, code, "score", (None if v != v else v), (r or None)

    def missing_rows(self) -> Iterator[tuple[str, int, str, str, str]]:
        """Yield ``(unit, year, code, stage, reason)`` for every missing normalised
        indicator value and every missing score."""
        for reasons, codes, stage in (
            (self.indicator_reasons, self.indicators, "normalised"),
            (self.score_reasons, self.aggregates, "score"),
        ):
            for u, c, y in zip(*np.nonzero(reasons), strict=True):
                yield (
                    self.units[u],
                    self.years[y],
                    codes[c],
                    stage,
                    REASONS[int(reasons[u, c, y])],
                )


def check_inputs(fw: Framework, ds: Dataset, pipeline: Pipeline) -> list[Problem]:
    """Cross-checks between framework, data and pipeline (each is valid on its own)."""
    problems: list[Problem] = []
    leaves = set(fw.indicators)
    denominators = set(fw.denominators())
    for s in ds.series:
        if s in leaves or s in denominators:
            continue
        row = ds.series_rows.get(s)
        if s in fw.by_code:
            msg = f"'{s}' is an aggregate of the framework; data rows must be indicators (leaves)"
        else:
            msg = (
                f"unknown indicator '{s}': neither an indicator of the framework nor a "
                "denominator series it references"
            )
        problems.append(Problem(ds.source, row, "indicator", msg))
    present = set(ds.series)
    if pipeline.denominate:
        for code in fw.indicators:
            node = fw.by_code[code]
            if node.denominator is not None and node.denominator not in present:
                problems.append(
                    Problem(
                        fw.source,
                        node.row,
                        "denominator",
                        f"denominator series '{node.denominator}' has no rows in {ds.source}",
                    )
                )
    problems += normalise_problems(fw, pipeline.normalise, pipeline.source)
    return problems


def normalise_problems(fw: Framework, spec: NormaliseSpec, source: str) -> list[Problem]:
    """Targets / goalposts required by the chosen normalisation."""
    problems: list[Problem] = []
    if spec.method == "dist2target":
        for code in fw.indicators:
            node = fw.by_code[code]
            if node.target is None:
                problems.append(
                    Problem(
                        fw.source, node.row, "target", "dist2target normalisation needs a target"
                    )
                )
    if spec.method == "goalposts":
        for code in spec.posts:
            if code not in fw.indicators:
                problems.append(
                    Problem(
                        source, None, f"normalise.posts.{code}", "not an indicator of the framework"
                    )
                )
        for code in fw.indicators:
            node = fw.by_code[code]
            if code not in spec.posts and node.lower_post is None:
                problems.append(
                    Problem(
                        fw.source,
                        node.row,
                        "lower_post",
                        "goalposts normalisation needs lower_post and upper_post "
                        "(or normalise.posts in the pipeline)",
                    )
                )
    return problems


def leaf_vectors(
    fw: Framework, spec: NormaliseSpec
) -> tuple[FloatArray, FloatArray, tuple[FloatArray, FloatArray] | None]:
    """Per-indicator direction, target (NaN if none) and goalposts for ``spec``."""
    nodes = [fw.by_code[c] for c in fw.indicators]
    direction = np.array([n.direction for n in nodes], dtype=np.float64)
    target = np.array([np.nan if n.target is None else n.target for n in nodes])
    posts = None
    if spec.method == "goalposts":
        pairs = [spec.posts.get(n.code, (n.lower_post, n.upper_post)) for n in nodes]
        lo = np.array([np.nan if p[0] is None else p[0] for p in pairs], dtype=np.float64)
        hi = np.array([np.nan if p[1] is None else p[1] for p in pairs], dtype=np.float64)
        posts = (lo, hi)
    return direction, target, posts


def denominate(fw: Framework, ds: Dataset, pipeline: Pipeline) -> tuple[FloatArray, ReasonArray]:
    """Leaf values (units, indicators, years) after COINr ``Denominate``:
    ``x / (denominator / factor)``; also the missing-value reason codes."""
    s_ix = {s: i for i, s in enumerate(ds.series)}
    shape = (len(ds.units), len(fw.indicators), len(ds.years))
    idx = [s_ix.get(c, -1) for c in fw.indicators]
    first = idx[0] if idx else 0
    if idx == list(range(first, first + len(idx))):  # the usual layout: one block of series
        source = ds.values[:, first : first + len(idx), :]
    elif all(i >= 0 for i in idx):
        source = np.take(ds.values, idx, axis=1)  # C-contiguous copy (fancy indexing is not)
    else:
        source = np.full(shape, np.nan)
        have = [k for k, i in enumerate(idx) if i >= 0]
        source[:, have, :] = np.take(ds.values, [idx[k] for k in have], axis=1)
    denominated = [
        (k, s_ix[node.denominator], node.factor or 1.0)
        for k, node in enumerate(fw.by_code[c] for c in fw.indicators)
        if pipeline.denominate and node.denominator is not None
    ]
    raw = np.empty(shape)
    reasons: ReasonArray = np.empty(shape, dtype=np.uint8)
    step = max(1, _BLOCK_BYTES // max(8 * shape[1] * shape[2], 1))

    def fill(part: slice) -> None:  # rows are independent: worker threads take a range each
        # Copy and flag missing values block by block (the flags from the block in cache).
        for start in range(part.start, part.stop, step):
            rows = slice(start, min(start + step, part.stop))
            np.copyto(raw[rows], source[rows])
            np.isnan(raw[rows], out=reasons[rows].view(np.bool_))  # True -> 1 == NO_DATA
        # Denominators column by column, in place on views (raw is our own copy).
        for k, s, factor in denominated:
            den = ds.values[part, s, :]
            x = raw[part, k, :]
            why = reasons[part, k, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(x, den / factor, out=x)
            has_x = why == OK
            why[has_x & np.isnan(den)] = NO_DENOMINATOR
            zero = has_x & (den == 0)
            why[zero] = ZERO_DENOMINATOR
            x[zero] = np.nan

    in_parts(fill, shape[0], step)
    return raw, reasons


#: Rows per block when copying: a block is flagged while it is in cache.
_BLOCK_BYTES = 1 << 20


def compute(framework: Framework, dataset: Dataset, pipeline: Pipeline) -> Result:
    """Run the pipeline on every unit, year and node.

    Raises :class:`~index_engine.errors.EngineInputError` when the data and pipeline do
    not fit the framework (unknown indicators, missing denominators/targets/posts).
    """
    raise_if(check_inputs(framework, dataset, pipeline))
    denominated, reasons = denominate(framework, dataset, pipeline)
    treated, treatment, nwin = treat(denominated, pipeline.treat)
    direction, target, posts = leaf_vectors(framework, pipeline.normalise)
    normalised, lost = normalise_columns(treated, pipeline.normalise, direction, target, posts)
    _mark_degenerate(reasons, lost)
    plan = AggregationPlan.from_framework(framework)
    agg = pipeline.aggregate
    scores, score_reasons = aggregate_tree(
        normalised, plan, plan.weights, agg.method, agg.min_coverage
    )
    ranks = rank_min_int(scores, axis=0, descending=True)
    return Result(
        framework=framework,
        pipeline=pipeline,
        units=dataset.units,
        years=dataset.years,
        denominated=readonly(denominated),
        treated=readonly(treated),
        normalised=readonly(normalised),
        scores=readonly(scores),
        ranks=readonly(ranks),
        indicator_reasons=readonly(reasons),
        score_reasons=readonly(score_reasons),
        treatment=readonly(treatment),
        winsorised_points=readonly(nwin),
    )


def _mark_degenerate(reasons: ReasonArray, lost: BoolArray) -> None:
    """Flag values lost in normalisation (zero range, < 2 values, target == minimum).

    Those failures are per (indicator, year) column (``lost``), so only those columns
    are touched."""
    for i, y in zip(*np.nonzero(lost), strict=True):
        column = reasons[:, i, y]
        column[column == OK] = DEGENERATE


def aggregate_indicators(
    fw: Framework, normalised: FloatArray, pipeline: Pipeline, weights: FloatArray | None = None
) -> tuple[FloatArray, ReasonArray]:
    """Scores (units, aggregates, years) from normalised indicators (units, indicators, years)."""
    plan = AggregationPlan.from_framework(fw)
    w = plan.weights if weights is None else weights
    agg = pipeline.aggregate
    return aggregate_tree(normalised, plan, w, agg.method, agg.min_coverage)
