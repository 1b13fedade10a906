"""The one adapter from the database to :mod:`index_engine`.

It reads a catalogue version and the cities' observations and hands the engine three
inputs — a framework, a dataset and a pipeline — then keeps what the pages need.

What is scored, and how, is declared here as data (``PIPELINE``, ``PROGRESS``,
``UNCERTAINTY``) and explained in plain words on the methodology page
(``templates/reports/method.html``):

* **Framework.** Root ``CFCI`` → categories C1–C6 → sub-domains S01–S11 → indicators
  I01–I74, every weight 1, each indicator's ``direction`` from the catalogue. Indicators
  with direction 0 (contextual) or unit ``text`` are shown but not scored. Aggregates left
  without any scored indicator are dropped (the engine would take them for indicators).
* **Data.** Index indicators only, status *reported*, the total (no sex / age band /
  disability / district breakdown), a numeric value. Yes/no answers are stored as 1/0.
  *Whose data:* the public sees only approved data years; a previewing city adds its own
  years that are not yet approved (``Scope``).
* **Pipeline.** No denomination (values are stored as rates already), no treatment,
  goalposts normalisation on 0–100 with posts fixed across years (as the Child Opportunity
  Index does, so that a score change is a real change and not a change of the others),
  arithmetic mean with at least half of the weight present.
* **Goalposts.** For each indicator: the lowest and the highest value of any municipality
  in any year of the data in scope; when a national target lies beyond the best value, the
  target becomes the post on the good side. Yes/no indicators always use 0 and 1. When all
  values are equal there is nothing to scale: a percentage then uses 0 and 100, any other
  indicator is not scored ("no spread").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Exists, OuterRef, Q

from index_engine import (
    Dataset,
    Framework,
    Pipeline,
    Result,
    Tolerance,
    UncertaintySpec,
    compute,
)
from meirim.catalogue.models import CatalogueVersion, Indicator, Unit
from meirim.data.models import DataRevision, DataYear, Observation, ObservationStatus
from meirim.geography.models import Municipality

ROOT = "CFCI"

#: The engine pipeline, as data. The goalposts themselves come from the data in scope and
#: travel in the framework (``lower_post`` / ``upper_post``), see :func:`goalposts`.
PIPELINE: Mapping[str, Any] = {
    "denominate": False,
    "treat": "none",
    "normalise": {"method": "goalposts", "scale": 100, "trunc": True},
    "aggregate": {"method": "amean", "min_coverage": 0.5},
}

#: "No change" bands: indicators within 1 % of their baseline value (and of the target),
#: scores (0–100) within 1 point.
PROGRESS: Mapping[str, Mapping[str, float]] = {
    "indicator_tolerance": {"absolute": 0.0, "relative": 0.01},
    "score_tolerance": {"absolute": 1.0, "relative": 0.0},
}

#: Monte-Carlo analysis of ranks for the comparison page: every weight varies by ±25 %,
#: the normalisation is the pipeline's goalposts or a per-year min-max, treatment off or
#: COINr's default winsorisation.
UNCERTAINTY: Mapping[str, Any] = {
    "draws": 200,
    "seed": 2026,
    "weight_noise": 0.25,
    "normalise": ["pipeline", {"method": "minmax", "lower": 0, "upper": 100}],
    "treat": [False, True],
}

#: Score bands used instead of league tables.
SCORE_BANDS: tuple[tuple[int, int], ...] = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 100))

# Completeness codes (``ScopeData.status``).
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
NO_SPREAD = "no_spread"

TOTAL = {"sex": "", "age_band": "", "disability": "", "district": ""}

FloatArray = npt.NDArray[np.float64]


def indicator_tolerance() -> Tolerance:
    return Tolerance(**PROGRESS["indicator_tolerance"])


def score_tolerance() -> Tolerance:
    return Tolerance(**PROGRESS["score_tolerance"])


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


def data_revision(version: CatalogueVersion) -> int:
    """The version's data revision (0 before the first write)."""
    revision = (
        DataRevision.objects.filter(version=version).values_list("revision", flat=True).first()
    )
    return int(revision or 0)


# --- Framework ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorMeta:
    code: str
    subdomain: str
    category: str
    unit: str
    direction: int
    target: float | None


def catalogue_meta(version: CatalogueVersion) -> tuple[IndicatorMeta, ...]:
    """Every index indicator of the version, in catalogue order (one query)."""
    rows = (
        Indicator.objects.filter(version=version)
        .order_by("order", "code")
        .values_list(
            "code", "subdomain__code", "subdomain__category__code", "unit", "direction", "target"
        )
    )
    return tuple(
        IndicatorMeta(code, sub, cat, unit, int(direction), None if t is None else float(t))
        for code, sub, cat, unit, direction, t in rows
    )


