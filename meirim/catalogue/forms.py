from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import Category, Indicator, ScoringMethod
from meirim.catalogue.scoring import (
    IndicatorScoring,
    indicator_scoring_problems,
    is_scorable,
    method_problems,
)
from meirim.catalogue.services import target_problem


class CopyVersionForm(forms.Form):
    code = forms.CharField(
        label=_("New version code"),
        max_length=32,
        help_text=_("For example 2027.1. Letters, digits, '.', '-' and '_' only."),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"[A-Za-z0-9._-]+", code):
            raise forms.ValidationError(_("Use letters, digits, '.', '-' and '_' only."))
        return code


class TargetForm(forms.Form):
    target = forms.DecimalField(
        label=_("National target"), required=False, max_digits=16, decimal_places=4
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_target(self) -> Decimal | None:
        target: Decimal | None = self.cleaned_data["target"]
        # The service checks the same rule for every caller; here it is shown on the field.
        problem = target_problem(self.indicator.unit, target)
        if problem:
            raise forms.ValidationError(problem)
        return target


def _share_field(label: Any, max_digits: int, decimal_places: int, **kwargs: Any) -> forms.Field:
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=decimal_places,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        **kwargs,
    )


class ScoringMethodForm(forms.Form):
    """The version-wide choices of the scoring method."""

    aggregation = forms.ChoiceField(
        label=_("Aggregation"), choices=ScoringMethod.Aggregation.choices
    )
    min_coverage = _share_field(
        _("Minimum coverage (share of the weight, above 0 and at most 1)"), 4, 3
    )
    indicator_tolerance_relative = _share_field(
        _("No-change band of an indicator (share of its baseline value)"), 6, 4
    )
    indicator_tolerance_absolute = _share_field(
        _("No-change band of an indicator (in its own unit)"), 12, 4
    )
    score_tolerance_absolute = _share_field(_("No-change band of a score (points)"), 6, 3)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        for name, problem in method_problems(**cleaned).items():
            self.add_error(name, problem)
        return cleaned


@dataclass
class ScoringRow:
    """One row of the council's table: a category, a sub-domain or an indicator."""

    level: str  # "category", "subdomain" or "indicator"
    entry: Any
    weight: forms.BoundField
    lower_post: forms.BoundField | None = None
    upper_post: forms.BoundField | None = None


class ScoringTableForm(forms.Form):
    """Weights of every category, sub-domain and indicator, and the indicators' goalposts.

    Fields are named ``<code>-weight``, ``<code>-lower_post`` and ``<code>-upper_post``
    (codes are unique within a version across the three levels).
    """

    def __init__(self, *args: Any, categories: Iterable[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        self.indicators: dict[str, Indicator] = {}
        for category in self.categories:
            self._weight(category)
            for subdomain in category.subdomains.all():
                self._weight(subdomain)
                for indicator in subdomain.indicators.all():
                    self.indicators[indicator.code] = indicator
                    self._weight(indicator)
                    disabled = not is_scorable(indicator)
                    for name, label in (
                        ("lower_post", _("Lower goalpost of %(code)s")),
                        ("upper_post", _("Upper goalpost of %(code)s")),
                    ):
                        self.fields[f"{indicator.code}-{name}"] = _share_field(
                            label % {"code": indicator.code},
                            20,
                            6,
                            required=False,
                            disabled=disabled,
                            initial=getattr(indicator, name),
                        )

    def _weight(self, entry: Any) -> None:
        self.fields[f"{entry.code}-weight"] = _share_field(
            _("Weight of %(code)s") % {"code": entry.code},
            7,
            3,
            min_value=0,
            initial=entry.weight,
        )

    def rows(self) -> Iterator[ScoringRow]:
        for category in self.categories:
            yield ScoringRow("category", category, self[f"{category.code}-weight"])
            for subdomain in category.subdomains.all():
                yield ScoringRow("subdomain", subdomain, self[f"{subdomain.code}-weight"])
                for indicator in subdomain.indicators.all():
                    code = indicator.code
                    yield ScoringRow(
                        "indicator",
                        indicator,
                        self[f"{code}-weight"],
                        self[f"{code}-lower_post"],
                        self[f"{code}-upper_post"],
                    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code, indicator in self.indicators.items():
            names = [f"{code}-{name}" for name in ("weight", "lower_post", "upper_post")]
            if any(name in self.errors for name in names):
                continue
            problems = indicator_scoring_problems(indicator, *(cleaned.get(name) for name in names))
            for name, problem in problems.items():
                self.add_error(f"{code}-{name}", problem)
        return cleaned

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Show the service's problems (keyed ``<code>.<field>``) on the fields."""
        for key, problem in errors.items():
            name = key.replace(".", "-", 1)
            self.add_error(name if name in self.fields else None, problem)

    def category_weights(self) -> dict[str, Decimal]:
        return {c.code: self.cleaned_data[f"{c.code}-weight"] for c in self.categories}

    def subdomain_weights(self) -> dict[str, Decimal]:
        return {
            s.code: self.cleaned_data[f"{s.code}-weight"]
            for c in self.categories
            for s in c.subdomains.all()
        }

    def indicator_rows(self) -> dict[str, IndicatorScoring]:
        data = self.cleaned_data
        return {
            code: IndicatorScoring(
                weight=data[f"{code}-weight"],
                lower_post=data[f"{code}-lower_post"],
                upper_post=data[f"{code}-upper_post"],
            )
            for code in self.indicators
        }


class GoalpostsDeriveForm(forms.Form):
    """The years whose approved national data give the goalposts, and the confirmation."""

    first_year = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100)
    last_year = forms.IntegerField(label=_("To year"), min_value=1990, max_value=2100)
    confirm = forms.BooleanField(
        label=_("Replace the goalposts of these indicators with the ones derived from the data."),
        error_messages={
            "required": _("Confirm that you want to replace the goalposts: nothing was changed.")
        },
    )

    #: Longest span of years a derivation reads.
    MAX_YEARS = 30

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None:
            if first > last:
                self.add_error("last_year", _("The last year cannot be before the first year."))
            elif last - first + 1 > self.MAX_YEARS:
                self.add_error(
                    "last_year",
                    _("Choose at most %(count)s years.") % {"count": self.MAX_YEARS},
                )
        return cleaned

    def years(self) -> list[int]:
        return list(range(self.cleaned_data["first_year"], self.cleaned_data["last_year"] + 1))
