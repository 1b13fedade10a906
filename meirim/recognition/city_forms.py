"""Forms of the city's Phase 2 pages: they parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.recognition import applications
from meirim.recognition.models import Criterion, PortfolioAttachment


class DateInput(forms.DateInput):
    input_type = "date"


class EoiForm(forms.Form):
    """The expression of interest (Annex 3): the seven commitments, the signatory, the date."""

    commitments = forms.MultipleChoiceField(
        label=_("The city commits to"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    signatory = forms.CharField(label=_("Signatory (the akim)"), max_length=200, required=False)
    signatory_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput, required=False)
    signed_scan = forms.FileField(label=_("Signed application (scan, optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitments"].choices = [  # type: ignore[attr-defined]
            (item.code, f"{item.code} {item.name}") for item in applications.commitments()
        ] or [(code, code) for code in applications.COMMITMENT_CODES]


class PortfolioForm(forms.Form):
    introduction = forms.CharField(label=_("Introduction"), widget=forms.Textarea, required=False)
    index_commentary = forms.CharField(
        label=_("Commentary on the index results"), widget=forms.Textarea, required=False
    )
    facilities_improvement = forms.CharField(
        label=_("Improvement of facilities and services since the audit"),
        widget=forms.Textarea,
        required=False,
    )
    users_evaluation = forms.CharField(
        label=_("Users' evaluation of facilities and services"),
        widget=forms.Textarea,
        required=False,
    )
    participation_summary = forms.CharField(
        label=_("Children's and young people's participation"),
        widget=forms.Textarea,
        required=False,
    )
    impact_summary = forms.CharField(
        label=_("Impact of the strategy and action plan"), widget=forms.Textarea, required=False
    )


class EvidenceForm(forms.Form):
    """One text field per criterion of the cycle, named by its code."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[criterion.code] = forms.CharField(
                label=f"{criterion.code} {criterion.name}",
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                help_text=criterion.description,
            )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=PortfolioAttachment.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    criterion = forms.ChoiceField(label=_("Criterion (optional)"), required=False)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = {c.code: c for c in criteria}
        self.fields["criterion"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.code, f"{c.code} {c.name}") for c in criteria
        ]

    def criterion_object(self) -> Criterion | None:
        return self.criteria.get(self.cleaned_data.get("criterion") or "")
