"""The cities' data pages: years, entry, upload, templates, approval, evidence.

Each view: the form, the access helper, one service (or selector), then render or redirect.
Plain HTML forms throughout: everything works without JavaScript on a slow connection.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from meirim.accounts import access
from meirim.catalogue.models import CatalogueVersion
from meirim.common.files import private_download
from meirim.common.tabular import ImportRejected, Problem
from meirim.common.workflow import NotAllowed
from meirim.data import selectors as data_selectors
from meirim.data import services as data_services
from meirim.data import template_files
from meirim.data.forms import EvidenceForm, ObservationForm, ReopenForm, UploadForm
from meirim.data.models import ObservationEvidence
from meirim.data.validation import FIRST_YEAR, max_year, msg_locked
from meirim.geography.models import Municipality

PROBLEMS_SHOWN = 1000


def _version(request: HttpRequest) -> CatalogueVersion:
    """The published catalogue version named by ``?version=``, or the latest published."""
    version = data_selectors.published_version(request.GET.get("version") or None)
    if version is None:
        raise Http404
    return version


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= max_year(data_selectors.current_year()):
        raise Http404
    return year


def _with_query(url: str, **params: str) -> str:
    query = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


def _entry_url(municipality: Municipality, year: int, section: str, version: str) -> str:
    return _with_query(
        reverse("data:entry", args=[municipality.code, year]), section=section, version=version
    )


def _page_context(
    request: HttpRequest, municipality: Municipality, version: CatalogueVersion
) -> dict[str, Any]:
    user = request.user
    return {
        "municipality": municipality,
        "version": version,
        "can_enter": access.may(user, "data.enter", municipality),
        "can_upload": access.may(user, "data.upload", municipality),
        "can_approve": access.may(user, "data.approve_year", municipality),
        "can_reopen": access.may(user, "data.reopen_year", municipality),
        "default_year": data_selectors.default_data_year(),
        "first_year": FIRST_YEAR,
        "last_year": max_year(data_selectors.current_year()),
    }


def _requested_year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    if not raw.isdigit():
        return None
    year = int(raw)
    return year if FIRST_YEAR <= year <= max_year(data_selectors.current_year()) else None


# --- Years --------------------------------------------------------------------------


@access.page("data.read_draft", municipality="municipality")
@require_GET
def years(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    place = municipality
    version = _version(request)
    jump = _requested_year(request)
    if jump is not None and access.may(request.user, "data.read_draft", place):
        return redirect(_entry_url(place, jump, "", request.GET.get("version", "")))
    return render(
        request,
        "data/years.html",
        {
            **_page_context(request, place, version),
            "years": data_selectors.data_years(version, place),
        },
    )


@access.page("data.approve_year", municipality="municipality")
def approve(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    """Approving locks the year: a page states what that means before the coordinator confirms."""
    place = municipality
    version = _version(request)
    year = _year(year)
    years_url = _with_query(reverse("data:years", args=[place.code]), version=version.code)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            data_services.data_year_approve(
                version=version, municipality=place, year=year, actor=request.user
            )
        except NotAllowed as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(
                request, _("The data for %(year)s are approved and locked.") % {"year": year}
            )
        return redirect(years_url)
    state = next(s for s in data_selectors.data_years(version, place) if s.year == year)
    return render(
        request,
        "data/approve.html",
        {**_page_context(request, place, version), "year": year, "state": state},
    )


@access.page("data.reopen_year", municipality="municipality")
@require_POST
def reopen(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    place = municipality
    version = _version(request)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the year."))
    else:
        try:
            data_services.data_year_reopen(
                version=version,
                municipality=place,
                year=_year(year),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except NotAllowed as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(
                request, _("The data for %(year)s are open again for changes.") % {"year": year}
            )
    return redirect(_with_query(reverse("data:years", args=[place.code]), version=version.code))


# --- Entry --------------------------------------------------------------------------


@access.page("data.read_draft", post="data.enter", municipality="municipality")
def entry(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    """Entry for the city's people; the same page read-only for those who may only read."""
    place = municipality
    version = _version(request)
    year = _year(year)
    index = data_selectors.entry_section_index(version)
    key = request.GET.get("section") or index[0][0]
    jump = _requested_year(request)
    if request.method == "GET" and jump is not None and jump != year:
        return redirect(_entry_url(place, jump, key, request.GET.get("version", "")))
    section = data_selectors.entry_section(version, place, year, key)
    if section is None:
        raise Http404
    locked = data_selectors.is_year_locked(version, place, year)
    read_only = locked or not access.may(request.user, "data.enter", place)
    bound = request.method == "POST" and not locked
    # A row absent from the post (no field with its prefix) is left as it is.
    posted = {name.split("-", 1)[0] for name in request.POST} if bound else set()
    forms = [
        ObservationForm(request.POST if item.code in posted else None, item=item)
        for item in section.items
    ]
    if request.method == "POST":
        if locked:
            messages.error(request, msg_locked(year))
            return redirect(_entry_url(place, year, key, request.GET.get("version", "")))
        if all(form.is_valid() for form in forms if form.is_bound):
            changed = {
                form.item.code: form.values()
                for form in forms
                if form.is_bound and form.has_changed()
            }
            try:
                saved = data_services.observations_save_many(
                    version=version, municipality=place, year=year, rows=changed, actor=request.user
                )
            except data_services.EntryRejected as rejected:
                _attach_problems(forms, rejected.problems_by_code)
            else:
                if saved:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s value was saved.", "%(count)s values were saved.", len(saved)
                        )
                        % {"count": len(saved)},
                    )
                else:
                    messages.info(request, _("Nothing had changed; nothing was saved."))
                return redirect(_entry_url(place, year, key, request.GET.get("version", "")))
    evidence_codes = [
        (item.code, f"{item.code} · {item.entry.name}")
        for item in section.items
        if item.observation is not None
    ]
    return render(
        request,
        "data/entry.html",
        {
            **_page_context(request, place, version),
            "year": year,
            "section": section,
            "sections": index,
            "rows": list(zip(section.items, forms, strict=True)),
            "locked": locked,
            "read_only": read_only,
            "has_errors": any(form.errors for form in forms),
            "evidence_form": EvidenceForm(codes=evidence_codes) if evidence_codes else None,
        },
    )


