"""The managers' forms and the child's one-question form (built from the definition)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.common.tabular import msg_file_too_large
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.surveys import answers as answering
from meirim.surveys import importing, xlsform


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_("At most 2 MB. Sheets: survey, choices, settings."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the form_title of the settings sheet."),
    )
    national = forms.BooleanField(
        label=_("A national survey, answered in every city"), required=False
    )
    facility = forms.ModelChoiceField(
        label=_("Facility it evaluates"), queryset=Facility.objects.none(), required=False
    )
    action = forms.ModelChoiceField(
        label=_("Action of the plan it evaluates"), queryset=Action.objects.none(), required=False
    )
    opens_on = forms.DateField(
        label=_("Opens on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, municipality: Municipality, national: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        facility = self.fields["facility"]
        action = self.fields["action"]
        assert isinstance(facility, forms.ModelChoiceField)
        assert isinstance(action, forms.ModelChoiceField)
        facility.queryset = Facility.objects.filter(municipality=municipality)
        action.queryset = Action.objects.filter(municipality=municipality)
        if not national:
            del self.fields["national"]

    def clean_file(self) -> Any:
        return _within(self.cleaned_data["file"], xlsform.MAX_BYTES)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export from KoBoToolbox or ODK"),
        help_text=_("At most 5 MB. Columns named by question; metadata columns are ignored."),
    )

    def clean_file(self) -> Any:
        return _within(self.cleaned_data["file"], importing.MAX_BYTES)


def question_form(definition: dict[str, Any], item: dict[str, Any], *, data: Any = None,
                  initial: Any = None) -> forms.Form:  # fmt: skip
    """A form with the one field ``answer`` for ``item``, labelled in the active language."""
    label = answering.text_in(item["label"], definition) or item["name"]
    hint = answering.text_in(item.get("hint", {}), definition)
    choices = [
        (choice["name"], answering.text_in(choice["label"], definition) or choice["name"])
        for choice in item.get("choices", [])
    ]
    required = bool(item.get("required"))
    field: forms.Field
    if item["type"] == "select_one":
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
    elif item["type"] == "select_multiple":
        field = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, required=False
        )
    elif item["type"] == "integer":
        field = forms.CharField(
            required=False,
            max_length=12,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
    else:
        field = forms.CharField(
            required=False,
            max_length=answering.TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        )
    field.label = label
    field.help_text = hint
    field.required = False  # checked by the definition, in the reader's language
    field.widget.is_required = required

    class QuestionForm(forms.Form):
        pass

    form = QuestionForm(data=data, initial=initial)
    form.fields["answer"] = field
    form.question_required = required  # type: ignore[attr-defined]
    return form


def _within(file: Any, limit: int) -> Any:
    """The uploaded file, or the refusal every upload of the platform gives when too large."""
    if file.size and file.size > limit:
        raise forms.ValidationError(msg_file_too_large(limit))
    return file
