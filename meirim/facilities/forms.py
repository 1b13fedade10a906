"""The audit's forms: one item of the inventory, the filters of the list, an import file."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.common.programme import TargetAge
from meirim.common.tabular import msg_file_too_large, upload_max_bytes
from meirim.facilities.models import (
    AffectedGroup,
    Availability,
    Barrier,
    Facility,
    FacilityKind,
)

IMPORT_EXTENSIONS = frozenset({".csv", ".xlsx"})
RATINGS = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


class FacilityForm(forms.ModelForm):  # type: ignore[type-arg]
    target_ages = forms.MultipleChoiceField(
        label=_("Target ages"),
        choices=TargetAge.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    barriers = forms.MultipleChoiceField(
        label=_("Barriers"),
        choices=Barrier.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    groups_affected = forms.MultipleChoiceField(
        label=_("Groups affected"),
        choices=AffectedGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    adult_rating = forms.TypedChoiceField(
        label=_("Quality rated by adults (1–5)"),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    children_rating = forms.TypedChoiceField(
        label=_("Quality rated by children (1–5)"),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    evidence_upload = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("A document or photo, at most 20 MB; it is visible only to the city's people."),
    )
    remove_file = forms.BooleanField(label=_("Remove the stored evidence file"), required=False)

    class Meta:
        model = Facility
        fields = [
            "name",
            "kind",
            "address",
            "latitude",
            "longitude",
            "target_ages",
            "availability",
            "barriers",
            "barrier_note",
            "groups_affected",
            "adult_rating",
            "children_rating",
            "children_asked_by",
            "children_asked_note",
            "evidence",
            "audited_on",
        ]
        widgets = {
            "audited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "barrier_note": forms.Textarea(attrs={"rows": 3}),
            "children_asked_note": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "latitude": _("Optional, in decimal degrees, e.g. 53.283 (shown on the map)."),
            "longitude": _("Optional, in decimal degrees, e.g. 69.392."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (self.instance and self.instance.evidence_file):
            del self.fields["remove_file"]

    def clean_audited_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("audited_on")
        if day and day > dt.date.today():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Give both latitude and longitude, or neither."),
            )
        return data

    def values(self) -> dict[str, Any]:
        """The model's values (without the file fields)."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.Meta.fields}
        for name in ("target_ages", "barriers", "groups_affected"):
            values[name] = list(data.get(name) or [])
        return values


class FilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All")), *FacilityKind.choices], required=False
    )
    availability = forms.ChoiceField(
        label=_("Availability"), choices=[("", _("All")), *Availability.choices], required=False
    )
    barrier = forms.ChoiceField(
        label=_("Barrier"), choices=[("", _("All")), *Barrier.choices], required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "CSV saved as UTF-8, or an Excel workbook (.xlsx) with the data on the first sheet."
        ),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        extension = os.path.splitext(file.name or "")[1].lower()
        if extension not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        limit = upload_max_bytes()
        if file.size > limit:
            raise forms.ValidationError(msg_file_too_large(limit))
        if not file.size:
            raise forms.ValidationError(_("The file is empty."))
        return file
