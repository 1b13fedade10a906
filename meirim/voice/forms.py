"""Forms of the suggestion box and of moderation: they parse, the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import Indicator
from meirim.catalogue.selectors import published_version
from meirim.common.i18n import localized
from meirim.common.programme import AgeBand
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.voice import receipts
from meirim.voice.models import Suggestion, Topic
from meirim.voice.services import MAX_TEXT


class SuggestionForm(forms.Form):
    """What a child may send: a message, an optional topic, an optional age band. Nothing else."""

    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
        error_messages={
            "required": _("Please write your message."),
            "max_length": _(
                "Your message is too long: please keep it under %(limit_value)d letters."
            ),
        },
    )
    topic = forms.ChoiceField(
        label=_("What is it about? (you can skip this)"),
        choices=[("", _("I'd rather not choose")), *Topic.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose a topic from the list.")},
    )
    age_band = forms.ChoiceField(
        label=_("How old are you? (you can skip this)"),
        choices=[("", _("I'd rather not say")), *AgeBand.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose an age from the list.")},
    )

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(_("Please write your message."))
        return text


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        error_messages={"required": _("Please type your receipt code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = receipts.normalise(str(self.cleaned_data["code"]))
        if code is None:
            raise forms.ValidationError(
                _("A receipt code has 10 letters and numbers, like K7QD-4MXA-9T.")
            )
        return code


class ModerateForm(forms.Form):
    PUBLISH = "publish"
    NOT_PUBLISH = "not_publish"
    KEEP = ""

    tag_topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", "—"), *Topic.choices], required=False
    )
    linked_action = forms.ModelChoiceField(
        label=_("Linked action of the plan"), queryset=Action.objects.none(), required=False
    )
    linked_indicator = forms.ChoiceField(label=_("Linked indicator"), required=False)
    answer = forms.CharField(
        label=_("Answer to the child, in plain words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Suggestion.Outcome.choices, required=False
    )
    outcome_reason = forms.CharField(
        label=_("Why it cannot be done"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    publication = forms.ChoiceField(
        label=_("Publication"),
        choices=[
            (KEEP, _("No change")),
            (PUBLISH, _("Publish the public text")),
            (NOT_PUBLISH, _("Do not publish")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    public_text = forms.CharField(
        label=_("Public text (personal data removed)"),
        required=False,
        max_length=MAX_TEXT + 200,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internal_note = forms.CharField(
        label=_("Internal note (never shown to the child or the public)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        municipality: Municipality = suggestion.municipality
        self.fields["linked_action"].queryset = Action.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("code")
        self.fields["linked_action"].label_from_instance = lambda a: f"{a.code} {a.title}"  # type: ignore[attr-defined]
        version = published_version()
        indicators = (
            Indicator.objects.filter(version=version).order_by("order", "code")
            if version is not None
            else Indicator.objects.none()
        )
        self.fields["linked_indicator"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *(
                (i.code, Truncator(f"{i.code} {localized(i, 'name')}").chars(90))
                for i in indicators
            ),
        ]

    @classmethod
    def initial_from(cls, suggestion: Suggestion) -> dict[str, Any]:
        from meirim.voice import privacy

        return {
            "tag_topic": suggestion.tag_topic or suggestion.topic,
            "linked_action": suggestion.linked_action_id,
            "linked_indicator": suggestion.linked_indicator,
            "answer": suggestion.answer,
            "outcome": suggestion.outcome,
            "outcome_reason": suggestion.outcome_reason,
            "public_text": suggestion.public_text or privacy.redact(suggestion.text),
            "internal_note": suggestion.internal_note,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome", "")
        if outcome == Suggestion.Outcome.CANNOT and not str(data.get("outcome_reason", "")).strip():
            self.add_error(
                "outcome_reason", _("Say why it cannot be done: the child will read it.")
            )
        if outcome == Suggestion.Outcome.PLANNED and data.get("linked_action") is None:
            self.add_error("linked_action", _("Choose the action of the plan it became."))
        if data.get("publication") == self.PUBLISH:
            if self.suggestion.safeguarding:
                self.add_error("publication", _("A safeguarding concern is never published."))
            if not str(data.get("public_text", "")).strip():
                self.add_error("public_text", _("Write the public text before publishing."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "tag_topic": data["tag_topic"],
            "linked_action": data["linked_action"],
            "linked_indicator": data["linked_indicator"],
            "answer": data["answer"].strip(),
            "outcome": data["outcome"],
            "outcome_reason": data["outcome_reason"].strip()
            if data["outcome"] == Suggestion.Outcome.CANNOT
            else "",
            "public_text": data["public_text"].strip(),
            "internal_note": data["internal_note"].strip(),
        }
        if data["publication"] == self.PUBLISH:
            values["state"] = Suggestion.State.PUBLISHED
        elif data["publication"] == self.NOT_PUBLISH:
            values["state"] = Suggestion.State.NOT_PUBLISHED
        return values
