"""Forms of the national council's pages: they parse; the services in ``cycles`` and
``roster`` decide (and refuse with reasons, shown beside the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.recognition import cycles
from meirim.recognition.models import CouncilMember, Criterion, Cycle

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(forms.ModelForm[CouncilMember]):
    class Meta:
        model = CouncilMember
        fields = ["name", "constituency", "organisation", "position", "joined_on", "left_on"]
        widgets = {"joined_on": DATE, "left_on": DATE}


class CycleForm(forms.ModelForm[Cycle]):
    """Every field of a draft; once the call is open the view disables all but the dates."""

    class Meta:
        model = Cycle
        fields = [
            "name",
            "call_text",
            "starts_on",
            "ends_on",
            "eoi_deadline",
            "portfolio_deadline",
            "community_report_deadline",
            "decision_date",
            *cycles.SETTING_FIELDS,
        ]
        widgets: dict[str, forms.Widget] = dict.fromkeys(
            (
                "starts_on",
                "ends_on",
                "eoi_deadline",
                "portfolio_deadline",
                "community_report_deadline",
                "decision_date",
            ),
            DATE,
        )
        widgets["call_text"] = forms.Textarea(attrs={"rows": 5})
        help_texts = {
            "ends_on": _("Empty: the start plus the cycle's length."),
            "level2_months": _("At most 48 months (R-6.10)."),
            "level1_months": _("At most 48 months (R-6.10)."),
        }

    def __init__(self, *args: Any, dates_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's validators would refuse > 48 before the service could say why.
        for name in ("level1_months", "level2_months"):
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("max", None)
        if dates_only:
            for name, field in self.fields.items():
                if name not in ("starts_on", "ends_on", *_DATES):
                    field.disabled = True

    def _post_clean(self) -> None:
        # The service validates the cycle as a whole (with reasons); skip the model's.
        pass


_DATES = ("eoi_deadline", "portfolio_deadline", "community_report_deadline", "decision_date")


class CodesField(forms.CharField):
    """Codes separated by spaces or commas: ``I01, I02``."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value


class CriterionForm(forms.ModelForm[Criterion]):
    indicators = CodesField(
        label=_("indicators"), required=False, help_text=_("Index indicator codes, e.g. I01, I02.")
    )
    governance_questions = CodesField(
        label=_("governance questions"), required=False,
        help_text=_("Governance question codes of the catalogue, e.g. G01."),
    )  # fmt: skip
    participation_evidence = CodesField(
        label=_("participation evidence"), required=False, help_text=_("P1 to P9, e.g. P1, P4.")
    )

    class Meta:
        model = Criterion
        fields = list(cycles.CRITERION_FIELDS)
        widgets = {
            f"description_{lang}": forms.Textarea(attrs={"rows": 3})
            for lang in ("kk", "ru", "en", "ky")
        }

    def _post_clean(self) -> None:
        pass


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("open_call", "open_call"),
            ("close_applications", "close_applications"),
            ("publish_decisions", "publish_decisions"),
            ("close", "close"),
        ]
    )
