"""Computed results, kept in Django's cache under (catalogue version, data revision, scope).

Every data write bumps ``DataRevision.revision`` in its own transaction, so a new write
means a new key: results are computed once per revision (by the first request that needs
them) and never served stale, in every process, without a nightly batch. Old keys are
simply never asked for again and expire.

The engine's results hold read-only mappings that the standard pickler refuses, so entries
are pickled here with a private dispatch table (no global registration) and stored as bytes.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from django.core.cache import cache

from index_engine import uncertainty
from meirim.catalogue.models import CatalogueVersion
from meirim.reports import adapter
from meirim.reports.adapter import IndexResults, Scope

PREFIX = "meirim:reports:1"
#: Entries are keyed by revision, so they can live long; a week bounds dead entries.
TIMEOUT_SECONDS = 7 * 24 * 3600

T = TypeVar("T")


def _mappingproxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_mappingproxy(
    proxy: MappingProxyType[Any, Any],
) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    return _mappingproxy, (dict(proxy),)


def dumps(obj: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[MappingProxyType] = _reduce_mappingproxy
    pickler.dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    # Our own entries in the project's cache, which Django's backends unpickle alike.
    return pickle.loads(data)  # noqa: S301


def results_key(version_code: str, revision: int, scope_key: str) -> str:
    return f"{PREFIX}:results:{version_code}:{revision}:{scope_key}".replace(" ", "_")


# One process computes a revision's results; the others wait for them (up to WAIT_SECONDS)
# instead of all recomputing at once after every data write.
LOCK_SECONDS = 300
WAIT_SECONDS = 30
POLL_SECONDS = 0.2


def index_results(version: CatalogueVersion, scope: Scope) -> IndexResults:
    """The version's results for ``scope`` at the current data revision."""
    revision = adapter.data_revision(version)
    key = results_key(version.code, revision, scope.key)
    stored = cache.get(key)
    if stored is not None:
        results: IndexResults = loads(stored)
        return results
    lock = f"{key}:computing"
    if not cache.add(lock, 1, LOCK_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            stored = cache.get(key)
            if stored is not None:
                waited: IndexResults = loads(stored)
                return waited
    try:
        results = adapter.compute_results(version, revision, scope)
        cache.set(key, dumps(results), TIMEOUT_SECONDS)
    finally:
        cache.delete(lock)
    return results


def results_warm(version: CatalogueVersion, municipality_ids: Sequence[int] = ()) -> int:
    """Compute (or find) the current revision's results, public and as the municipalities'
    own users preview them, so that pages read them instead of computing. Returns the
    revision warmed."""
    revision = adapter.data_revision(version)
    index_results(version, Scope.public())
    for municipality_id in municipality_ids:
        index_results(version, Scope(preview_municipality_id=municipality_id))
    return revision


def derived(base: str, name: str, parts: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """Anything computed from the results under key ``base`` (rank intervals, chart SVG),
    cached alongside them: a new revision makes new keys for these too."""
    suffix = ":".join(str(p) for p in parts).replace(" ", "_")
    key = f"{base}:{name}:{suffix}"
    stored = cache.get(key)
    if stored is not None:
        value: T = loads(stored)
        return value
    value = build()
    cache.set(key, dumps(value), TIMEOUT_SECONDS)
    return value


def key_of(results: IndexResults) -> str:
    return results_key(results.version_code, results.revision, results.scope_key)


@dataclass(frozen=True)
class RankIntervals:
    """Per unit and year: median rank and 5–95 % interval over the draws; NaN = no score."""

    node: str
    draws: int
    units: tuple[str, ...]
    years: tuple[int, ...]
    median: npt.NDArray[np.float64]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    ranked: tuple[int, ...]  # how many units have a score, per year


def rank_intervals(results: IndexResults, node: str) -> RankIntervals | None:
    """``index_engine.uncertainty`` for ``node``, once per revision and scope."""
    if results.framework is None or node not in results.framework.aggregates:
        return None
    draws = int(adapter.UNCERTAINTY["draws"])
    seed = int(adapter.UNCERTAINTY["seed"])

    def build() -> RankIntervals | None:
        data = results.engine_dataset()
        if data is None or results.framework is None:
            return None
        mc = uncertainty(results.framework, data, results.uncertainty_spec(node), draws, seed)
        ranked = tuple(int(n) for n in (~np.isnan(mc.nominal_rank)).sum(axis=0))
        return RankIntervals(
            node=node,
            draws=draws,
            units=mc.units,
            years=mc.years,
            median=np.asarray(mc.median_rank),
            low=np.asarray(mc.q05),
            high=np.asarray(mc.q95),
            ranked=ranked,
        )

    return derived(key_of(results), "ranks", (node, draws, seed), build)
