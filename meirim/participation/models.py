"""Children's participation log (§11, R-4.7, R-11.x; catalogue lists H, T, Q, P)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.common.programme import AgeBand, ChildSex
from meirim.geography.models import Municipality
from meirim.planning.models import Action


class Activity(models.Model):
    """One participation activity (one-off or recurring)."""

    class Recurrence(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        RECURRING = "recurring", _("Recurring")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="participation_activities"
    )
    topic = models.CharField(_("topic"), max_length=300)
    held_on = models.DateField(_("date"))
    recurrence = models.CharField(
        _("frequency"), max_length=16, choices=Recurrence.choices, default=Recurrence.ONE_OFF
    )
    recurrence_note = models.CharField(_("how often"), max_length=120, blank=True)
    action = models.ForeignKey(
        Action,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_activities",
    )
    # Hart's ladder rung (H1–H8; H1–H3 are non-participation) and type (T1–T5): catalogue codes.
    rung = models.CharField(_("rung of Hart's ladder"), max_length=4)
    kind = models.CharField(_("type of participation"), max_length=4)
    # Quality standards Q1–Q9 self-assessed: {"Q1": {"met": true, "evidence": "…"}, …}.
    quality = models.JSONField(_("quality standards"), default=dict, blank=True)
    # Hard-to-reach groups who took part: {"disability": 3, "rural": 5, …}.
    hard_to_reach = models.JSONField(_("hard-to-reach groups"), default=dict, blank=True)
    impact = models.TextField(_("impact"), blank=True)
    what_changed = models.TextField(_("what changed as a result"), blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "-held_on", "-id"]
        verbose_name = _("participation activity")
        verbose_name_plural = _("participation activities")

    def __str__(self) -> str:
        return self.topic


class ParticipantCount(models.Model):
    """How many children of an age band and sex took part in an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    age_band = models.CharField(_("age band"), max_length=16, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=16, choices=ChildSex.choices)
    count = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("participants")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "age_band", "sex"], name="one_count_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.age_band} {self.sex}"


class EvidenceStatement(models.Model):
    """Participation evidence that cannot be derived from the log (P5–P7), entered by the city."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="participation_evidence"
    )
    code = models.CharField(_("evidence"), max_length=4)
    text = models.TextField(_("statement"))
    evidence_file = models.FileField(
        _("evidence file"), upload_to="participation/evidence/%Y/", blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["municipality", "code"]
        verbose_name = _("participation evidence")
        verbose_name_plural = _("participation evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="one_evidence_statement_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.code}"
