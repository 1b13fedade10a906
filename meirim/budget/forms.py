"""Forms of the budget pages: they parse and validate; the services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.budget.models import BudgetAnswer, BudgetLine
from meirim.budget.selectors import QUESTIONS, city_actions
from meirim.catalogue.models import CatalogueItem
from meirim.geography.models import Municipality

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_AMOUNT = Decimal("9999999999999999.99")


def share_problem(child_share: str, share_percent: Decimal | None) -> str | None:
    """Why the share does not fit the kind of line (indirect needs 0–100, direct has none)."""
    if child_share == BudgetLine.ChildShare.INDIRECT:
        if share_percent is None:
            return str(_("An indirect line needs the children's share, from 0 to 100 %."))
        if not Decimal(0) <= share_percent <= Decimal(100):
            return str(_("The children's share is a percentage from 0 to 100."))
    elif share_percent is not None:
        return str(_("A direct line serves children whole: leave the share empty."))
    return None


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    department = forms.CharField(label=_("Department"), max_length=200)
    title = forms.CharField(label=_("Budget line"), max_length=300)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_value=MAX_AMOUNT, decimal_places=2, max_digits=18
    )
    child_share = forms.ChoiceField(
        label=_("For children"), choices=BudgetLine.ChildShare.choices, widget=forms.RadioSelect
    )
    share_percent = forms.DecimalField(
        label=_("Children's share (%), for an indirect line"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
    )
    actions: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Actions of the plan it pays for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = city_actions(municipality)

    @staticmethod
    def initial_from(line: BudgetLine) -> dict[str, Any]:
        return {
            "year": line.year,
            "department": line.department,
            "title": line.title,
            "amount": line.amount,
            "child_share": line.child_share,
            "share_percent": line.share_percent,
            "actions": list(line.actions.all()),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "child_share" in data:
            problem = share_problem(data["child_share"], data.get("share_percent"))
            if problem:
                self.add_error("share_percent", problem)
        return data

    def values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in (
            "year", "department", "title", "amount", "child_share", "share_percent"
        )}  # fmt: skip


class CityBudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    total = forms.DecimalField(
        label=_("Total city budget"),
        min_value=0,
        max_value=MAX_AMOUNT,
        decimal_places=2,
        max_digits=18,
    )


class AnswersForm(forms.Form):
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args: Any, items: list[CatalogueItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {item.code: item for item in items}
        for code in QUESTIONS:
            self.fields[f"{code}_answer"] = forms.ChoiceField(
                label=_("Answer"),
                required=False,
                choices=[("", "—"), *BudgetAnswer.Value.choices],
            )
            self.fields[f"{code}_comment"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[str, str, Any, Any]]:
        return [
            (
                code,
                self.items[code].name if code in self.items else "",
                self[f"{code}_answer"],
                self[f"{code}_comment"],
            )
            for code in QUESTIONS
        ]

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            code: (data.get(f"{code}_answer") or "", (data.get(f"{code}_comment") or "").strip())
            for code in QUESTIONS
        }
