"""Forms of the council and assessment pages: they parse, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.governance.models import (
    AssessmentRound,
    CoordinationCouncil,
    CouncilMeeting,
    CouncilMember,
)
from meirim.governance.services import ANSWER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilForm(forms.ModelForm[CoordinationCouncil]):
    class Meta:
        model = CoordinationCouncil
        fields = [
            "chair_name",
            "chair_role",
            "established_on",
            "tor_functions",
            "tor_responsibilities",
            "tor_targets",
            "tor_deadlines",
            "information_programme",
        ]
        widgets = {"established_on": DATE}

    tor_document = forms.FileField(label=_("terms of reference (document)"), required=False)


class MemberForm(forms.ModelForm[CouncilMember]):
    class Meta:
        model = CouncilMember
        fields = [
            "name",
            "organisation",
            "council_role",
            "status",
            "invited_on",
            "approved_on",
            "left_on",
        ]
        widgets = {"invited_on": DATE, "approved_on": DATE, "left_on": DATE}


class MeetingForm(forms.ModelForm[CouncilMeeting]):
    class Meta:
        model = CouncilMeeting
        fields = ["held_on", "agenda", "minutes"]
        widgets = {"held_on": DATE}

    minutes_document = forms.FileField(label=_("minutes (document)"), required=False)


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    mode = forms.ChoiceField(label=_("Mode"), choices=AssessmentRound.Mode.choices)


class RoundReportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=AssessmentRound.Mode.choices)
    agreed_assessment = forms.CharField(
        label=_("Agreed assessment"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    rights_summary = forms.CharField(
        label=_("Summary of the child-rights situation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    agency = forms.CharField(label=_("Agency or NGO"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)


class AdditionalQuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))


def section_answers(data: Any, codes: list[str]) -> list[dict[str, Any]]:
    """The answers of one section's form: fields ``<code>-answer``, ``<code>-comment``…"""
    items = []
    for code in codes:
        if f"{code}-answer" not in data:
            continue
        item: dict[str, Any] = {"question": code, "answer": data.get(f"{code}-answer", "")}
        for name in ANSWER_FIELDS:
            item[name] = data.get(f"{code}-{name}", "")
        items.append(item)
    return items
