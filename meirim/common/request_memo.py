"""Values read once per request: a page asks several layers for the same counter (the data
revision), each a database round trip. Outside a request nothing is kept."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("meirim_request_memo", default=None)


def memoized(key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per request under ``key``; every time outside a request."""
    memo = _MEMO.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    value: T = memo[key]
    return value


def remember(key: Hashable, value: object) -> None:
    """Keep ``value`` under ``key`` for the rest of the request (read along with another)."""
    memo = _MEMO.get()
    if memo is not None:
        memo[key] = value


def forget(key: Hashable) -> None:
    """Drop ``key`` (its value was just changed by this request)."""
    memo = _MEMO.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _MEMO.set({})
        try:
            return self.get_response(request)
        finally:
            _MEMO.reset(token)
