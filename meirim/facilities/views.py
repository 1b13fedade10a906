"""The audit of facilities and services: the inventory, its form, import, map and evidence.

Each view: the form, the access helper, one service (or selector), then render or redirect.
Plain HTML forms throughout; nothing needs JavaScript.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meirim.accounts import access
from meirim.common.files import private_download
from meirim.common.tabular import ImportRejected
from meirim.facilities import fields, selectors, services, svgmap, template_files
from meirim.facilities.forms import FacilityForm, FilterForm, ImportForm
from meirim.facilities.models import Facility
from meirim.geography.models import Municipality

PROBLEMS_SHOWN = 1000


def _context(request: HttpRequest, municipality: Municipality, **extra: Any) -> dict[str, Any]:
    return {
        "municipality": municipality,
        "can_edit": access.may(request.user, "preparation.edit", municipality),
        **extra,
    }


def _found(municipality: Municipality, facility: int) -> Facility:
    found = selectors.facility_in(municipality, facility)
    if found is None:
        raise Http404
    return found


@access.page("preparation.read", municipality="municipality")
@require_GET
def facility_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = FilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    items = selectors.facilities(
        municipality,
        kind=chosen.get("type", ""),
        availability=chosen.get("availability", ""),
        barrier=chosen.get("barrier", ""),
    )
    return render(
        request,
        "facilities/list.html",
        _context(
            request,
            municipality,
            form=form,
            facilities=items,
            filtered=any(chosen.values()) if chosen else False,
            by_availability=selectors.counts_by_availability(municipality),
            by_barrier=selectors.counts_by_barrier(municipality),
            candidates=selectors.barrier_candidates(municipality),
            summary=selectors.audit_summary(municipality),
        ),
    )


def _save(
    request: HttpRequest, municipality: Municipality, facility: Facility | None
) -> HttpResponse:
    instance = copy.copy(facility) if facility is not None else None
    form = FacilityForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence_upload")
        try:
            if facility is None:
                facility = services.facility_create(
                    municipality=municipality,
                    values=form.values(),
                    actor=request.user,
                    evidence_file=upload,
                )
                messages.success(request, _("The facility was added to the audit."))
            else:
                services.facility_update(
                    facility=facility,
                    values=form.values(),
                    actor=request.user,
                    evidence_file=upload,
                    remove_file=bool(form.cleaned_data.get("remove_file")),
                )
                messages.success(request, _("The facility was saved."))
        except ImportRejected as rejected:
            for problem in rejected.problems:
                form.add_error("evidence_upload", problem.message)
        else:
            return redirect("facilities:list", municipality=municipality.code)
    return render(
        request,
        "facilities/form.html",
        _context(request, municipality, form=form, facility=facility),
    )


@access.page("preparation.edit", municipality="municipality")
def facility_add(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _save(request, municipality, None)


@access.page("preparation.edit", municipality="municipality")
def facility_edit(request: HttpRequest, municipality: Municipality, facility: int) -> HttpResponse:
    return _save(request, municipality, _found(municipality, facility))


@access.page("preparation.edit", municipality="municipality")
def facility_delete(
    request: HttpRequest, municipality: Municipality, facility: int
) -> HttpResponse:
    """A page names the item before its removal is confirmed by a POST."""
    found = _found(municipality, facility)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request, "facilities/delete.html", _context(request, municipality, facility=found)
        )
    name = found.name
    services.facility_delete(facility=found, actor=request.user)
    messages.success(request, _("“%(name)s” was removed from the audit.") % {"name": name})
    return redirect("facilities:list", municipality=municipality.code)


@access.page("preparation.read", municipality="municipality")
@require_GET
def evidence_download(
    request: HttpRequest, municipality: Municipality, facility: int
) -> FileResponse:
    """Evidence files are never public: only the city's readers get them."""
    found = _found(municipality, facility)
    extension = os.path.splitext(found.evidence_file.name or "")[1]
    return private_download(found.evidence_file, f"evidence-{found.pk}{extension}")


@access.page("preparation.edit", municipality="municipality")
def facility_import(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context = _context(request, municipality, form=form, columns=fields.COLUMNS,
                       required=fields.REQUIRED, code_lists=fields.code_lists(),
                       separator=fields.LIST_SEPARATOR)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            summary = services.facilities_import(
                municipality=municipality,
                data=file.read(),
                filename=file.name or "",
                actor=request.user,
            )
        except ImportRejected as rejected:
            context.update(
                filename=file.name,
                problems=rejected.problems[:PROBLEMS_SHOWN],
                problem_count=len(rejected.problems),
            )
        else:
            context.update(filename=file.name, result=summary.as_dict(), form=ImportForm())
    return render(request, "facilities/import.html", context)


@access.page("preparation.edit", municipality="municipality")
@require_GET
def import_template(request: HttpRequest, municipality: Municipality, fmt: str) -> HttpResponse:
    """The inventory as a file to fill in: the stored items, ready to be changed and uploaded."""
    if fmt == "csv":
        content = template_files.inventory_csv(municipality)
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = template_files.inventory_xlsx(municipality)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"meirim-facilities-{municipality.code}.{fmt}"
    )
    return response


@access.page("preparation.read", municipality="municipality")
@require_GET
def facility_map(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    points = svgmap.place(selectors.facilities_located(municipality))
    unlocated = selectors.facilities(municipality).filter(latitude__isnull=True).count()
    unlocated += (
        selectors.facilities(municipality)
        .filter(latitude__isnull=False, longitude__isnull=True)
        .count()
    )
    return render(
        request,
        "facilities/map.html",
        _context(
            request,
            municipality,
            points=points,
            svg=svgmap.render(points),
            legend=svgmap.legend(),
            unlocated=unlocated,
            list_url=reverse("facilities:list", kwargs={"municipality": municipality.code}),
        ),
    )
