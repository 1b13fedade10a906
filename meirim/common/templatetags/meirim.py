"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from meirim.common import suppression
from meirim.common.i18n import localized

register = template.Library()


@register.simple_tag
def tr(obj: object, field: str = "name") -> str:
    """Render translated content; a fallback is marked with its language, never left empty."""
    value = localized(obj, field)
    if not value.is_fallback:
        return format_html("{}", value.text)
    if not value.text:
        return format_html('<span class="missing">{}</span>', gettext("(no text)"))
    return format_html(
        '<span lang="{}" class="fallback" title="{}">{} <small>[{}]</small></span>',
        value.language,
        gettext("Not yet translated; shown in the original language"),
        value.text,
        value.language,
    )


@register.simple_tag
def tr_text(obj: object, field: str = "name") -> str:
    """Plain translated text (for attributes and titles), with the same fallback."""
    return localized(obj, field).text


@register.filter
def small_group(count: int | None) -> str:
    """A public count after suppression: the figure, or "fewer than 5" when hidden (None)."""
    return suppression.label(count)
