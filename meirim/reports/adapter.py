"""The one adapter between the database and :mod:`index_engine`.

It reads a catalogue version's scoring method — set by the national council and stored
with the version (``ScoringMethod``, each entry's ``weight``, each indicator's goalposts) —
and turns it into the engine's framework and pipeline; it reads the cities' observations as
columns and turns them into an engine dataset. Nothing about scoring is decided here.

* **Framework.** Root ``CFCI`` → categories C1–C6 → sub-domains S01–S11 → indicators
  I01–I74 with the version's weights and each indicator's ``direction``. Contextual
  indicators (direction 0), descriptions (unit ``text``) and indicators without goalposts
  are shown but not scored. Aggregates left without any scored indicator are dropped.
* **Data.** Index indicators only, status *reported*, the total (no sex / age band /
  disability / district breakdown), a numeric value. Yes/no answers are stored as 1/0.
* **Pipeline.** No denomination (values are stored as rates already), no treatment, the
  version's fixed goalposts on 0–100 (truncated at the posts), the version's aggregation
  and minimum coverage. Because the posts are fixed, a city's score in a year depends only
  on its own data of that year: results are computed city by city and stored
  (:mod:`meirim.reports.computing`), and comparisons between cities are a separate,
  relative analysis (:mod:`meirim.reports.relative`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from django.db import connection

from index_engine import Dataset, Framework, Pipeline, Result, Tolerance, UncertaintySpec
from meirim.catalogue.models import (
    CatalogueVersion,
    Indicator,
    ScoringMethod,
    Unit,
)
from meirim.common.request_memo import memoized
from meirim.data.models import DataRevision, ObservationStatus, revision_key
from meirim.geography.models import Municipality

ROOT = "CFCI"

#: Monte-Carlo analysis of ranks for the comparison page: every weight varies by ±25 %,
#: the normalisation is the version's goalposts or a per-year min-max across cities,
#: treatment off or COINr's default winsorisation.
UNCERTAINTY: Mapping[str, Any] = {
    "draws": 200,
    "seed": 2026,
    "weight_noise": 0.25,
    "normalise": ["pipeline", {"method": "minmax", "lower": 0, "upper": 100}],
    "treat": [False, True],
}

#: A city's own scores: its values placed between the version's fixed goalposts, 0–100,
#: values beyond a post counted as the post.
GOALPOSTS_NORMALISE: Mapping[str, Any] = {"method": "goalposts", "scale": 100, "trunc": True}

#: Cross-sectional normalisation of the relative analysis: min-max across cities per year.
RELATIVE_NORMALISE: Mapping[str, Any] = {"method": "minmax", "lower": 0, "upper": 100}

#: Score bands used instead of league tables.
SCORE_BANDS: tuple[tuple[int, int], ...] = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 100))

# Completeness codes (``ScopeData.status``, ``NodeResult.status``).
MISSING, REPORTED, NO_DATA, OUTSIDE_COMPETENCE, NOT_APPLICABLE = range(5)
STATUS_CODES: Mapping[str, int] = {
    ObservationStatus.REPORTED: REPORTED,
    ObservationStatus.NO_DATA: NO_DATA,
    ObservationStatus.OUTSIDE_COMPETENCE: OUTSIDE_COMPETENCE,
    ObservationStatus.NOT_APPLICABLE: NOT_APPLICABLE,
}

# Why an indicator is not scored.
CONTEXTUAL = "contextual"
DESCRIPTIVE = "text"
NO_POSTS = "no_posts"

TOTAL = {"sex": "", "age_band": "", "disability": "", "district": ""}

FloatArray = npt.NDArray[np.float64]
T = TypeVar("T")


def score_band(score: float | None) -> tuple[int, int] | None:
    if score is None or math.isnan(score):
        return None
    for low, high in SCORE_BANDS:
        if score < high:
            return (low, high)
    return SCORE_BANDS[-1]


# --- Whose data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose data: approved years only (public), or those plus one city's open years."""

    preview_municipality_id: int | None = None

    @property
    def key(self) -> str:
        if self.preview_municipality_id is None:
            return "public"
        return f"preview-{self.preview_municipality_id}"

    @property
    def is_preview(self) -> bool:
        return self.preview_municipality_id is not None

    @classmethod
    def public(cls) -> Scope:
        return cls()

    @classmethod
    def preview(cls, municipality: Municipality) -> Scope:
        return cls(municipality.pk)


