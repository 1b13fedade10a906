"""``{% decision_comments decision %}``: the published comments on a decision summary, the
form to write one and, for moderators, the comments waiting for them."""

from __future__ import annotations

from typing import Any

from django import template

from meirim.recognition import comments

register = template.Library()


@register.inclusion_tag("recognition/public/_comments.html", takes_context=True)
def decision_comments(context: Any, decision: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    moderator = user is not None and comments.may_moderate(user, decision)
    return {
        "decision": decision,
        "comments": comments.comments_of(decision, moderator=moderator),
        "moderator": moderator,
        "csrf_token": context.get("csrf_token"),
    }
