"""Paging of the API's lists, done in the database.

Every list is cut with LIMIT (and a keyset ``WHERE id > after`` or an OFFSET) before a row
is turned into JSON, so a page costs the same whatever the size of the table. A page is
``{"items": [...], "count": ..., "next": ...}``: ``next`` is the absolute URL of the
following page, or null on the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import create_model

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# Larger numbers cannot be an offset or a key in the database (bigint): a 422, not a 500.
MAX_POSITION = 2**63 - 1 - MAX_LIMIT

LIMIT_DESCRIPTION = (
    f"Items per page: {DEFAULT_LIMIT} by default, at most {MAX_LIMIT} (a larger value is "
    f"reduced to {MAX_LIMIT})."
)


class OffsetParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, description=LIMIT_DESCRIPTION)
    offset: int = Field(
        0, ge=0, le=MAX_POSITION, description="Items to skip; follow `next` instead of counting."
    )


class KeysetParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, description=LIMIT_DESCRIPTION)
    after: int | None = Field(
        None,
        ge=0,
        le=MAX_POSITION,
        description="Return the items whose `id` is greater than this one.",
    )
    offset: int = Field(
        0,
        ge=0,
        le=MAX_POSITION,
        description="Deprecated: items to skip. Follow `next`, which uses `after`.",
    )


def clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _url(request: HttpRequest, **params: Any) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


NEXT_DESCRIPTION = "URL of the next page; null on the last page."


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The schema of a page of ``item``: ``{"items": [...], "count": int, "next": url}``."""
    return create_model(
        name,
        __base__=Schema,
        items=(list[item], ...),  # type: ignore[valid-type]
        count=(int, ...),
        next=(str | None, Field(description=NEXT_DESCRIPTION)),
    )


def offset_page(
    queryset: QuerySet[Any],
    *,
    params: OffsetParams,
    request: HttpRequest,
    item: Callable[[Any], Any],
) -> dict[str, Any]:
    """One page by LIMIT/OFFSET over an ordered queryset, with the total count; only the
    page's rows are turned into items."""
    limit = clamp(params.limit)
    offset = params.offset
    count = queryset.count()
    rows = queryset[offset : offset + limit]
    more = offset + limit < count
    return {
        "items": [item(row) for row in rows],
        "count": count,
        "next": _url(request, limit=limit, offset=offset + limit) if more else None,
    }


def keyset_page(
    queryset: QuerySet[Any],
    *,
    limit: int,
    after: int | None,
    request: HttpRequest,
    offset: int = 0,
) -> tuple[list[Any], str | None]:
    """One page in primary-key order, starting after ``after``; no count.

    One extra row is fetched to know whether a next page exists. ``offset`` is kept for
    clients written before keyset paging; the ``next`` link always continues by keyset.
    """
    limit = clamp(limit)
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("pk")[offset : offset + limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, _url(request, limit=limit, after=rows[-1].pk, offset=None)
