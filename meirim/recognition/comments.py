"""Residents' comments on the public decision summaries: written without an account, held
when they look like they carry personal data, published redacted after moderation by the
city's designated people or the national council."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.common import audit
from meirim.common.workflow import NotAllowed
from meirim.recognition.models import Decision, DecisionComment
from meirim.voice import privacy

TEXT_LIMIT = 4000


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
    """A comment waiting for moderation; held when it looks like it carries personal data.
    The audit row records that a comment was written, never its text."""
    text = text.strip()[:TEXT_LIMIT]
    if not text:
        raise NotAllowed([_("Write your comment.")])
    held = privacy.looks_personal(text)
    state = DecisionComment.State.HELD if held else DecisionComment.State.PENDING
    with transaction.atomic():
        comment = DecisionComment.objects.create(
            decision=decision,
            author_name=author_name.strip()[:100],
            text=text,
            public_text=privacy.redact(text),
            state=state,
        )
        audit.record(
            actor=None, action="recognition.comment_add", obj=comment, changes={"state": state}
        )
    return comment


def comment_moderate(*, comment: DecisionComment, state: str, actor: Any) -> DecisionComment:
    """Publish (the redacted text) or hide a comment."""
    if state not in (DecisionComment.State.PUBLISHED, DecisionComment.State.HIDDEN):
        raise NotAllowed([_("Choose to publish or hide the comment.")])
    with transaction.atomic():
        before = comment.state
        comment.state = state
        comment.save(update_fields=["state"])
        audit.record(
            actor=actor,
            action="recognition.comment_moderate",
            obj=comment,
            changes={"state": [before, state]},
        )
    return comment
