"""``{% recognition_status municipality %}``: the city's lifecycle status (R-3.6), its level,
validity and badge on its public page; ``{% registry_summary %}``: the registry's short block
on the home page. The pages that use them live in lower layers and load this library by name."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from meirim.portfolio import selectors as portfolio_selectors
from meirim.recognition import registry
from meirim.recognition.status import lifecycle_of

register = template.Library()


@register.inclusion_tag("recognition/public/_status.html", takes_context=True)
def recognition_status(context: Any, municipality: Any) -> dict[str, Any]:
    found = lifecycle_of(municipality)
    request = context.get("request")
    badge_url = ""
    if found.recognition is not None:
        badge_url = reverse("recognition:badge", args=[municipality.code])
        if request is not None:
            badge_url = request.build_absolute_uri(badge_url)
    decision = found.recognition.decision if found.recognition else None
    return {
        "municipality": municipality,
        "status": found,
        "recognition": found.recognition,
        "decision": decision,
        "badge_url": badge_url,
        "version": portfolio_selectors.latest_version(municipality),
    }


@register.inclusion_tag("recognition/public/_registry_summary.html")
def registry_summary(limit: int = 5) -> dict[str, Any]:
    current = registry.current()
    return {
        "current": current[:limit],
        "count": current.count(),
        "in_process": registry.in_process().count(),
    }
