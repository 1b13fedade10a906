from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import Indicator
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
