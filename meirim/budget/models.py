"""The budget for children (§12, R-12.x; BQ1–BQ4)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meirim.geography.models import Municipality
from meirim.planning.models import Action


class CityBudget(models.Model):
    """The city's whole budget of a year: the denominator of the children's share."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="city_budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.DecimalField(
        _("total city budget"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="KZT")

    class Meta:
        ordering = ["municipality", "-year"]
        verbose_name = _("city budget")
        verbose_name_plural = _("city budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="one_city_budget_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class BudgetLine(models.Model):
    """One line of a department's budget and how much of it serves children."""

    class ChildShare(models.TextChoices):
        DIRECT = "direct", _("Direct (all of it for children)")
        INDIRECT = "indirect", _("Indirect (a share for children)")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    department = models.CharField(_("department"), max_length=200)
    title = models.CharField(_("budget line"), max_length=300)
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    child_share = models.CharField(_("for children"), max_length=8, choices=ChildShare.choices)
    # For indirect lines: the percentage that benefits children.
    share_percent = models.DecimalField(
        _("children's share (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    actions = models.ManyToManyField(Action, blank=True, related_name="budget_lines")
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "-year", "department", "title"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                name="indirect_line_has_share",
                condition=Q(child_share="direct", share_percent__isnull=True)
                | Q(child_share="indirect", share_percent__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title


class BudgetAnswer(models.Model):
    """The city's answer to one budget transparency question (BQ1–BQ4) for a year."""

    class Value(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="budget_answers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("question"), max_length=4)
    answer = models.CharField(_("answer"), max_length=8, choices=Value.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["municipality", "-year", "code"]
        verbose_name = _("budget question answer")
        verbose_name_plural = _("budget question answers")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "code"], name="one_budget_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} {self.code}"
