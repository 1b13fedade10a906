"""Forms of the strategy and action plan pages: they parse; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.common.programme import StaffRole, TargetAge
from meirim.geography.models import Municipality
from meirim.planning import selectors
from meirim.planning.models import Action, PriorityArea


class DateInput(forms.DateInput):
    input_type = "date"


def _item_choices(list_name: str, only: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    version = selectors.catalogue_version()
    return [
        (item.code, f"{item.code} {item.name}")
        for item in selectors.list_items(version, list_name)
        if not only or item.code in only
    ]


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    vision = forms.CharField(label=_("Vision"), widget=forms.Textarea, required=False)
    principles = forms.CharField(label=_("Principles"), widget=forms.Textarea, required=False)
    first_year = forms.IntegerField(
        label=_("From year"), min_value=2000, max_value=2100, required=False
    )
    last_year = forms.IntegerField(
        label=_("To year"), min_value=2000, max_value=2100, required=False
    )
    children_involvement = forms.CharField(
        label=_("How children took part"), widget=forms.Textarea, required=False
    )


class GoalForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=16)
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    rights = forms.MultipleChoiceField(
        label=_("Rights"), widget=forms.CheckboxSelectMultiple, required=False
    )
    crc_articles = forms.CharField(label=_("CRC articles"), max_length=120, required=False)
    indicators = forms.CharField(
        label=_("Indicator codes"),
        required=False,
        help_text=_("Codes of the published catalogue, separated by commas (I01, I12)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rights"].choices = _item_choices("R")  # type: ignore[attr-defined]


class PriorityForm(forms.Form):
    title = forms.CharField(label=_("Priority area"), max_length=300)
    source = forms.ChoiceField(label=_("Source"), choices=PriorityArea.Source.choices)
    source_reference = forms.CharField(label=_("Reference"), max_length=64, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class StreamForm(forms.Form):
    code = forms.CharField(label=_("Stream code"), max_length=16, help_text=_("For example 7.1"))
    title = forms.CharField(label=_("Stream title"), max_length=300)


class ActionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=16, help_text=_("Its stream's code and a letter: 7.1.a")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    stream = forms.ChoiceField(label=_("Action stream"), required=False)
    priority_area = forms.ChoiceField(label=_("Priority area"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    target_ages = forms.MultipleChoiceField(
        label=_("Target ages"),
        choices=TargetAge.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    department = forms.CharField(label=_("Responsible department"), max_length=200, required=False)
    staff_roles = forms.MultipleChoiceField(
        label=_("Staff roles"),
        choices=[(c, f"{c} {label}") for c, label in StaffRole.choices],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput)
    indicators = forms.CharField(
        label=_("Indicator codes"),
        required=False,
        help_text=_("Codes of the published catalogue, separated by commas (I01, I12)."),
    )
    governance_question = forms.CharField(
        label=_("Governance question (G-code)"), max_length=8, required=False
    )
    data_gap_indicator = forms.CharField(
        label=_("Data gap for indicator"), max_length=16, required=False
    )
    participation_where = forms.CharField(
        label=_("Where children take part"), max_length=300, required=False
    )
    participation_when = forms.CharField(
        label=_("When children take part"), max_length=200, required=False
    )
    participation_type = forms.ChoiceField(label=_("Participation type"), required=False)
    participation_rung = forms.ChoiceField(label=_("Target rung"), required=False)
    impact_before = forms.CharField(label=_("Figure before"), max_length=200, required=False)
    impact_after = forms.CharField(label=_("Figure after"), max_length=200, required=False)
    impact_children_feedback = forms.CharField(
        label=_("Children's feedback"), widget=forms.Textarea, required=False
    )
    impact_file = forms.FileField(label=_("Impact evidence file"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        fields: Any = self.fields
        fields["stream"].choices = blank + [
            (s.code, str(s)) for s in selectors.streams_for(municipality)
        ]
        fields["priority_area"].choices = blank + [
            (str(p.pk), p.title) for p in selectors.priorities_of(municipality)
        ]
        fields["participation_type"].choices = blank + _item_choices("T")
        fields["participation_rung"].choices = blank + _item_choices("H", selectors.TARGET_RUNGS)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("impact_file", None)
        return data


def action_initial(action: Action) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(action, name)
        for name in ActionForm.base_fields
        if name not in ("stream", "priority_area", "impact_file", "indicators")
    }
    initial["stream"] = action.stream.code if action.stream else ""
    initial["priority_area"] = str(action.priority_area_id or "")
    initial["indicators"] = ", ".join(action.indicators or [])
    return initial


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Action.Status.choices], required=False
    )
    department = forms.CharField(label=_("Department"), required=False)
    age = forms.ChoiceField(
        label=_("Target age"), choices=[("", _("Any")), *TargetAge.choices], required=False
    )


class FromQuestionForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    question = forms.CharField(max_length=8)
