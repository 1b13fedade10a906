"""Forms of the data pages. They collect text; the rules live in the ``validation`` package."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import Unit
from meirim.common.tabular import msg_file_too_large, upload_max_bytes
from meirim.data.models import CollectionMethod, DataType, ObservationStatus
from meirim.data.selectors import EntryItem
from meirim.data.validation import format_number

UPLOAD_EXTENSIONS = (".csv", ".xlsx")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "CSV saved as UTF-8, or an Excel workbook (.xlsx) with the data on the first sheet."
        ),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        extension = os.path.splitext(file.name or "")[1].lower()
        if extension not in UPLOAD_EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        # Checked before the file is read (settings.MEIRIM_UPLOAD_MAX_BYTES).
        limit = upload_max_bytes()
        if file.size > limit:
            raise forms.ValidationError(msg_file_too_large(limit))
        return file


YES_NO_CHOICES = [("", "—"), ("1", _("Yes")), ("0", _("No"))]


class ObservationForm(forms.Form):
    """One row of the entry page: the total of one item for the year."""

    value = forms.CharField(label=_("Value"), required=False, max_length=64)
    numerator = forms.CharField(label=_("Numerator"), required=False, max_length=64)
    denominator = forms.CharField(label=_("Denominator"), required=False, max_length=64)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ObservationStatus.choices)
    collection_method = forms.ChoiceField(
        label=_("Collection method"), choices=CollectionMethod.choices
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=255)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
    data_type = forms.ChoiceField(
        choices=[("", ""), *DataType.choices], widget=forms.HiddenInput, required=False
    )

    def __init__(self, data: Any = None, *, item: EntryItem) -> None:
        self.item = item
        observation = item.observation
        initial: dict[str, Any] = {
            "status": ObservationStatus.REPORTED,
            "collection_method": CollectionMethod.OFFICIAL_STATISTICS,
            "data_type": item.spec.data_type,
        }
        if observation is not None:
            initial.update(
                value=format_number(observation.value),
                numerator=format_number(observation.numerator),
                denominator=format_number(observation.denominator),
                description=observation.text_value,
                status=observation.status,
                collection_method=observation.collection_method,
                source=observation.source,
                comment=observation.comment,
                data_type=observation.data_type,
            )
        super().__init__(data, prefix=item.code, initial=initial)
        has_ratio = observation is not None and observation.denominator is not None
        if not (item.shows_ratio or has_ratio):
            del self.fields["numerator"]
            del self.fields["denominator"]
        has_text = observation is not None and bool(observation.text_value)
        if not (item.spec.is_qualitative or has_text):
            del self.fields["description"]
        if item.spec.unit == Unit.YESNO:
            self.fields["value"] = forms.ChoiceField(
                label=_("Answer"), choices=YES_NO_CHOICES, required=False
            )
        elif item.spec.unit == Unit.TEXT:
            del self.fields["value"]
        else:
            self.fields["value"].widget.attrs.update(inputmode="decimal", size=10)
            for name in ("numerator", "denominator"):
                if name in self.fields:
                    self.fields[name].widget.attrs.update(inputmode="decimal", size=10)

    def values(self) -> dict[str, Any]:
        """The cell as ``observation_save`` takes it (the total: no breakdown)."""
        data = self.cleaned_data
        return {name: data.get(name, "") for name in self.fields}


class EvidenceForm(forms.Form):
    code = forms.ChoiceField(label=_("Indicator or figure"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = codes  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
