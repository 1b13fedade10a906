"""``{% programme_status municipality %}``: the city's programme status (R-3.6) on its public
page, with a link to its latest submitted portfolio. The municipality page lives in a lower
layer (geography); it loads this library by name instead of importing the portfolio."""

from __future__ import annotations

from typing import Any

from django import template

from meirim.portfolio import selectors

register = template.Library()


@register.inclusion_tag("portfolio/_programme_status.html")
def programme_status(municipality: Any) -> dict[str, Any]:
    status, version = selectors.public_status(municipality)
    return {"municipality": municipality, "status": status, "version": version}


@register.inclusion_tag("portfolio/_demo_notice.html")
def phase1_demo_notice(municipality: Any) -> dict[str, Any]:
    """The demonstration label on a city's Phase 1 pages, when its content is demonstration."""
    return {"demo": selectors.has_demo_content(municipality)}
