"""Charts and other figures drawn from stored results, kept in Django's cache.

The results themselves are stored in tables (:mod:`meirim.reports.models`); what is cached
here is only what is drawn from them (chart SVG), under a key naming the results' own key
(:attr:`meirim.reports.adapter.IndexResults.cache_key`), so a new computation means new
keys. Old keys are simply never asked for again and expire.

The entries are pickled here with a private dispatch table (no global registration) and
stored as bytes.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from collections.abc import Callable, Hashable
from types import MappingProxyType
from typing import Any, TypeVar

from django.core.cache import cache

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