def not_scored_by_catalogue(meta: IndicatorMeta) -> str | None:
    if meta.direction == 0:
        return CONTEXTUAL
    if meta.unit == Unit.TEXT:
        return DESCRIPTIVE
    return None


def framework_rows(
    meta: Sequence[IndicatorMeta], posts: Mapping[str, tuple[float, float]]
) -> list[dict[str, object]]:
    """Framework rows for the scored indicators (those with posts), in catalogue order."""
    scored = [m for m in meta if m.code in posts]
    categories = list(dict.fromkeys(m.category for m in scored))
    subdomains = list(dict.fromkeys((m.subdomain, m.category) for m in scored))
    rows: list[dict[str, object]] = [{"code": ROOT, "parent": ""}]
    rows += [{"code": c, "parent": ROOT, "weight": 1} for c in categories]
    rows += [{"code": s, "parent": c, "weight": 1} for s, c in subdomains]
    rows += [
        {
            "code": m.code,
            "parent": m.subdomain,
            "weight": 1,
            "direction": m.direction,
            "target": m.target,
            "lower_post": posts[m.code][0],
            "upper_post": posts[m.code][1],
        }
        for m in scored
    ]
    return rows


def pipeline() -> Pipeline:
    return Pipeline.from_mapping(PIPELINE, source="meirim.reports.adapter.PIPELINE")


# --- Data --------------------------------------------------------------------------------


@dataclass
class ScopeData:
    """The index indicators' total observations in scope, dense.

    ``values``/``status`` are (units, indicators, years) over every municipality with a
    data year in scope; ``demo`` (units, years) marks cells holding demonstration data;
    ``unit_years[u]`` lists the data years in scope of unit ``u``.
    """

    units: tuple[str, ...]
    codes: tuple[str, ...]
    years: tuple[int, ...]
    values: FloatArray
    status: npt.NDArray[np.uint8]
    demo: npt.NDArray[np.bool_]
    unit_years: tuple[tuple[int, ...], ...]

    @property
    def any_demo(self) -> bool:
        return bool(self.demo.any())


def _in_scope(version: CatalogueVersion, scope: Scope) -> Q:
    approved = DataYear.objects.filter(
        version=version,
        municipality=OuterRef("municipality"),
        year=OuterRef("year"),
        state=DataYear.State.APPROVED,
    )
    condition = Q(Exists(approved))
    if scope.preview_municipality_id is not None:
        condition |= Q(municipality_id=scope.preview_municipality_id)
    return condition


def load_scope_data(version: CatalogueVersion, scope: Scope, codes: Sequence[str]) -> ScopeData:
    """Three small queries: the data years in scope, their municipalities' codes, then the
    total observations in scope (fetched as plain tuples and placed with numpy)."""
    year_rows = DataYear.objects.filter(version=version).order_by()
    if scope.preview_municipality_id is None:
        year_rows = year_rows.filter(state=DataYear.State.APPROVED)
    else:
        year_rows = year_rows.filter(
            Q(state=DataYear.State.APPROVED) | Q(municipality_id=scope.preview_municipality_id)
        )
    pairs = set(year_rows.values_list("municipality_id", "year"))
    rows = list(
        Observation.objects.filter(version=version, code__in=list(codes), **TOTAL)
        .filter(_in_scope(version, scope))
        .order_by()
        .values_list("municipality_id", "code", "year", "status", "value", "is_demo")
    )
    pairs.update((row[0], row[2]) for row in rows)
    unit_ids = {m for m, _year in pairs}
    code_of = dict(
        Municipality.objects.filter(pk__in=unit_ids).order_by().values_list("pk", "code")
    )
    units = tuple(sorted(code_of.values()))
    position = {code: i for i, code in enumerate(units)}
    years = tuple(sorted({year for _m, year in pairs}))
    u_ix = {pk: position[code] for pk, code in code_of.items()}
    c_ix = {c: i for i, c in enumerate(codes)}
    y_ix = {y: i for i, y in enumerate(years)}
    shape = (len(units), len(codes), len(years))
    values = np.full(shape, np.nan)
    status = np.zeros(shape, dtype=np.uint8)
    demo = np.zeros((len(units), len(years)), dtype=bool)
    if rows:
        unit_ids_col, code_col, year_col, state_col, value_col, demo_col = zip(*rows, strict=True)
        u = np.fromiter((u_ix[m] for m in unit_ids_col), np.int64, len(rows))
        c = np.fromiter((c_ix[x] for x in code_col), np.int64, len(rows))
        y = np.fromiter((y_ix[x] for x in year_col), np.int64, len(rows))
        st = np.fromiter((STATUS_CODES.get(x, MISSING) for x in state_col), np.uint8, len(rows))
        numbers = np.array(value_col, dtype=np.float64)  # None -> NaN
        status[u, c, y] = st
        keep = (st == REPORTED) & ~np.isnan(numbers)
        values[u[keep], c[keep], y[keep]] = numbers[keep]
        flagged = np.fromiter(demo_col, bool, len(rows))
        demo[u[flagged], y[flagged]] = True
    per_unit: list[set[int]] = [set() for _ in units]
    for pk, year in pairs:
        per_unit[u_ix[pk]].add(year)
    return ScopeData(
        units=units,
        codes=tuple(codes),
        years=years,
        values=values,
        status=status,
        demo=demo,
        unit_years=tuple(tuple(sorted(ys)) for ys in per_unit),
    )


