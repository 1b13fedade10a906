"""The participation log's pages: the list with its summary, an activity, the evidence P1–P9.

Signed-in city people see exact counts; nothing here is public.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meirim.accounts import access
from meirim.common.files import private_download
from meirim.common.programme import ChildSex
from meirim.geography.models import Municipality
from meirim.participation import selectors, services
from meirim.participation.forms import ActivityForm, EvidenceStatementForm
from meirim.participation.models import Activity


def _context(request: HttpRequest, municipality: Municipality) -> dict[str, object]:
    return {
        "municipality": municipality,
        "can_edit": access.may(request.user, "preparation.edit", municipality),
    }


@access.page("preparation.read", municipality="municipality")
@require_GET
def activity_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    rows = list(selectors.activities(municipality))
    return render(
        request,
        "participation/list.html",
        {
            **_context(request, municipality),
            "activities": [(a, selectors.children_reached(a)) for a in rows],
            "summary": selectors.participation_summary(municipality, public=False),
            "non_participation": selectors.NON_PARTICIPATION,
        },
    )


def _form_page(
    request: HttpRequest, municipality: Municipality, activity: Activity | None
) -> HttpResponse:
    if request.method == "POST" and activity is not None and "delete" in request.POST:
        services.activity_delete(activity=activity, actor=request.user)
        messages.success(request, _("The activity was deleted."))
        return redirect("participation:list", municipality=municipality.code)
    if request.method == "POST":
        form = ActivityForm(request.POST, municipality=municipality)
        if form.is_valid():
            services.activity_save(
                municipality=municipality,
                activity=activity,
                values=form.values(),
                participants=form.participants(),
                actor=request.user,
            )
            messages.success(request, _("The activity was saved."))
            return redirect("participation:list", municipality=municipality.code)
    else:
        initial = ActivityForm.initial_from(activity) if activity is not None else {}
        form = ActivityForm(initial=initial, municipality=municipality)
    return render(
        request,
        "participation/activity.html",
        {
            **_context(request, municipality),
            "form": form,
            "activity": activity,
            "sexes": [str(label) for label in ChildSex.labels],
        },
    )


@access.page("preparation.edit", municipality="municipality")
def activity_add(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _form_page(request, municipality, None)


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def activity_edit(request: HttpRequest, municipality: Municipality, activity: int) -> HttpResponse:
    found = selectors.activity_get(municipality, activity)
    if found is None:
        raise Http404
    return _form_page(request, municipality, found)


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def evidence(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = None
    if request.method == "POST":
        form = EvidenceStatementForm(request.POST, request.FILES)
        if form.is_valid():
            services.evidence_statement_save(
                municipality=municipality,
                code=form.cleaned_data["code"],
                text=form.cleaned_data["text"].strip(),
                file=form.cleaned_data.get("file"),
                actor=request.user,
            )
            messages.success(request, _("The statement was saved."))
            return redirect("participation:evidence", municipality=municipality.code)
        messages.error(request, _("The statement was not saved: see the errors below."))
    items = selectors.participation_evidence(municipality, public=False)
    return render(
        request,
        "participation/evidence.html",
        {
            **_context(request, municipality),
            "items": items,
            "failed": form,
            "entered_codes": selectors.ENTERED_CODES,
        },
    )


@access.page("preparation.read", municipality="municipality")
@require_GET
def evidence_file(request: HttpRequest, municipality: Municipality, code: str) -> FileResponse:
    statement = selectors.evidence_statement(municipality, code)
    if statement is None:
        raise Http404
    return private_download(statement.evidence_file)
