"""Children's surveys: defined in XLSForm (the format KoBo and ODK users write), answered
anonymously on the platform's own page or imported from a KoBo/ODK CSV export, and counted
with small-group suppression. A survey may evaluate a facility or an action of the plan
(before/after an improvement: R-5.4.1, R-5.6.2) and then serves as its impact evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    # None: the national council's survey, answered in every city.
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(_("title"), max_length=200)
    # The uploaded XLSForm and what pyxform made of it (the questions the pages render).
    xlsform = models.FileField(_("XLSForm file"), upload_to="surveys/xlsform/%Y/")
    definition = models.JSONField(_("questions"), default=dict)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys",
        verbose_name=_("facility it evaluates"),
    )  # fmt: skip
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys",
        verbose_name=_("action it evaluates"),
    )  # fmt: skip
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class SurveyResponse(models.Model):
    """One anonymous set of answers (by question name), from the page or an import."""

    class Source(models.TextChoices):
        WEB = "web", _("Answered on the platform")
        IMPORT = "import", _("Imported from KoBo/ODK")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # For a national survey, the city it was answered in.
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(_("answers"))
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"response #{self.pk}"