def _attach_problems(
    forms: list[ObservationForm], problems_by_code: dict[str, list[Problem]]
) -> None:
    by_code = {form.item.code: form for form in forms}
    for code, problems in problems_by_code.items():
        form = by_code[code]
        for problem in problems:
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, problem.message)


# --- Evidence -----------------------------------------------------------------------


@access.page("data.enter", municipality="municipality")
@require_POST
def evidence_add(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    place = municipality
    version = _version(request)
    year = _year(year)
    section = request.POST.get("section", "")
    codes = data_selectors.observation_codes(version, place, year)
    form = EvidenceForm(request.POST, request.FILES, codes=[(code, code) for code in codes])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        observation = data_selectors.observation_total(
            version, place, year, form.cleaned_data["code"]
        )
        if observation is None:
            raise Http404
        try:
            data_services.evidence_add(
                observation=observation, file=form.cleaned_data["file"], actor=request.user
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                messages.error(request, problem.message)
        else:
            messages.success(request, _("The file was attached."))
    return redirect(_entry_url(place, year, section, request.GET.get("version", "")))


@access.page("data.enter", municipality="municipality")
def evidence_remove(
    request: HttpRequest, municipality: Municipality, evidence: int
) -> HttpResponse:
    """Removing deletes the stored file: a page names it before the removal is confirmed."""
    place = municipality
    try:
        found = data_selectors.evidence_in_municipality(evidence, place)
    except ObservationEvidence.DoesNotExist:
        raise Http404 from None
    observation = found.observation
    section = request.POST.get("section") or request.GET.get("section", "")
    back = _entry_url(place, observation.year, section, request.GET.get("version", ""))
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "data/evidence_remove.html",
            {
                **_page_context(request, place, _version(request)),
                "evidence": found,
                "section": section,
                "back": back,
            },
        )
    try:
        data_services.evidence_remove(evidence=found, actor=request.user)
    except ImportRejected as rejected:
        for problem in rejected.problems:
            messages.error(request, problem.message)
    else:
        messages.success(request, _("The file was removed."))
    return redirect(back)


@access.page("data.read_draft", municipality="municipality")
@require_GET
def evidence_download(
    request: HttpRequest, municipality: Municipality, evidence: int
) -> FileResponse:
    """Evidence is never public: only readers of this municipality's draft data get it."""
    place = municipality
    try:
        found = data_selectors.evidence_in_municipality(evidence, place)
    except ObservationEvidence.DoesNotExist:
        raise Http404 from None
    return private_download(found.file, found.original_name)


# --- Upload -------------------------------------------------------------------------


@access.page("data.upload", municipality="municipality")
def upload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    place = municipality
    version = _version(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        **_page_context(request, place, version),
        "form": form,
        "running_job": data_selectors.active_import_job(place),
    }
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            if file.size > data_services.BACKGROUND_IMPORT_BYTES:
                job = data_services.import_job_create(
                    version=version,
                    municipality=place,
                    file=file,
                    filename=file.name,
                    actor=request.user,
                )
                return redirect(
                    _with_query(
                        reverse("data:upload_status", args=[place.code, job.pk]),
                        version=version.code,
                    )
                )
            data_services.import_job_refuse_if_running(municipality=place)
            summary = data_services.observations_import(
                version=version,
                municipality=place,
                data=file.read(),
                filename=file.name,
                actor=request.user,
            )
        except data_services.ImportAlreadyRunning as running:
            form.add_error(None, running.message)
            context["running_job"] = running.job
        except ImportRejected as rejected:
            context.update(
                filename=file.name,
                problems=rejected.problems[:PROBLEMS_SHOWN],
                problem_count=len(rejected.problems),
            )
        else:
            context.update(filename=file.name, result=summary.as_dict())
            form = UploadForm()
            context["form"] = form
    return render(request, "data/upload.html", context)


@access.page("data.upload", municipality="municipality")
@require_GET
def upload_status(request: HttpRequest, municipality: Municipality, job: str) -> HttpResponse:
    """An import job's state, read from its row: any app server shows the same."""
    place = municipality
    version = _version(request)
    found = data_selectors.import_job(job, place)
    if found is None:
        raise Http404
    problems = [Problem(**problem) for problem in found.problems]
    total = found.rows_total
    return render(
        request,
        "data/upload_status.html",
        {
            **_page_context(request, place, version),
            "job": found,
            "running": found.is_active,
            "filename": found.filename,
            "result": found.summary,
            "problems": problems,
            "problem_count": found.problem_count,
            "percent": int(100 * found.rows_written / total) if total else 0,
        },
    )


# --- Templates ----------------------------------------------------------------------


@access.page("data.enter", municipality="municipality")
@require_GET
def template(request: HttpRequest, municipality: Municipality, fmt: str) -> HttpResponse:
    place = municipality
    version = _version(request)
    year = _requested_year(request) or data_selectors.default_data_year()
    if fmt == "csv":
        content = template_files.template_csv(version, place, year)
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = template_files.template_xlsx(version, place, year)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, template_files.template_filename(place, year, fmt)
    )
    return response


@access.page("data.read_draft")
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Which municipality has approved which year: the national and regional view."""
    version = _version(request)
    places = access.municipalities_where(request.user, "data.read_draft")
    return render(
        request,
        "data/overview.html",
        {
            "version": version,
            "rows": data_selectors.data_overview(version, places),
            "can_reopen": access.may(request.user, "data.reopen_year"),
        },
    )
