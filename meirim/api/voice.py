"""Children's suggestions: POST /municipalities/{code}/suggestions (anonymous), GET
/suggestions/{receipt}, GET /municipalities/{code}/suggestions (published).

The child's write is anonymous (no credentials, no CSRF: there is no session to abuse) and
limited per client address and day (``meirim.voice.limits``: 429). Nothing here ever returns
a moderator's internal note, the staff who handled a message, or a message that is not
published (the receipt holder reads the status and the answer of their own, by its code).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from meirim.api.access import PUBLIC, declared_access
from meirim.api.phase1 import ErrorItem, municipality_or_404
from meirim.voice import limits, receipts, selectors, services
from meirim.voice.forms import SuggestionForm
from meirim.voice.models import Suggestion

router = Router(tags=["voice"])


class SuggestionIn(Schema):
    text: str = ""
    topic: str = ""
    age_band: str = ""


class SuggestionReceiptOut(Schema):
    receipt: str


class SuggestionRefusedOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class SuggestionStatusOut(Schema):
    receipt: str
    municipality: str
    status: str
    published: bool
    topic: str
    age_band: str
    received_on: dt.date
    outcome: str
    outcome_reason: str
    answer: str
    answered_on: dt.date | None
    action: str | None
    helpline: str | None


class PublishedSuggestionOut(Schema):
    text: str
    topic: str
    age_band: str
    received_on: dt.date
    outcome: str
    outcome_reason: str
    answer: str
    answered_on: dt.date | None
    action: str | None
    action_title: str | None


class SuggestionCountsOut(Schema):
    total: int | None
    counts: dict[str, int | None]
    suppressed: list[str]
    threshold: int


class PublishedSuggestionsOut(Schema):
    municipality: str
    items: list[PublishedSuggestionOut]
    by_topic: SuggestionCountsOut
    by_age_band: SuggestionCountsOut
    by_outcome: SuggestionCountsOut


@router.post(
    "/municipalities/{code}/suggestions",
    response={
        201: SuggestionReceiptOut,
        400: SuggestionRefusedOut,
        404: SuggestionRefusedOut,
        429: SuggestionRefusedOut,
    },
    openapi_extra=declared_access(PUBLIC),
)
def suggestion_send(request: HttpRequest, code: str, payload: SuggestionIn) -> Any:
    """A child's message to the city, anonymously. Answers the receipt code (keep it to read
    the answer: `GET /suggestions/{receipt}`). Nothing about the sender is stored."""
    municipality = municipality_or_404(code)
    form = SuggestionForm(payload.dict())
    if not form.is_valid():
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in form.errors.items()
            for message in messages
        ]
        return Status(400, {"detail": _("The message was not sent."), "errors": errors})
    if not limits.allow(request, "suggestion"):
        return Status(
            429,
            {
                "detail": _(
                    "Many messages were sent from this place today, so we cannot take more "
                    "right now. Please try again tomorrow."
                ),
                "errors": [],
            },
        )
    suggestion = services.suggestion_submit(
        municipality=municipality,
        text=form.cleaned_data["text"],
        topic=form.cleaned_data["topic"],
        age_band=form.cleaned_data["age_band"],
    )
    return Status(201, {"receipt": receipts.grouped(suggestion.receipt)})


def _status(suggestion: Suggestion) -> str:
    if suggestion.safeguarding:
        return "safeguarding"
    if suggestion.outcome:
        return suggestion.outcome
    return "answered" if suggestion.answer else "received"


@router.get(
    "/suggestions/{receipt}",
    response={200: SuggestionStatusOut, 404: SuggestionRefusedOut},
    openapi_extra=declared_access(PUBLIC),
)
def suggestion_status(request: HttpRequest, receipt: str) -> Any:
    """The status and the answer of one message, by its receipt code (dashes and case do not
    matter). `status`: received, answered, planned, done, cannot, or safeguarding (then
    `helpline` is the country's children's helpline). Never the city's internal notes."""
    suggestion = services.suggestion_by_receipt(receipt)
    if suggestion is None:
        raise Http404
    helpline = None
    if suggestion.safeguarding:
        helpline = str(settings.CHILD_HELPLINES.get(suggestion.municipality.country, "")) or None
    return {
        "receipt": receipts.grouped(suggestion.receipt),
        "municipality": suggestion.municipality.code,
        "status": _status(suggestion),
        "published": suggestion.state == Suggestion.State.PUBLISHED and not suggestion.safeguarding,
        "topic": suggestion.tag_topic or suggestion.topic,
        "age_band": suggestion.age_band,
        "received_on": suggestion.received_on,
        "outcome": "" if suggestion.safeguarding else suggestion.outcome,
        "outcome_reason": suggestion.outcome_reason if not suggestion.safeguarding else "",
        "answer": "" if suggestion.safeguarding else suggestion.answer,
        "answered_on": None if suggestion.safeguarding else suggestion.answered_on,
        "action": suggestion.linked_action.code if suggestion.linked_action else None,
        "helpline": helpline,
    }


@router.get(
    "/municipalities/{code}/suggestions",
    response={200: PublishedSuggestionsOut, 404: SuggestionRefusedOut},
    openapi_extra=declared_access(PUBLIC),
)
def suggestions_published(request: HttpRequest, code: str) -> Any:
    """ "You said, we did": the published messages (personal data removed), the answers and
    outcomes, and counts by topic, age band and outcome (groups under 5 are null and listed
    in `suppressed`, safe from differencing)."""
    municipality = municipality_or_404(code)
    rows = selectors.published(municipality).select_related("linked_action")
    summary = selectors.public_summary(municipality)
    return {
        "municipality": municipality.code,
        "items": [
            {
                "text": s.public_text,
                "topic": s.tag_topic or s.topic,
                "age_band": s.age_band,
                "received_on": s.received_on,
                "outcome": s.outcome,
                "outcome_reason": s.outcome_reason,
                "answer": s.answer,
                "answered_on": s.answered_on,
                "action": s.linked_action.code if s.linked_action else None,
                "action_title": s.linked_action.title if s.linked_action else None,
            }
            for s in rows
        ],
        **{key: table.as_json() for key, table in summary.items()},
    }
