"""Writes for the preparatory portfolio: its texts, submission, feedback, replies, public
comments and PDF requests. Each write is one transaction with its audit row."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.common import audit
from meirim.common.workflow import NotAllowed, transition_apply
from meirim.geography.models import Municipality
from meirim.portfolio import steps
from meirim.portfolio.models import (
    Portfolio,
    PortfolioDocument,
    PortfolioVersion,
    PublicComment,
    StepFeedback,
)
from meirim.portfolio.workflows import SUBMISSION, may_act
from meirim.voice import privacy

TEXT_LIMIT = 20000
COMMENT_LIMIT = 4000
# A public comment model: PublicComment, or another app's with the same fields and states.
CommentT = TypeVar("CommentT", bound=Any)


def portfolio_for(municipality: Municipality) -> Portfolio:
    portfolio, _created = Portfolio.objects.get_or_create(municipality=municipality)
    return portfolio


def portfolio_texts_save(
    *, municipality: Municipality, introduction: str, self_assessment: str, actor: Any
) -> Portfolio:
    """The draft's own texts (the next submission freezes them; sent versions never change)."""
    introduction = introduction.strip()[:TEXT_LIMIT]
    self_assessment = self_assessment.strip()[:TEXT_LIMIT]
    with transaction.atomic():
        portfolio, _created = Portfolio.objects.select_for_update().get_or_create(
            municipality=municipality
        )
        changes: dict[str, Any] = {}
        if portfolio.introduction != introduction:
            changes["introduction"] = [len(portfolio.introduction), len(introduction)]
            portfolio.introduction = introduction
        if portfolio.self_assessment != self_assessment:
            changes["self_assessment"] = [len(portfolio.self_assessment), len(self_assessment)]
            portfolio.self_assessment = self_assessment
        if changes or _created:
            portfolio.save()
            audit.record(actor=actor, action="portfolio.edit", obj=portfolio, changes=changes)
    return portfolio


def portfolio_submit(*, municipality: Municipality, actor: Any) -> PortfolioVersion:
    """Submit (or submit again after feedback) a new frozen version; :class:`NotAllowed` with
    the missing items by step when steps S1–S7 are not complete."""
    portfolio = portfolio_for(municipality)
    action = "resubmit" if portfolio.state == Portfolio.State.FEEDBACK_RECEIVED else "submit"
    transition_apply(workflow=SUBMISSION, obj=portfolio, action=action, actor=actor, may=may_act)
    return portfolio.versions.order_by("-number").first()  # type: ignore[return-value]


def missing_by_step(municipality: Municipality) -> list[dict[str, Any]]:
    """[{"step": "PH1.S2", "missing": [...]}, …] for the steps S1–S7 not complete."""
    programme = steps.programme(municipality)
    return [
        {"step": step, "missing": list(missing)}
        for step, missing in programme.missing_for_submission()
    ]


def feedback_return(*, municipality: Municipality, actor: Any) -> Portfolio:
    portfolio = portfolio_for(municipality)
    result = transition_apply(
        workflow=SUBMISSION, obj=portfolio, action="return_feedback", actor=actor, may=may_act
    )
    assert isinstance(result, Portfolio)
    return result


def feedback_add(
    *,
    version: PortfolioVersion,
    step: str,
    comment: str,
    requests_changes: bool,
    actor: Any,
) -> StepFeedback:
    """The council's comment on one step of the latest version, while it awaits feedback."""
    comment = comment.strip()[:COMMENT_LIMIT]
    if step not in steps.STEPS:
        raise NotAllowed([_("Choose one of the steps PH1.S1–PH1.S8.")])
    if not comment:
        raise NotAllowed([_("Write the comment.")])
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=version.portfolio_id)
        latest = portfolio.versions.order_by("-number").first()
        if portfolio.state != Portfolio.State.SUBMITTED or latest is None or latest != version:
            raise NotAllowed([_("Feedback can be written only on a version that awaits it.")])
        feedback = StepFeedback.objects.create(
            version=version,
            step=step,
            comment=comment,
            requests_changes=requests_changes,
            author=audit.acting_user(actor),
        )
        audit.record(
            actor=actor,
            action="portfolio.feedback_add",
            obj=feedback,
            changes={"step": step, "requests_changes": requests_changes},
        )
    return feedback


