"""The audit of facilities and services (R-4.4.x, R-5.4.1): what exists for children, whether
they can use it, what stands in their way, and how adults and children rate it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.geography.models import Municipality


class FacilityKind(models.TextChoices):
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    PLAY = "play", _("Play")
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")
    TRANSPORT = "transport", _("Transport")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    OTHER = "other", _("Other")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    NOT_ACCESSIBLE = "not_accessible", _("Exists but not accessible")
    ABSENT = "absent", _("Absent")


class Barrier(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    COST = "cost", _("Cost")
    DISTANCE = "distance", _("Distance")
    INFORMATION = "information", _("Information")
    SAFETY = "safety", _("Safety")
    DISCRIMINATION = "discrimination", _("Discrimination")
    OTHER = "other", _("Other")


class AffectedGroup(models.TextChoices):
    DISABILITY = "disability", _("Children with disabilities")
    SEX = "sex", _("Girls or boys")
    AGE = "age", _("An age group")
    ETHNICITY = "ethnicity", _("Ethnic or language minority")
    LOCATION = "location", _("Children living in a particular area")


class ChildrenAskedBy(models.TextChoices):
    """How children's own rating was collected."""

    SURVEY = "survey", _("Survey")
    FOCUS_GROUP = "focus_group", _("Focus group")
    WALKABOUT = "walkabout", _("Walk-through with children")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    OTHER = "other", _("Other")


def _rating(label: Any) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class Facility(models.Model):
    """One item of the inventory: a facility or service and its audit."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="facilities"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=FacilityKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    # Lists of codes (TargetAge, Barrier, AffectedGroup values): JSON lists work the same on
    # SQLite and PostgreSQL and keep the codes as the keys the API and imports use.
    target_ages = models.JSONField(_("target ages"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=16, choices=Availability.choices)
    barriers = models.JSONField(_("barriers"), default=list, blank=True)
    barrier_note = models.TextField(_("barriers (details)"), blank=True)
    groups_affected = models.JSONField(_("groups affected"), default=list, blank=True)
    adult_rating = _rating(_("quality rated by adults (1–5)"))
    children_rating = _rating(_("quality rated by children (1–5)"))
    children_asked_by = models.CharField(
        _("how children were asked"), max_length=16, choices=ChildrenAskedBy.choices, blank=True
    )
    children_asked_note = models.TextField(_("what children said"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="facilities/evidence/%Y/", blank=True
    )
    audited_on = models.DateField(_("audited on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "kind", "name"]
        verbose_name = _("facility or service")
        verbose_name_plural = _("facilities and services")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def _labels(codes: list[str], choices: type[models.TextChoices]) -> list[str]:
        names = dict(choices.choices)
        return [str(names.get(code, code)) for code in codes or []]

    @property
    def barrier_labels(self) -> list[str]:
        return self._labels(self.barriers, Barrier)

    @property
    def group_labels(self) -> list[str]:
        return self._labels(self.groups_affected, AffectedGroup)

    @property
    def target_age_labels(self) -> list[str]:
        from meirim.common.programme import TargetAge

        return self._labels(self.target_ages, TargetAge)
