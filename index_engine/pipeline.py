"""The pipeline: which method each stage uses, declared as data (YAML/JSON/dict).

Example (YAML)::

    denominate: true
    treat: {method: winsorise}            # or: none
    normalise: {method: minmax, lower: 0, upper: 100}
    aggregate: {method: amean, min_coverage: 0.5}
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .errors import Problem, raise_if

__all__ = [
    "AGGREGATE_METHODS",
    "NORMALISE_METHODS",
    "AggregateSpec",
    "NormaliseSpec",
    "Pipeline",
    "TreatSpec",
]

TREAT_METHODS = ("none", "winsorise")
NORMALISE_METHODS = ("minmax", "zscore", "dist2target", "goalposts", "rank")
AGGREGATE_METHODS = ("amean", "gmean", "hmean")


@dataclass(frozen=True)
class TreatSpec:
    """COINr ``Treat`` defaults: winsorise up to ``winmax`` points while
    ``|skew| >= skew_thresh`` and ``kurt >= kurt_thresh``; if that fails, ``log_CT`` the
    original values (``log_fallback``)."""

    method: str = "none"
    winmax: int = 5
    skew_thresh: float = 2.0
    kurt_thresh: float = 3.5
    log_fallback: bool = True

    @property
    def enabled(self) -> bool:
        return self.method != "none"


@dataclass(frozen=True)
class NormaliseSpec:
    """Normalisation method and its parameters (unused parameters are ignored).

    * ``minmax``: ``lower``, ``upper`` (COINr ``l_u``, default 0..100)
    * ``zscore``: ``mean``, ``sd`` (COINr ``m_sd``, default 0, 1)
    * ``dist2target``: ``cap`` (COINr ``cap_max``), ``scale`` (default 1); targets from
      the framework ``target`` column
    * ``goalposts``: ``posts`` {code: (lower, upper)} overriding framework
      ``lower_post``/``upper_post``; ``scale`` (default 100); ``trunc`` (COINr
      ``trunc2posts``, default true)
    * ``rank``: COINr ``n_rank`` (ties "min", higher value -> higher rank)
    """

    method: str = "minmax"
    lower: float = 0.0
    upper: float = 100.0
    mean: float = 0.0
    sd: float = 1.0
    cap: bool = False
    scale: float | None = None
    posts: Mapping[str, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({}))
    trunc: bool = True

    @property
    def effective_scale(self) -> float:
        if self.scale is not None:
            return self.scale
        return 100.0 if self.method == "goalposts" else 1.0


@dataclass(frozen=True)
class AggregateSpec:
    """Weighted ``amean``/``gmean``/``hmean``; missing children are dropped and weights
    renormalised while the present children carry at least ``min_coverage`` of the
    node's total weight."""

    method: str = "amean"
    min_coverage: float = 0.0


@dataclass(frozen=True)
class Pipeline:
    denominate: bool = True
    treat: TreatSpec = field(default_factory=TreatSpec)
    normalise: NormaliseSpec = field(default_factory=NormaliseSpec)
    aggregate: AggregateSpec = field(default_factory=AggregateSpec)
    source: str = field(default="pipeline", compare=False)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, object], source: str = "pipeline") -> Pipeline:
        """Validate a parsed YAML/JSON mapping; all problems are reported together."""
        p = _Parser(source)
        if not isinstance(spec, Mapping):
            raise_if([Problem(source, None, None, "the pipeline must be a mapping")])
        p.unknown_keys(spec, ("denominate", "treat", "normalise", "aggregate"), "")
        denominate = p.boolean(spec.get("denominate", True), "denominate")
        treat = parse_treat(spec.get("treat", "none"), p)
        normalise = parse_normalise(spec.get("normalise", "minmax"), p, "normalise")
        aggregate = parse_aggregate(spec.get("aggregate", "amean"), p, "aggregate")
        raise_if(p.problems)
        return cls(denominate, treat, normalise, aggregate, source)


