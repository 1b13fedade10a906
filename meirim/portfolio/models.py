"""The preparatory portfolio (R-4.5.x, R-4.9.1, R-7.1.1, R-2.5, R-2.25): its submission
workflow, the frozen versions that were sent, the national council's feedback per step, the
city's replies, public comments, and the PDFs built from each frozen version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meirim.geography.models import Municipality


class Portfolio(models.Model):
    """A municipality's preparatory portfolio; its state drives the programme status."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="preparatory_portfolio"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Part A's qualitative self-assessment (R-4.5.x), written by the city.
    self_assessment = models.TextField(_("qualitative self-assessment"), blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("preparatory portfolio")
        verbose_name_plural = _("preparatory portfolios")

    def __str__(self) -> str:
        return str(self.municipality)


class PortfolioVersion(models.Model):
    """What was sent, frozen: later edits make a new version and never change this one."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    # The whole portfolio as it was at submission (Part A and Part B), as plain JSON.
    content = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_returned_at = models.DateTimeField(_("feedback returned at"), null=True, blank=True)

    class Meta:
        ordering = ["portfolio", "-number"]
        verbose_name = _("portfolio version")
        verbose_name_plural = _("portfolio versions")
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "number"], name="unique_portfolio_version")
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} v{self.number}"


class StepFeedback(models.Model):
    """The national council's feedback on one step (PH1.S1…S8) of a submitted version."""

    version = models.ForeignKey(PortfolioVersion, on_delete=models.CASCADE, related_name="feedback")
    step = models.CharField(_("step"), max_length=8)
    comment = models.TextField(_("comment"))
    requests_changes = models.BooleanField(_("changes requested"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    # The city's answer to the feedback.
    reply = models.TextField(_("the city's reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["version", "step", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.version} {self.step}"


class PublicComment(models.Model):
    """A resident's comment on a published (submitted) version; shown once moderated.

    The same privacy rules as children's suggestions: a comment that looks like it carries
    personal data is held for a moderator, and the public only ever reads ``public_text``,
    the text with such data removed. Nothing about the writer's connection is stored.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        HELD = "held", _("Held: may carry personal data")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    version = models.ForeignKey(
        PortfolioVersion, on_delete=models.CASCADE, related_name="public_comments"
    )
    # Optional, and only what the writer chooses to give; never an address or account.
    author_name = models.CharField(_("name (optional)"), max_length=100, blank=True)
    text = models.TextField(_("comment"))
    public_text = models.TextField(_("public text"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at", "id"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.version} #{self.pk}"


class PortfolioDocument(models.Model):
    """A PDF built by a task from a frozen version, in one language (cached per version)."""

    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", _("Preparatory portfolio")
        PART_A = "part_a", _("Child-friendliness report (Part A)")
        EASY_READ = "easy_read", _("Easy-read key points")

    class State(models.TextChoices):
        PENDING = "pending", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    version = models.ForeignKey(
        PortfolioVersion, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("file"), upload_to="portfolio/pdf/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portfolio document")
        verbose_name_plural = _("portfolio documents")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "language"], name="one_document_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.kind} {self.language}"