_REVISION_SQL = f"SELECT revision FROM {DataRevision._meta.db_table} WHERE version_id = %s"  # noqa: S608


def data_revision(version: CatalogueVersion) -> int:
    """The version's data revision (0 before the first write)."""

    def read() -> int:
        # Asked on every results page: a plain SELECT (the ORM's query building costs more).
        with connection.cursor() as cursor:
            cursor.execute(_REVISION_SQL, [version.pk])
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    return memoized(revision_key(version.pk), read)


# --- The version's scoring method --------------------------------------------------------


@dataclass(frozen=True)
class IndicatorMeta:
    code: str
    subdomain: str
    category: str
    unit: str
    direction: int
    target: float | None
    weight: float = 1.0
    posts: tuple[float, float] | None = None
    subdomain_weight: float = 1.0
    category_weight: float = 1.0


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def catalogue_meta(version: CatalogueVersion) -> tuple[IndicatorMeta, ...]:
    """Every index indicator of the version, in catalogue order (one query)."""
    rows = (
        Indicator.objects.filter(version=version)
        .order_by("order", "code")
        .values_list(
            "code",
            "subdomain__code",
            "subdomain__category__code",
            "unit",
            "direction",
            "target",
            "weight",
            "lower_post",
            "upper_post",
            "subdomain__weight",
            "subdomain__category__weight",
        )
    )
    return tuple(
        IndicatorMeta(
            code,
            sub,
            cat,
            unit,
            int(direction),
            _float(target),
            float(weight),
            None if low is None or high is None else (float(low), float(high)),
            float(sub_weight),
            float(cat_weight),
        )
        for code, sub, cat, unit, direction, target, weight, low, high, sub_weight, cat_weight in (
            rows
        )
    )


def not_scored_by_catalogue(meta: IndicatorMeta) -> str | None:
    if meta.direction == 0:
        return CONTEXTUAL
    if meta.unit == Unit.TEXT:
        return DESCRIPTIVE
    if meta.posts is None:
        return NO_POSTS
    return None


def framework_rows(
    meta: Sequence[IndicatorMeta], node_weights: Mapping[str, float]
) -> list[dict[str, object]]:
    """Framework rows for the scored indicators, in catalogue order."""
    scored = [m for m in meta if not_scored_by_catalogue(m) is None]
    categories = list(dict.fromkeys(m.category for m in scored))
    subdomains = list(dict.fromkeys((m.subdomain, m.category) for m in scored))
    rows: list[dict[str, object]] = [{"code": ROOT, "parent": ""}]
    rows += [{"code": c, "parent": ROOT, "weight": node_weights.get(c, 1.0)} for c in categories]
    rows += [{"code": s, "parent": c, "weight": node_weights.get(s, 1.0)} for s, c in subdomains]
    for m in scored:
        assert m.posts is not None
        rows.append(
            {
                "code": m.code,
                "parent": m.subdomain,
                "weight": m.weight,
                "direction": m.direction,
                "target": m.target,
                "lower_post": m.posts[0],
                "upper_post": m.posts[1],
            }
        )
    return rows


def scoring_method(version: CatalogueVersion) -> ScoringMethod:
    """The version's method (a version made before methods existed gets the defaults)."""
    method, _created = ScoringMethod.objects.get_or_create(version=version)
    return method