class _Parser:
    """Collects problems while reading nested pipeline mappings."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def bad(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.source, None, key, message))

    def unknown_keys(self, m: Mapping[str, object], allowed: tuple[str, ...], path: str) -> None:
        for k in m:
            if k not in allowed:
                where = f"{path}.{k}" if path else str(k)
                self.bad(where, f"unknown key (allowed: {', '.join(allowed)})")

    def boolean(self, v: object, key: str) -> bool:
        if isinstance(v, bool):
            return v
        self.bad(key, f"expected true or false, got {v!r}")
        return False

    def number(self, v: object, key: str, default: float) -> float:
        if isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v):
            return float(v)
        self.bad(key, f"expected a number, got {v!r}")
        return default

    def method(
        self, v: object, key: str, allowed: tuple[str, ...]
    ) -> tuple[str, dict[str, object]]:
        """Accept ``name`` or ``{method: name, ...params}``."""
        if v is None:
            v = "none"
        if isinstance(v, str):
            params: dict[str, object] = {"method": v}
        elif isinstance(v, Mapping):
            params = {str(k): val for k, val in v.items()}
        else:
            self.bad(key, f"expected a method name or a mapping, got {v!r}")
            return allowed[0], {}
        name = params.get("method")
        if name not in allowed:
            self.bad(f"{key}.method", f"unknown method {name!r} (allowed: {', '.join(allowed)})")
            return allowed[0], {}
        return str(name), params


def parse_treat(v: object, p: _Parser) -> TreatSpec:
    name, params = p.method(v, "treat", TREAT_METHODS)
    p.unknown_keys(
        params, ("method", "winmax", "skew_thresh", "kurt_thresh", "log_fallback"), "treat"
    )
    d = TreatSpec()
    winmax = p.number(params.get("winmax", d.winmax), "treat.winmax", d.winmax)
    if not float(winmax).is_integer() or winmax < 0:
        p.bad("treat.winmax", "winmax must be a whole number >= 0")
    return TreatSpec(
        method=name,
        winmax=int(winmax),
        skew_thresh=p.number(params.get("skew_thresh", d.skew_thresh), "treat.skew_thresh", 2),
        kurt_thresh=p.number(params.get("kurt_thresh", d.kurt_thresh), "treat.kurt_thresh", 3.5),
        log_fallback=p.boolean(params.get("log_fallback", True), "treat.log_fallback"),
    )


def parse_normalise(v: object, p: _Parser, key: str) -> NormaliseSpec:
    name, params = p.method(v, key, NORMALISE_METHODS)
    allowed = {
        "minmax": ("lower", "upper"),
        "zscore": ("mean", "sd"),
        "dist2target": ("cap", "scale"),
        "goalposts": ("posts", "scale", "trunc"),
        "rank": (),
    }[name]
    p.unknown_keys(params, ("method", *allowed), key)
    d = NormaliseSpec()
    lower = p.number(params.get("lower", d.lower), f"{key}.lower", d.lower)
    upper = p.number(params.get("upper", d.upper), f"{key}.upper", d.upper)
    mean = p.number(params.get("mean", d.mean), f"{key}.mean", d.mean)
    sd = p.number(params.get("sd", d.sd), f"{key}.sd", d.sd)
    if sd <= 0:
        p.bad(f"{key}.sd", "sd must be positive")
    scale: float | None = None
    if "scale" in params:
        scale = p.number(params["scale"], f"{key}.scale", 1.0)
    posts: dict[str, tuple[float, float]] = {}
    raw_posts = params.get("posts", {})
    if not isinstance(raw_posts, Mapping):
        p.bad(f"{key}.posts", "expected a mapping {indicator: [lower, upper]}")
        raw_posts = {}
    for code, pair in raw_posts.items():
        where = f"{key}.posts.{code}"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            p.bad(where, f"expected [lower, upper], got {pair!r}")
            continue
        lo, hi = (p.number(x, where, 0.0) for x in pair)
        if not lo < hi:
            p.bad(where, "upper post must be greater than lower post")
        posts[str(code)] = (lo, hi)
    return NormaliseSpec(
        method=name,
        lower=lower,
        upper=upper,
        mean=mean,
        sd=sd,
        cap=p.boolean(params.get("cap", False), f"{key}.cap"),
        scale=scale,
        posts=MappingProxyType(posts),
        trunc=p.boolean(params.get("trunc", True), f"{key}.trunc"),
    )


def parse_aggregate(v: object, p: _Parser, key: str) -> AggregateSpec:
    name, params = p.method(v, key, AGGREGATE_METHODS)
    p.unknown_keys(params, ("method", "min_coverage"), key)
    cov = p.number(params.get("min_coverage", 0.0), f"{key}.min_coverage", 0.0)
    if not 0.0 <= cov <= 1.0:
        p.bad(f"{key}.min_coverage", "min_coverage must be between 0 and 1")
    return AggregateSpec(name, cov)