def feedback_reply(*, feedback: StepFeedback, reply: str, actor: Any) -> StepFeedback:
    reply = reply.strip()[:COMMENT_LIMIT]
    if not reply:
        raise NotAllowed([_("Write the reply.")])
    with transaction.atomic():
        feedback = StepFeedback.objects.select_for_update().get(pk=feedback.pk)
        if feedback.version.feedback_returned_at is None:
            raise NotAllowed([_("The feedback has not been returned to the city yet.")])
        feedback.reply = reply
        feedback.replied_at = timezone.now()
        feedback.replied_by = audit.acting_user(actor)
        feedback.save(update_fields=["reply", "replied_at", "replied_by"])
        audit.record(
            actor=actor,
            action="portfolio.reply",
            obj=feedback,
            changes={"step": feedback.step, "reply": len(reply)},
        )
    return feedback


def comment_add(*, version: PortfolioVersion, author_name: str, text: str) -> PublicComment:
    """A resident's comment on a published portfolio version, waiting for moderation."""
    return public_comment_add(
        PublicComment, action="portfolio.comment_add", author_name=author_name, text=text,
        version=version,
    )  # fmt: skip


def comment_moderate(*, comment: PublicComment, state: str, actor: Any) -> PublicComment:
    """Publish (its redacted text) or hide a comment: the council or the city's people."""
    return public_comment_moderate(
        comment, state=state, actor=actor, action="portfolio.comment_moderate"
    )


def public_comment_add(
    model: type[CommentT], *, action: str, author_name: str, text: str, **parent: Any
) -> CommentT:
    """A public comment of any kind (``model`` with a ``State`` like PublicComment's, ``parent``
    the object it is written on), waiting for moderation; no account, no address kept.

    The same rules as children's suggestions: a text that looks like it carries personal data
    (a phone, an e-mail, an address, a person's name) is held, and only its redacted copy can
    ever be published. The audit row records that a comment was written, never its text.
    """
    text = text.strip()[:COMMENT_LIMIT]
    if not text:
        raise NotAllowed([_("Write your comment.")])
    state = model.State.HELD if privacy.looks_personal(text) else model.State.PENDING
    with transaction.atomic():
        comment: CommentT = model.objects.create(
            **parent,
            author_name=author_name.strip()[:100],
            text=text,
            public_text=privacy.redact(text),
            state=state,
        )
        audit.record(actor=None, action=action, obj=comment, changes={"state": state})
    return comment


def public_comment_moderate(comment: CommentT, *, state: str, actor: Any, action: str) -> CommentT:
    """Publish (the redacted text) or hide a public comment of any kind."""
    if state not in (comment.State.PUBLISHED, comment.State.HIDDEN):
        raise NotAllowed([_("Choose to publish or hide the comment.")])
    with transaction.atomic():
        before = comment.state
        comment.state = state
        comment.save(update_fields=["state"])
        audit.record(actor=actor, action=action, obj=comment, changes={"state": [before, state]})
    return comment


def document_request(*, version: PortfolioVersion, kind: str, language: str) -> PortfolioDocument:
    """The PDF of ``version`` in ``language``; enqueues its build when not built yet."""
    from meirim.portfolio.tasks import document_build

    document, created = PortfolioDocument.objects.get_or_create(
        version=version, kind=kind, language=language
    )
    if created or document.state == PortfolioDocument.State.FAILED:
        if not created:
            document.state = PortfolioDocument.State.PENDING
            document.error = ""
            document.save(update_fields=["state", "error"])
        # The task's row is written in the caller's transaction: the worker sees it on commit.
        document_build.enqueue(document.pk)
        document.refresh_from_db()
    return document