@dataclass(frozen=True)
class Scoring:
    """Everything the engine needs from a catalogue version, read once."""

    version_code: str
    meta: tuple[IndicatorMeta, ...]
    not_scored: Mapping[str, str]
    framework: Framework | None
    pipeline: Pipeline
    indicator_tolerance: Tolerance
    score_tolerance: Tolerance
    min_coverage: float

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.meta)

    @property
    def scored(self) -> tuple[str, ...]:
        return self.framework.indicators if self.framework else ()

    @functools.cached_property
    def posts(self) -> dict[str, tuple[float, float]]:
        # Asked once per indicator line of a page: built once.
        scored = set(self.scored)
        return {m.code: m.posts for m in self.meta if m.posts and m.code in scored}

    def uncertainty_spec(self, node: str) -> UncertaintySpec:
        """The declared Monte-Carlo variations for ``node`` ("pipeline" = the goalposts)."""
        options = [
            dict(GOALPOSTS_NORMALISE) if option == "pipeline" else option
            for option in UNCERTAINTY["normalise"]
        ]
        spec = {
            "weight_noise": UNCERTAINTY["weight_noise"],
            "normalise": options,
            "treat": list(UNCERTAINTY["treat"]),
            "node": node,
        }
        return UncertaintySpec.from_mapping(spec, self.pipeline, source="meirim.reports.adapter")

    def relative_pipeline(self) -> Pipeline:
        """The same method with a min-max across cities instead of the fixed goalposts."""
        mapping = pipeline_mapping(self.pipeline.aggregate.method, self.min_coverage)
        mapping["normalise"] = dict(RELATIVE_NORMALISE)
        return Pipeline.from_mapping(mapping, source="meirim.reports.adapter.RELATIVE")


def pipeline_mapping(aggregation: str, min_coverage: float) -> dict[str, Any]:
    """The engine pipeline of a scoring method, as data."""
    return {
        "denominate": False,
        "treat": "none",
        "normalise": dict(GOALPOSTS_NORMALISE),
        "aggregate": {"method": aggregation, "min_coverage": min_coverage},
    }


def scoring(version: CatalogueVersion) -> Scoring:
    """Read the version's catalogue and scoring method (two small queries)."""
    method = scoring_method(version)
    meta = catalogue_meta(version)
    node_weights = {m.subdomain: m.subdomain_weight for m in meta} | {
        m.category: m.category_weight for m in meta
    }
    not_scored = {m.code: r for m in meta if (r := not_scored_by_catalogue(m)) is not None}
    framework = None
    if len(not_scored) < len(meta):
        framework = Framework.from_rows(framework_rows(meta, node_weights), source="catalogue")
    min_coverage = float(method.min_coverage)
    pipeline = Pipeline.from_mapping(
        pipeline_mapping(method.aggregation, min_coverage), source="catalogue scoring method"
    )
    return Scoring(
        version_code=version.code,
        meta=meta,
        not_scored=not_scored,
        framework=framework,
        pipeline=pipeline,
        indicator_tolerance=Tolerance(
            absolute=float(method.indicator_tolerance_absolute),
            relative=float(method.indicator_tolerance_relative),
        ),
        score_tolerance=Tolerance(absolute=float(method.score_tolerance_absolute)),
        min_coverage=min_coverage,
    )


# --- Results as the pages read them -----------------------------------------------------


@dataclass
class ScopeData:
    """The index indicators' total observations of the cities a page shows, dense.

    ``values``/``status`` are (units, indicators, years); ``demo`` (units, years) marks
    cells holding demonstration data; ``unit_years[u]`` lists the data years of unit ``u``
    that the reader may see.
    """

    units: tuple[str, ...]
    codes: tuple[str, ...]
    years: tuple[int, ...]
    values: FloatArray
    status: npt.NDArray[np.uint8]
    demo: npt.NDArray[np.bool_]
    unit_years: tuple[tuple[int, ...], ...]
    # (units, years): the year has at least one reported value (None: read ``status``).
    reported: npt.NDArray[np.bool_] | None = None
    # (units, indicators, years): a small count hidden from the public (its value is NaN).
    suppressed: npt.NDArray[np.bool_] | None = None

    def hidden(self, u: int, c: int, y: int) -> bool:
        return self.suppressed is not None and bool(self.suppressed[u, c, y])

    @property
    def any_demo(self) -> bool:
        return bool(self.demo.any())


