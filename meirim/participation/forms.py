"""Forms of the participation pages: they parse and validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.common.files import evidence_file_problem
from meirim.common.programme import AgeBand, ChildSex
from meirim.geography.models import Municipality
from meirim.participation import selectors
from meirim.participation.models import Activity
from meirim.participation.selectors import ENTERED_CODES, QUALITY, HardToReach

MAX_COUNT = 1_000_000


def participant_field(band: str, sex: str) -> str:
    return f"p_{band}_{sex}"


def group_field(group: str) -> str:
    return f"h_{group}"


def _item_label(code: str, items: dict[str, Any], non_participation: bool = False) -> str:
    item = items.get(code)
    name = item.name if item is not None else ""
    label = f"{code} {name}".strip()
    if non_participation:
        label = f"{label} — {_('non-participation')}"
    return label


class ActivityForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=300)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    recurrence = forms.ChoiceField(
        label=_("One-off or recurring"), choices=Activity.Recurrence.choices
    )
    recurrence_note = forms.CharField(
        label=_("How often (for a recurring activity)"), max_length=120, required=False
    )
    action: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Action of the plan"), queryset=None, required=False, empty_label="—"
    )
    rung = forms.ChoiceField(label=_("Rung of Hart's ladder"))
    kind = forms.ChoiceField(label=_("Type of participation"))
    impact = forms.CharField(
        label=_("Impact"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_changed = forms.CharField(
        label=_("What changed as a result"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rungs = selectors.catalogue_names("H")
        kinds = selectors.catalogue_names("T")
        self.quality_items = selectors.catalogue_names("Q")
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ModelChoiceField)
        action_field.queryset = selectors.city_actions(municipality)
        rung_field = self.fields["rung"]
        assert isinstance(rung_field, forms.ChoiceField)
        rung_field.choices = [
            (code, _item_label(code, rungs, not selectors.is_participation(code)))
            for code in reversed(selectors.RUNGS)
        ]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(code, _item_label(code, kinds)) for code in selectors.TYPES]
        for code in QUALITY:
            self.fields[f"q_{code}_met"] = forms.BooleanField(label=_("Met"), required=False)
            self.fields[f"q_{code}_evidence"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=2000
            )
        for band in AgeBand:
            for sex in ChildSex:
                self.fields[participant_field(band.value, sex.value)] = forms.IntegerField(
                    label=f"{band.label}, {sex.label}",
                    required=False,
                    min_value=0,
                    max_value=MAX_COUNT,
                    widget=forms.NumberInput(attrs={"size": 4, "inputmode": "numeric"}),
                )
        for group in HardToReach:
            self.fields[group_field(group.value)] = forms.IntegerField(
                label=group.label, required=False, min_value=0, max_value=MAX_COUNT
            )

    @classmethod
    def initial_from(cls, activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "topic": activity.topic,
            "held_on": activity.held_on,
            "recurrence": activity.recurrence,
            "recurrence_note": activity.recurrence_note,
            "action": activity.action_id,
            "rung": activity.rung,
            "kind": activity.kind,
            "impact": activity.impact,
            "what_changed": activity.what_changed,
        }
        for code, entry in (activity.quality or {}).items():
            initial[f"q_{code}_met"] = bool(entry.get("met"))
            initial[f"q_{code}_evidence"] = entry.get("evidence", "")
        for p in activity.participants.all():
            initial[participant_field(p.age_band, p.sex)] = p.count
        for key, value in (activity.hard_to_reach or {}).items():
            initial[group_field(key)] = value
        return initial

    def quality_rows(self) -> list[tuple[str, str, Any, Any]]:
        return [
            (
                code,
                self.quality_items[code].name if code in self.quality_items else "",
                self[f"q_{code}_met"],
                self[f"q_{code}_evidence"],
            )
            for code in QUALITY
        ]

    def participant_rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                str(band.label),
                [self[participant_field(band.value, sex.value)] for sex in ChildSex],
            )
            for band in AgeBand
        ]

    def group_fields(self) -> list[Any]:
        return [self[group_field(group.value)] for group in HardToReach]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        quality = {}
        for code in QUALITY:
            met = bool(data.get(f"q_{code}_met"))
            evidence = (data.get(f"q_{code}_evidence") or "").strip()
            if met or evidence:
                quality[code] = {"met": met, "evidence": evidence}
        groups = {
            group.value: data[group_field(group.value)]
            for group in HardToReach
            if data.get(group_field(group.value))
        }
        return {
            "topic": data["topic"].strip(),
            "held_on": data["held_on"],
            "recurrence": data["recurrence"],
            "recurrence_note": data.get("recurrence_note", "").strip(),
            "action": data.get("action"),
            "rung": data["rung"],
            "kind": data["kind"],
            "quality": quality,
            "hard_to_reach": groups,
            "impact": data.get("impact", "").strip(),
            "what_changed": data.get("what_changed", "").strip(),
        }

    def participants(self) -> dict[tuple[str, str], int]:
        return {
            (band.value, sex.value): self.cleaned_data.get(participant_field(band.value, sex.value))
            or 0
            for band in AgeBand
            for sex in ChildSex
        }


class EvidenceStatementForm(forms.Form):
    code = forms.ChoiceField(choices=[(code, code) for code in ENTERED_CODES])
    text = forms.CharField(
        label=_("Statement"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(label=_("Evidence file (optional)"), required=False)

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if not file:
            return None
        problem = evidence_file_problem(file)
        if problem is not None:
            raise forms.ValidationError(problem)
        return file
