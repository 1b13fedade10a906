"""Forms of the community group's pages and of the review: they parse, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meirim.common.files import evidence_file_problem
from meirim.common.programme import AgeBand
from meirim.recognition.models import (
    CommunityGroupMember,
    CommunityVerdict,
    Criterion,
    Level,
)


def _file_clean(upload: Any) -> Any:
    if upload:
        problem = evidence_file_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
    return upload


class GroupForm(forms.Form):
    formed_on = forms.DateField(
        label=_("Formed on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Member"), choices=CommunityGroupMember.Kind.choices)
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=[("", "—"), *AgeBand.choices], required=False
    )
    organisation = forms.CharField(
        label=_("Youth group or organisation"), max_length=200, required=False
    )
    joined_on = forms.DateField(
        label=_("Joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    username = forms.CharField(
        label=_("Account (username, optional)"),
        max_length=150,
        required=False,
        help_text=_(
            "Link the member's account so that they can read the portfolio and write the "
            "report. The account must hold the community group member role for this city."
        ),
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "age_band": data["age_band"],
            "organisation": data["organisation"],
            "joined_on": data["joined_on"],
        }


class ReportForm(forms.Form):
    """The group's report: free text, a verdict and comment per criterion, one file."""

    text = forms.CharField(
        label=_("The group's report"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )
    file_title = forms.CharField(
        label=_("Title of the attached file"), max_length=200, required=False
    )
    file = forms.FileField(label=_("Attach a file (optional)"), required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"verdict_{criterion.code}"] = forms.ChoiceField(
                label=_("%(code)s: do you agree with the city's claim?") % {"code": criterion.code},
                choices=[("", "—"), *CommunityVerdict.Verdict.choices],
                required=False,
            )
            self.fields[f"comment_{criterion.code}"] = forms.CharField(
                label=_("%(code)s: comment") % {"code": criterion.code},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=8000,
            )

    def clean_file(self) -> Any:
        return _file_clean(self.cleaned_data.get("file"))

    def verdict_fields(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"verdict_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Reviewer"))

    def __init__(self, *args: Any, reviewers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (u.get_username(), u.get_full_name() or u.get_username()) for u in reviewers
        ]


class ConflictForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("no", _("I have no conflict of interest")),
            ("yes", _("I have a conflict of interest")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details of the conflict"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=_("%(code)s: score (0–%(max)s)")
                % {"code": criterion.code, "max": criterion.scale_max},
                min_value=0,
                max_value=criterion.scale_max,
            )
            self.fields[f"comment_{criterion.code}"] = forms.CharField(
                label=_("%(code)s: comment") % {"code": criterion.code},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=8000,
            )
            self.fields[f"evidence_{criterion.code}"] = forms.CharField(
                label=_("%(code)s: evidence cited") % {"code": criterion.code},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=8000,
            )

    def groups(self) -> list[tuple[Criterion, list[Any]]]:
        return [
            (c, [self[f"score_{c.code}"], self[f"comment_{c.code}"], self[f"evidence_{c.code}"]])
            for c in self.criteria
        ]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.CharField(
        label=_("Members"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    file = forms.FileField(label=_("File (optional)"), required=False)

    def clean_file(self) -> Any:
        return _file_clean(self.cleaned_data.get("file"))


class DecisionForm(forms.Form):
    level = forms.ChoiceField(label=_("Decision"), choices=Level.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    recommendations = forms.CharField(
        label=_("Recommendations"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"reason_{criterion.code}"] = forms.CharField(
                label=_("%(code)s: reason (optional)") % {"code": criterion.code},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=8000,
            )

    def criterion_reasons(self) -> dict[str, str]:
        return {c.code: self.cleaned_data.get(f"reason_{c.code}", "") for c in self.criteria}

    def reason_fields(self) -> list[Any]:
        return [self[f"reason_{c.code}"] for c in self.criteria]