def engine_dataset(data: ScopeData, framework: Framework) -> Dataset | None:
    """The scored indicators' values as an engine dataset (None when there is none)."""
    position = {c: i for i, c in enumerate(data.codes)}
    block = data.values[:, [position[c] for c in framework.indicators], :]
    u, s, y = np.nonzero(~np.isnan(block))
    if u.size == 0:
        return None
    return Dataset.from_arrays(
        data.units, framework.indicators, data.years, u, s, y, block[u, s, y], source="meirim"
    )


def stored_result(
    scoring: Scoring,
    data: ScopeData,
    normalised: FloatArray,
    scores: FloatArray,
    indicator_reasons: npt.NDArray[np.uint8],
    score_reasons: npt.NDArray[np.uint8],
) -> Result | None:
    """An engine :class:`~index_engine.Result` rebuilt from stored rows, so that the engine's
    pure read functions (``progress``, ``explain``) work on it; nothing is recomputed."""
    fw = scoring.framework
    if fw is None:
        return None
    position = {c: i for i, c in enumerate(data.codes)}
    raw = data.values[:, [position[c] for c in fw.indicators], :]
    n_years = len(data.years)
    return Result(
        framework=fw,
        pipeline=scoring.pipeline,
        units=data.units,
        years=data.years,
        denominated=raw,
        treated=raw,
        normalised=normalised,
        scores=scores,
        ranks=np.zeros(scores.shape, dtype=np.int64),
        indicator_reasons=indicator_reasons,
        score_reasons=score_reasons,
        treatment=np.zeros((len(fw.indicators), n_years), dtype=np.int64),
        winsorised_points=np.zeros((len(fw.indicators), n_years), dtype=np.int64),
    )


@dataclass
class IndexResults:
    """The stored results of the cities (and nodes) one page shows, with their freshness."""

    version_code: str
    revision: int
    scoring: Scoring
    data: ScopeData
    result: Result | None
    computed_at: datetime | None = None
    updating: bool = False  # newer data wait for the worker; these results are older
    _unit_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._unit_index = {u: i for i, u in enumerate(self.data.units)}

    def unit_index(self, code: str) -> int | None:
        return self._unit_index.get(code)

    @property
    def meta(self) -> tuple[IndicatorMeta, ...]:
        return self.scoring.meta

    @property
    def framework(self) -> Framework | None:
        return self.scoring.framework

    @property
    def not_scored(self) -> Mapping[str, str]:
        return self.scoring.not_scored

    @property
    def posts(self) -> dict[str, tuple[float, float]]:
        return self.scoring.posts

    @property
    def scored(self) -> tuple[str, ...]:
        return self.scoring.scored


# --- Per-process memo of a published version's reads ---------------------------------------

#: Entries kept per process: a few versions × their latest revisions.
MEMO_SIZE = 16
_memo: dict[tuple[str, int, str, int], Any] = {}


def version_memo(version: CatalogueVersion, name: str, build: Callable[[], T]) -> T:
    """``build()`` once per (published version, data revision) in this process.

    A published version never changes; the one set-up step allowed to set a published
    version's goalposts bumps its data revision, so a memo keyed by the revision is never
    stale. Drafts are read afresh every time.
    """
    if not version.is_published:
        return build()
    key = (name, version.pk, str(version.published_at), data_revision(version))
    if key not in _memo:
        while len(_memo) >= MEMO_SIZE:
            _memo.pop(next(iter(_memo)))
        _memo[key] = build()
    value: T = _memo[key]
    return value


def memo_clear() -> None:
    _memo.clear()


def scoring_for_pages(version: CatalogueVersion) -> Scoring:
    """:func:`scoring`, memoised for pages (the worker always reads afresh)."""
    return version_memo(version, "scoring", lambda: scoring(version))
