"""The children's strategy and action plan (R-4.6.x, R-4.7.x, R-5.6.x, R-14.x, R-12.1).

Codes from the catalogue (rights R1–R11, indicators I01…, governance questions G01…, Hart's
rungs H1–H8, participation types T1–T5) are stored as codes: they are the keys the API uses,
and they stay meaningful when the national council publishes a new catalogue version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meirim.geography.models import Municipality


class Strategy(models.Model):
    """A municipality's children's strategy for a period."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="strategy"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    principles = models.TextField(_("principles"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    # How children took part in writing it.
    children_involvement = models.TextField(_("how children took part"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("children's strategy")
        verbose_name_plural = _("children's strategies")

    def __str__(self) -> str:
        return self.title or str(self.municipality)


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    rights = models.JSONField(_("rights (R1–R11)"), default=list, blank=True)
    crc_articles = models.CharField(_("CRC articles"), max_length=120, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)

    class Meta:
        ordering = ["strategy", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="unique_goal_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PriorityArea(models.Model):
    """A priority of the strategy, and what it came from."""

    class Source(models.TextChoices):
        AUDIT_BARRIER = "audit_barrier", _("A barrier found by the audit")
        GOVERNANCE_GAP = "governance_gap", _("A gap in the governance assessment")
        WEAK_INDICATOR = "weak_indicator", _("A weak indicator of the index")
        OTHER = "other", _("Other")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(_("priority area"), max_length=300)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # What it came from: a G-code, an I-code, or a barrier code with the facility's id.
    source_reference = models.CharField(_("reference"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["strategy", "id"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")

    def __str__(self) -> str:
        return self.title


class ActionStream(models.Model):
    """An action stream of the plan, coded like the Surrey example (``7.1``)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="action_streams"
    )
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("action stream"), max_length=300)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="streams"
    )

    class Meta:
        ordering = ["municipality", "code"]
        verbose_name = _("action stream")
        verbose_name_plural = _("action streams")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unique_stream_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Action(models.Model):
    """One action of the plan (``7.1.a``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        EVALUATED = "evaluated", _("Evaluated")
        DROPPED = "dropped", _("Dropped")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="actions")
    stream = models.ForeignKey(
        ActionStream, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    priority_area = models.ForeignKey(
        PriorityArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    target_ages = models.JSONField(_("target ages"), default=list, blank=True)
    department = models.CharField(_("responsible department"), max_length=200, blank=True)
    staff_roles = models.JSONField(_("staff roles (SR1–SR5)"), default=list, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    # Set when the action was drafted from a "planned" answer of the governance assessment.
    governance_question = models.CharField(_("governance question"), max_length=8, blank=True)
    # A data-gap action: collect data for an indicator that has none.
    data_gap_indicator = models.CharField(_("data gap for indicator"), max_length=16, blank=True)
    # Participation plan: where, when, type T1–T5, target rung H4–H8.
    participation_where = models.CharField(
        _("where children take part"), max_length=300, blank=True
    )
    participation_when = models.CharField(_("when children take part"), max_length=200, blank=True)
    participation_type = models.CharField(_("participation type"), max_length=4, blank=True)
    participation_rung = models.CharField(_("target rung"), max_length=4, blank=True)
    # Impact evidence: needed before the action may be marked evaluated.
    impact_before = models.CharField(_("figure before"), max_length=200, blank=True)
    impact_after = models.CharField(_("figure after"), max_length=200, blank=True)
    impact_children_feedback = models.TextField(_("children's feedback"), blank=True)
    impact_file = models.FileField(
        _("impact evidence file"), upload_to="actions/impact/%Y/", blank=True
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unique_action_code"),
            models.CheckConstraint(
                name="action_ends_after_start",
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
