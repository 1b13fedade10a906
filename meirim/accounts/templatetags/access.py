"""``{% may "data.enter" municipality as can_enter %}``: templates ask the access table."""

from __future__ import annotations

from typing import Any

from django import template

from meirim.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, obj: Any = None) -> bool:
    return access.may(context["request"].user, action, obj)
