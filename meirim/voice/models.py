"""Children's anonymous suggestions ("you said, we did").

Privacy of minors first: a suggestion holds what the child wrote, an optional topic and age
band, the day it arrived and a receipt code — never an address, a user agent, an account or a
time finer than the day. Abuse limiting keeps a keyed, daily-rotating hash of the address in
the cache only (``meirim.voice.limits``). A message that looks like it carries personal data is
held for moderation and published only redacted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.common.programme import AgeBand
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action


class Topic(models.TextChoices):
    """The short list a child picks from (optional)."""

    PLAY = "play", _("Play, sport and leisure")
    SCHOOL = "school", _("School and learning")
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    STREETS = "streets", _("Streets, parks and nature")
    TRANSPORT = "transport", _("Getting around")
    HELP = "help", _("Help and support")
    OTHER = "other", _("Something else")


class Suggestion(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("New")
        # Looks like it carries personal data: read by a moderator before anything is public.
        HELD = "held", _("Held for moderation")
        PUBLISHED = "published", _("Published")
        NOT_PUBLISHED = "not_published", _("Not published")

    class Outcome(models.TextChoices):
        NONE = "", _("Not answered yet")
        ANSWERED = "answered", _("Answered")
        PLANNED = "planned", _("Planned as an action")
        DONE = "done", _("Done")
        CANNOT = "cannot", _("Cannot be done")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="suggestions"
    )
    # The box it was sent to, when narrower than the city.
    department = models.CharField(_("department"), max_length=200, blank=True)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    text = models.TextField(_("message"))
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=16, choices=AgeBand.choices, blank=True)
    receipt = models.CharField(_("receipt code"), max_length=16, unique=True)
    received_on = models.DateField(_("received on"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.NEW)
    # What the public sees instead of ``text`` (personal data removed by the moderator).
    public_text = models.TextField(_("published text"), blank=True)
    # Tags by the city's people.
    tag_topic = models.CharField(
        _("topic (moderator)"), max_length=16, choices=Topic.choices, blank=True
    )
    linked_action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("linked action"),
    )  # fmt: skip
    linked_indicator = models.CharField(_("linked indicator"), max_length=16, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("why it cannot be done"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # Internal notes of the city's people: never shown to the child or the public.
    internal_note = models.TextField(_("internal note"), blank=True)
    # A safeguarding concern goes to the protection officer at once and is never published.
    safeguarding = models.BooleanField(_("safeguarding concern"), default=False)
    safeguarding_raised_at = models.DateTimeField(
        _("safeguarding concern raised at"), null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [models.Index(fields=["municipality", "state"])]

    def __str__(self) -> str:
        # Never the text: it may carry a child's personal data.
        return f"suggestion {self.receipt}"
