"""The suggestion box, the receipt, "you said, we did", moderation and safeguarding.

The child's pages set no cookie but the form's CSRF token, use no session and no message
framework (which would need one), and work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from meirim.accounts import access
from meirim.common.programme import AgeBand
from meirim.common.suppression import SuppressedTable
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality
from meirim.planning.models import Action
from meirim.voice import limits, privacy, receipts, selectors, services
from meirim.voice.forms import ModerateForm, ReceiptForm, SuggestionForm
from meirim.voice.models import Suggestion, Topic

FINDING_NAMES = {
    "email": gettext_lazy("an e-mail address"),
    "link": gettext_lazy("a link or a profile name"),
    "phone": gettext_lazy("a phone number"),
    "address": gettext_lazy("an address"),
    "name": gettext_lazy("a person's name"),
}


def _city(code: str) -> Municipality:
    return get_object_or_404(Municipality, code=code)


def limited(request: HttpRequest) -> HttpResponse:
    """The friendly answer to too many messages from one place in a day (429)."""
    return render(request, "voice/limited.html", {}, status=429)


def helpline(suggestion: Suggestion) -> str:
    return str(settings.CHILD_HELPLINES.get(suggestion.municipality.country, ""))


@access.page(access.PUBLIC)
@require_http_methods(["GET", "POST"])
def box(request: HttpRequest, municipality: str) -> HttpResponse:
    city = _city(municipality)
    facility = action = None
    department = request.GET.get("department", "").strip()[:200]
    if request.GET.get("facility"):
        facility = Facility.objects.filter(
            municipality=city, pk=_int(request.GET["facility"])
        ).first()
        if facility is None:
            raise Http404
    if request.GET.get("action"):
        action = Action.objects.filter(municipality=city, pk=_int(request.GET["action"])).first()
        if action is None:
            raise Http404
    if request.method == "POST":
        form = SuggestionForm(request.POST)
        if form.is_valid():
            if not limits.allow(request, "suggestion"):
                return limited(request)
            suggestion = services.suggestion_submit(
                municipality=city,
                text=form.cleaned_data["text"],
                topic=form.cleaned_data["topic"],
                age_band=form.cleaned_data["age_band"],
                facility=facility,
                action=action,
                department=department,
            )
            url = reverse("voice:receipt", kwargs={"code": receipts.grouped(suggestion.receipt)})
            return _see_other(url + "?new=1")
    else:
        form = SuggestionForm()
    return render(
        request,
        "voice/box.html",
        {
            "municipality": city,
            "form": form,
            "facility": facility,
            "action": action,
            "department": department,
        },
    )


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@access.page(access.PUBLIC)
@require_GET
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """A GET form (no cookie needed): the code typed as the child has it."""
    form = ReceiptForm(request.GET or None)
    status = 200
    if form.is_valid():
        code = form.cleaned_data["code"]
        if services.suggestion_by_receipt(code) is not None:
            return redirect("voice:receipt", code=receipts.grouped(code))
        form.add_error("code", _("We could not find this code. Please check it and try again."))
        status = 404
    return render(request, "voice/receipt_lookup.html", {"form": form}, status=status)


@access.page(access.PUBLIC)
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    suggestion = services.suggestion_by_receipt(code)
    if suggestion is None:
        form = ReceiptForm({"code": code})
        form.is_valid()
        form.add_error("code", _("We could not find this code. Please check it and try again."))
        return render(request, "voice/receipt_lookup.html", {"form": form}, status=404)
    return render(
        request,
        "voice/receipt.html",
        {
            "suggestion": suggestion,
            "code": receipts.grouped(suggestion.receipt),
            "new": request.GET.get("new") == "1",
            "helpline": helpline(suggestion) if suggestion.safeguarding else "",
        },
    )


@access.page(access.PUBLIC)
@require_GET
def public(request: HttpRequest, municipality: str) -> HttpResponse:
    city = _city(municipality)
    rows = selectors.published(city).select_related("linked_action")
    summary = selectors.public_summary(city)
    return render(
        request,
        "voice/public.html",
        {
            "municipality": city,
            "suggestions": rows,
            "by_topic": _rows(summary["by_topic"], _labels(Topic.choices)),
            "by_age_band": _rows(summary["by_age_band"], _labels(AgeBand.choices)),
            "by_outcome": _rows(summary["by_outcome"], _labels(Suggestion.Outcome.choices)),
            "totals": {
                "topic": summary["by_topic"].total,
                "age": summary["by_age_band"].total,
            },
        },
    )


def _labels(choices: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    return {str(key): str(label) for key, label in choices}


def _rows(table: SuppressedTable[str], labels: dict[str, str]) -> list[tuple[str, int | None]]:
    """(label, suppressed count) rows; the "" key is the count of those not given."""
    return [(str(labels.get(key) or _("not given")), value) for key, value in table.cells.items()]


@access.page("voice.moderate", municipality="municipality")
@require_GET
def moderation(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    state = request.GET.get("state", "open")
    if state not in selectors.MODERATION_FILTERS:
        state = "open"
    counts = selectors.counts_by_state(municipality)
    labels = [
        ("open", _("To read")),
        *((value, label) for value, label in Suggestion.State.choices),
        ("all", _("All")),
    ]
    open_count = counts[Suggestion.State.NEW] + counts[Suggestion.State.HELD]
    totals = {**counts, "open": open_count, "all": sum(counts.values())}
    return render(
        request,
        "voice/moderation.html",
        {
            "municipality": municipality,
            "state": state,
            "suggestions": selectors.for_moderation(municipality, state),
            "filters": [(key, label, totals[key]) for key, label in labels],
        },
    )


@access.page("voice.moderate", municipality="municipality")
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, municipality: Municipality, suggestion: int) -> HttpResponse:
    item = get_object_or_404(
        Suggestion.objects.select_related("municipality", "linked_action"),
        municipality=municipality,
        pk=suggestion,
    )
    back = redirect("voice:moderate", municipality=municipality.code, suggestion=item.pk)
    if request.method == "POST" and "safeguarding" in request.POST:
        services.suggestion_mark_safeguarding(suggestion=item, actor=request.user)
        messages.success(
            request,
            _("Marked as a safeguarding concern: the protection officers were told at once."),
        )
        return back
    if request.method == "POST":
        form = ModerateForm(request.POST, suggestion=item)
        if form.is_valid():
            services.suggestion_moderate(suggestion=item, values=form.values(), actor=request.user)
            messages.success(request, _("Saved."))
            return back
    else:
        form = ModerateForm(initial=ModerateForm.initial_from(item), suggestion=item)
    return render(
        request,
        "voice/moderate.html",
        {
            "municipality": municipality,
            "suggestion": item,
            "code": receipts.grouped(item.receipt),
            "form": form,
            "findings": sorted({str(FINDING_NAMES[f.kind]) for f in privacy.findings(item.text)}),
        },
    )


@access.page("voice.safeguarding", municipality="municipality")
@require_GET
def safeguarding(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "voice/safeguarding.html",
        {
            "municipality": municipality,
            "concerns": selectors.safeguarding_concerns(municipality).select_related(
                "facility", "action"
            ),
            "helpline": str(settings.CHILD_HELPLINES.get(municipality.country, "")),
        },
    )