def goalposts(
    meta: Sequence[IndicatorMeta], data: ScopeData
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """Posts per scored indicator, fixed across years; and the reasons others are not scored."""
    posts: dict[str, tuple[float, float]] = {}
    not_scored: dict[str, str] = {}
    c_ix = {c: i for i, c in enumerate(data.codes)}
    for m in meta:
        reason = not_scored_by_catalogue(m)
        if reason:
            not_scored[m.code] = reason
            continue
        if m.unit == Unit.YESNO:
            posts[m.code] = (0.0, 1.0)
            continue
        column = data.values[:, c_ix[m.code], :]
        present = column[~np.isnan(column)]
        if present.size == 0:
            posts[m.code] = (0.0, 1.0)  # no value anywhere: the posts are never used
            continue
        low, high = float(present.min()), float(present.max())
        if m.target is not None:
            if m.direction > 0 and m.target > high:
                high = m.target
            if m.direction < 0 and m.target < low:
                low = m.target
        if low < high:
            posts[m.code] = (low, high)
        elif m.unit == Unit.PERCENT:
            posts[m.code] = (0.0, 100.0)
        else:
            not_scored[m.code] = NO_SPREAD
    return posts, not_scored


def dataset(data: ScopeData, framework: Framework) -> Dataset | None:
    """The scored indicators' values as an engine dataset (None when there is none)."""
    scored = [data.codes.index(c) for c in framework.indicators]
    block = data.values[:, scored, :]
    u, s, y = np.nonzero(~np.isnan(block))
    if u.size == 0:
        return None
    return Dataset.from_arrays(
        data.units, framework.indicators, data.years, u, s, y, block[u, s, y], source="meirim"
    )


# --- Results -----------------------------------------------------------------------------


@dataclass
class IndexResults:
    """What a page needs for one (version, revision, scope); cached as a whole."""

    version_code: str
    revision: int
    scope_key: str
    meta: tuple[IndicatorMeta, ...]
    data: ScopeData
    posts: dict[str, tuple[float, float]]
    not_scored: dict[str, str]
    framework: Framework | None
    result: Result | None
    _unit_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._unit_index = {u: i for i, u in enumerate(self.data.units)}

    def unit_index(self, code: str) -> int | None:
        return self._unit_index.get(code)

    @property
    def scored(self) -> tuple[str, ...]:
        return self.framework.indicators if self.framework else ()

    def engine_dataset(self) -> Dataset | None:
        return dataset(self.data, self.framework) if self.framework else None

    def uncertainty_spec(self, node: str) -> UncertaintySpec:
        """The declared Monte-Carlo variations for ``node`` ("pipeline" = its goalposts)."""
        options = [
            PIPELINE["normalise"] if option == "pipeline" else option
            for option in UNCERTAINTY["normalise"]
        ]
        spec = {
            "weight_noise": UNCERTAINTY["weight_noise"],
            "normalise": options,
            "treat": list(UNCERTAINTY["treat"]),
            "node": node,
        }
        return UncertaintySpec.from_mapping(spec, pipeline(), source="meirim.reports.adapter")


def compute_results(version: CatalogueVersion, revision: int, scope: Scope) -> IndexResults:
    """Read the catalogue and the data in scope, and run the engine once."""
    meta = catalogue_meta(version)
    data = load_scope_data(version, scope, [m.code for m in meta])
    posts, not_scored = goalposts(meta, data)
    framework = None
    if posts:
        framework = Framework.from_rows(framework_rows(meta, posts), source="catalogue")
    result = None
    if framework is not None:
        engine_data = dataset(data, framework)
        if engine_data is not None:
            result = compute(framework, engine_data, pipeline())
            # The pages index the engine's arrays with the data's own unit and year order.
            assert result.units == data.units and result.years == data.years
    return IndexResults(
        version_code=version.code,
        revision=revision,
        scope_key=scope.key,
        meta=meta,
        data=data,
        posts=posts,
        not_scored=not_scored,
        framework=framework,
        result=result,
    )
