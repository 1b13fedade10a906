"""Residents' comments on the public decision summaries: written without an account, held
when they look like they carry personal data, published redacted after moderation by the
city's designated people or the national council."""

from __future__ import annotations

from typing import Any

from meirim.accounts import access
from meirim.portfolio.services import public_comment_add, public_comment_moderate
from meirim.recognition.models import Decision, DecisionComment


def may_moderate(user: Any, decision: Decision) -> bool:
    """The city's coordinator or department head (as for children's suggestions), or the
    national council."""
    place = decision.application.municipality
    return access.may(user, "voice.moderate", place) or access.may(
        user, "portfolio.feedback", place
    )


def comments_of(decision: Decision, *, moderator: bool) -> list[DecisionComment]:
    rows = decision.comments.order_by("created_at", "id")
    if not moderator:
        rows = rows.filter(state=DecisionComment.State.PUBLISHED)
    return list(rows)


def comment_add(*, decision: Decision, author_name: str, text: str) -> DecisionComment:
    """A comment on a decision summary, waiting for moderation (the portfolio's rules)."""
    return public_comment_add(
        DecisionComment, action="recognition.comment_add", author_name=author_name, text=text,
        decision=decision,
    )  # fmt: skip


def comment_moderate(*, comment: DecisionComment, state: str, actor: Any) -> DecisionComment:
    """Publish (the redacted text) or hide a comment."""
    return public_comment_moderate(
        comment, state=state, actor=actor, action="recognition.comment_moderate"
    )
