"""Filters that show a frozen portfolio's content in the current language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from meirim.portfolio import rendering

register = template.Library()


@register.filter
def pick(names: Any) -> str:
    """``{{ item.name|pick }}``: a frozen ``{"kk": …}`` dict in the reader's language."""
    return rendering.pick(names, get_language() or "en")


@register.filter
def code_label(code: Any, kind: str) -> str:
    """``{{ facility.availability|code_label:"availability" }}``: a code's translated label."""
    return rendering.label(kind, code)


@register.filter
def code_labels(codes: Any, kind: str) -> str:
    """A list of codes as their labels, separated by commas."""
    return ", ".join(rendering.label(kind, code) for code in codes or [])


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None
