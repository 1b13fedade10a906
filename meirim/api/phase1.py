"""Pieces every Phase 1 operation shares: the municipality of the path, and the refusals."""

from __future__ import annotations

from django.http import Http404
from ninja import Schema

from meirim.geography.models import Municipality
from meirim.geography.selectors import municipality_find


class ErrorItem(Schema):
    field: str
    message: str


class RefusedOut(Schema):
    """400: what was refused, field by field; nothing was saved."""

    detail: str
    errors: list[ErrorItem]


class ErrorOut(Schema):
    detail: str


def municipality_or_404(code: str) -> Municipality:
    municipality = municipality_find(code)
    if municipality is None:
        raise Http404
    return municipality
