"""Writes of children's suggestions: the child's submission, the city's moderation, the
safeguarding concern.

The submission is one INSERT and nothing else (no audit row: it would record nothing that is
not in the row, and the path must stay lean). Every moderation write records an audit row
that never holds the child's message, its public text, the answer or the internal note —
only which fields changed and the coded values.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meirim.accounts.models import Role, RoleAssignment
from meirim.common import audit
from meirim.common.i18n import mail_language
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.voice import privacy, receipts
from meirim.voice.models import Suggestion

#: The longest message a child may send.
MAX_TEXT = 2000

#: Fields a moderator sets; free-text ones are recorded in the audit only as "changed".
CODED_FIELDS = ("tag_topic", "linked_indicator", "outcome", "state")
TEXT_FIELDS = ("answer", "outcome_reason", "public_text", "internal_note")


def suggestion_submit(
    *,
    municipality: Municipality,
    text: str,
    topic: str = "",
    age_band: str = "",
    facility: Facility | None = None,
    action: Action | None = None,
    department: str = "",
) -> Suggestion:
    """Store a child's message with a fresh receipt code: the day only, nothing about the
    sender. A message that looks personal is held for a moderator."""
    state = Suggestion.State.HELD if privacy.looks_personal(text) else Suggestion.State.NEW
    for _attempt in range(5):
        suggestion = Suggestion(
            municipality=municipality,
            facility=facility,
            action=action,
            department=department,
            text=text,
            topic=topic,
            age_band=age_band,
            receipt=receipts.new_code(),
            received_on=timezone.localdate(),
            state=state,
        )
        try:
            # One INSERT; a savepoint only when already inside a transaction.
            if connection.in_atomic_block:
                with transaction.atomic():
                    suggestion.save(force_insert=True)
            else:
                suggestion.save(force_insert=True)
        except IntegrityError:  # the one-in-a-quadrillion receipt already taken
            continue
        return suggestion
    raise RuntimeError("no free receipt code")


def suggestion_by_receipt(typed: str) -> Suggestion | None:
    code = receipts.normalise(typed)
    if code is None:
        return None
    return (
        Suggestion.objects.select_related("municipality", "linked_action")
        .filter(receipt=code)
        .first()
    )


def suggestion_moderate(
    *, suggestion: Suggestion, values: dict[str, Any], actor: Any
) -> Suggestion:
    """Tag, answer, set the outcome and publish or not, as the moderation form gives them.

    ``values`` holds the model fields to set (from ``ModerateForm.values()``). The answer
    date is set when an answer is first given. A safeguarding concern is never published.
    """
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        changed: dict[str, Any] = {}
        for field, value in values.items():
            current = getattr(locked, field)
            if field == "linked_action":
                if (current.pk if current else None) != (value.pk if value else None):
                    changed["linked_action"] = value.code if value else None
                    locked.linked_action = value
                continue
            if current != value:
                setattr(locked, field, value)
                changed[field] = value if field in CODED_FIELDS else "changed"
        if locked.safeguarding and locked.state == Suggestion.State.PUBLISHED:
            locked.state = Suggestion.State.NOT_PUBLISHED
            changed["state"] = locked.state
        if (locked.answer.strip() or locked.outcome) and locked.answered_on is None:
            locked.answered_on = timezone.localdate()
            changed["answered_on"] = locked.answered_on.isoformat()
        if not changed:
            return locked
        locked.updated_by = actor
        locked.save()
        audit.record(actor=actor, action="voice.moderate", obj=locked, changes=changed)
    return locked


def suggestion_mark_safeguarding(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    """A safeguarding concern: never published, and the municipality's protection officers
    hear of it at once (a link only, never the message)."""
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if locked.safeguarding:
            return locked
        locked.safeguarding = True
        locked.safeguarding_raised_at = timezone.now()
        locked.state = Suggestion.State.NOT_PUBLISHED
        locked.updated_by = actor
        locked.save()
        audit.record(
            actor=actor,
            action="voice.safeguarding",
            obj=locked,
            changes={"safeguarding": True, "state": locked.state},
        )
        transaction.on_commit(lambda: _tell_protection_officers(locked))
    return locked


def _tell_protection_officers(suggestion: Suggestion) -> None:
    municipality = suggestion.municipality
    officers = RoleAssignment.objects.filter(
        role=Role.PROTECTION_OFFICER, municipality=municipality
    ).select_related("user")
    addresses = sorted({a.user.email for a in officers if a.user.email and a.user.is_active})
    if not addresses:
        return
    with translation.override(mail_language(municipality.country)):
        link = (
            reverse("voice:safeguarding", kwargs={"municipality": municipality.code})
            + f"#suggestion-{suggestion.pk}"
        )
        subject = _("A safeguarding concern from a child in %(city)s") % {"city": municipality.name}
        body = _(
            "A moderator marked a child's message to %(city)s as a safeguarding concern. "
            "Please read it on the platform at once: %(link)s"
        ) % {"city": municipality.name, "link": link}
    send_mass_mail([(subject, body, None, [address]) for address in addresses])
