"""The city's Phase 2 pages: its home (open calls, its applications), the expression of
interest, the application, the recognition portfolio (texts, evidence per criterion,
attachments), the readiness meter, the submission and the frozen portfolios.

Thin views: a form parses, one service writes; refusals are shown as messages or form
errors, and a refused form is shown again with everything the person typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meirim.accounts import access
from meirim.common.files import private_download
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.participation.selectors import participation_evidence
from meirim.portfolio.selectors import latest_version, portfolio_find
from meirim.recognition import applications, assembly, city_forms, diff, index_section, readiness
from meirim.recognition.models import Application, Cycle, PortfolioAttachment, Recognition


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _application(municipality: Municipality, pk: int) -> Application:
    found = applications.application_in(municipality, pk)
    if found is None:
        raise Http404
    return found


def _refused(request: HttpRequest, refused: NotAllowed) -> None:
    for reason in refused.reasons:
        messages.error(request, reason)


def _base(request: HttpRequest, application: Application) -> dict[str, Any]:
    user = request.user
    return {
        "municipality": application.municipality,
        "application": application,
        "status": applications.status_of(application),
        "editable": application.state == Application.State.EOI_SUBMITTED
        and access.may(user, "recognition.prepare", application),
        "can_apply": access.may(user, "recognition.apply", application),
    }


@access.page("recognition.read", municipality="municipality")
def city(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The city's Phase 2 home: open calls, its applications and their states, its status."""
    mine = list(applications.applications_of(municipality))
    applied = {a.cycle_id for a in mine}
    calls = []
    for cycle in applications.open_cycles().prefetch_related("criteria"):
        calls.append(
            {
                "cycle": cycle,
                "late": timezone.localdate() > cycle.eoi_deadline,
                "applied": cycle.pk in applied,
                "link": _url("recognition:cycle", cycle.pk),
                "criteria": list(cycle.criteria.all()),
            }
        )
    return render(
        request,
        "recognition/city/home.html",
        {
            "municipality": municipality,
            "calls": calls,
            "rows": [{"application": a, "status": applications.status_of(a)} for a in mine],
            "recognitions": Recognition.objects.filter(
                municipality=municipality, ended_on=None, expires_on__gt=timezone.localdate()
            ).select_related("cycle"),
            "can_apply": access.may(request.user, "recognition.apply", municipality),
            "phase1_ready": applications.phase1_feedback_received(municipality),
        },
    )


@access.page("recognition.apply", municipality="municipality")
def apply(request: HttpRequest, municipality: Municipality, cycle: int) -> HttpResponse:
    """The expression of interest: the seven commitments, the signatory, the date, a scan."""
    found = Cycle.objects.filter(pk=cycle).exclude(state=Cycle.State.DRAFT).first()
    if found is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = city_forms.EoiForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = applications.eoi_submit(
                    cycle=found,
                    municipality=municipality,
                    commitments=data["commitments"],
                    signatory_name=data["signatory"],
                    signatory_position=data["signatory_position"],
                    signed_on=data["signed_on"],
                    scan=data["signed_scan"],
                    actor=request.user,
                )
            except NotAllowed as refused:
                messages.error(request, _("The expression of interest cannot be submitted:"))
                _refused(request, refused)
                status = 409
            except applications.EoiInvalid as invalid:
                for name, errors in invalid.errors.items():
                    for error in errors:
                        form.add_error(name, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("The expression of interest is submitted to the national council."),
                )
                return redirect(
                    "recognition:application", municipality=municipality.code,
                    application=application.pk,
                )  # fmt: skip
        else:
            status = 400
    else:
        form = city_forms.EoiForm(initial={"commitments": [], "signed_on": timezone.localdate()})
    return render(
        request,
        "recognition/city/apply.html",
        {
            "municipality": municipality,
            "cycle": found,
            "form": form,
            "commitments": applications.commitments(),
            "obstacles": applications.eoi_refusals(found, municipality),
            "progress_link": reverse("portfolio:progress", args=[municipality.code]),
        },
        status=status,
    )


@access.page("recognition.read", post="recognition.apply", municipality="municipality")
def application(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = _application(municipality, application)
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            try:
                applications.application_withdraw(application=found, actor=request.user)
            except NotAllowed as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("The application is withdrawn."))
        else:
            messages.error(request, _("Nothing was changed."))
        return redirect(request.path)
    return render(
        request,
        "recognition/city/application.html",
        {
            **_base(request, found),
            "snapshots": found.snapshots.order_by("-number"),
            "decision": getattr(found, "decision", None)
            if found.state == Application.State.DECIDED
            else None,
        },
    )


@access.page("recognition.read", post="recognition.prepare", municipality="municipality")
def portfolio(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    """The portfolio's texts and the sections drawn from Phase 1 and the city's data."""
    found = _application(municipality, application)
    texts = assembly.portfolio_of(found)
    status = 200
    if request.method == "POST":
        form = city_forms.PortfolioForm(request.POST)
        if form.is_valid():
            try:
                applications.portfolio_texts_save(
                    application=found, texts=form.cleaned_data, actor=request.user
                )
            except NotAllowed as refused:
                _refused(request, refused)
                status = 409
            else:
                messages.success(request, _("The portfolio's texts are saved."))
                return redirect(request.path)
    else:
        form = city_forms.PortfolioForm(
            initial={name: getattr(texts, name) for name in applications.PORTFOLIO_TEXTS}
        )
    index = index_section.index_section(municipality)
    year = index.latest_year or timezone.localdate().year
    phase1 = latest_version(municipality)
    return render(
        request,
        "recognition/city/portfolio.html",
        {
            **_base(request, found),
            "form": form,
            "index": index,
            "entry_link": reverse("data:entry", args=[municipality.code, year]),
            "facilities": assembly.audited_facilities(found),
            "participation": participation_evidence(municipality, public=True),
            "actions": [
                {"action": a, "impact": assembly.impact_text(a)}
                for a in assembly.plan_actions(found)
            ],
            "phase1": phase1,
            "phase1_portfolio": portfolio_find(municipality),
            "pdf_kinds": ("portfolio", "part_a", "easy_read"),
        },
        status=status,
    )


@access.page("recognition.read", post="recognition.prepare", municipality="municipality")
def evidence(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    """The city's evidence for each criterion of the cycle."""
    found = _application(municipality, application)
    criteria = applications.criteria_of(found)
    status = 200
    if request.method == "POST":
        form = city_forms.EvidenceForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                applications.evidence_save(
                    application=found, statements=form.cleaned_data, actor=request.user
                )
            except NotAllowed as refused:
                _refused(request, refused)
                status = 409
            else:
                messages.success(request, _("The evidence is saved."))
                return redirect(request.path)
    else:
        existing = applications.evidence_by_criterion(found)
        form = city_forms.EvidenceForm(
            initial={c.code: existing[c.pk].statement for c in criteria if c.pk in existing},
            criteria=criteria,
        )
    return render(
        request,
        "recognition/city/evidence.html",
        {**_base(request, found), "form": form, "criteria": criteria},
        status=status,
    )


@access.page("recognition.read", post="recognition.prepare", municipality="municipality")
def attachments(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = _application(municipality, application)
    criteria = applications.criteria_of(found)
    status = 200
    form = city_forms.AttachmentForm(criteria=criteria)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            item = PortfolioAttachment.objects.filter(
                application=found, pk=request.POST.get("attachment") or 0
            ).first()
            if item is None:
                raise Http404
            try:
                applications.attachment_remove(attachment=item, actor=request.user)
            except NotAllowed as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("The attachment is removed."))
            return redirect(request.path)
        form = city_forms.AttachmentForm(request.POST, request.FILES, criteria=criteria)
        if form.is_valid():
            try:
                applications.attachment_add(
                    application=found,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    criterion=form.criterion_object(),
                    actor=request.user,
                )
            except NotAllowed as refused:
                for reason in refused.reasons:
                    form.add_error("file", reason)
                status = 400
            else:
                messages.success(request, _("The attachment is added."))
                return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "recognition/city/attachments.html",
        {
            **_base(request, found),
            "form": form,
            "items": PortfolioAttachment.objects.filter(application=found).select_related(
                "criterion"
            ),
        },
        status=status,
    )


@access.page("recognition.read", municipality="municipality")
def attachment(
    request: HttpRequest, municipality: Municipality, application: int, attachment: int
) -> HttpResponseBase:
    found = _application(municipality, application)
    item = PortfolioAttachment.objects.filter(application=found, pk=attachment).first()
    if item is None:
        raise Http404
    return private_download(item.file)


@access.page("recognition.read", municipality="municipality")
def eoi_scan(
    request: HttpRequest, municipality: Municipality, application: int
) -> HttpResponseBase:
    found = _application(municipality, application)
    return private_download(found.signed_scan)


@access.page("recognition.read", municipality="municipality")
def readiness_page(
    request: HttpRequest, municipality: Municipality, application: int
) -> HttpResponse:
    """The readiness meter: each criterion's evidence exists / weak / missing, and where to
    add it."""
    found = _application(municipality, application)
    return render(
        request,
        "recognition/city/readiness.html",
        {**_base(request, found), "readiness": readiness.readiness(found)},
    )


@access.page("recognition.apply", municipality="municipality")
@require_POST
def submit(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = _application(municipality, application)
    try:
        snapshot = applications.portfolio_submit(application=found, actor=request.user)
    except NotAllowed as refused:
        messages.error(request, _("The portfolio cannot be submitted yet:"))
        _refused(request, refused)
        return redirect(
            "recognition:application", municipality=municipality.code, application=found.pk
        )
    messages.success(request, _("The recognition portfolio is submitted to the national council."))
    return redirect(
        "recognition:snapshot", municipality=municipality.code, application=found.pk,
        number=snapshot.number,
    )  # fmt: skip


@access.page("recognition.read", municipality="municipality")
def snapshot(
    request: HttpRequest, municipality: Municipality, application: int, number: int
) -> HttpResponse:
    """A submitted portfolio, frozen, and what changed since the previous one."""
    found = _application(municipality, application)
    frozen = found.snapshots.filter(number=number).first()
    if frozen is None:
        raise Http404
    previous = applications.previous_snapshot(frozen)
    changes = diff.portfolio_diff(previous.content, frozen.content) if previous else None
    labels = {
        "introduction": _("Introduction"),
        "index": _("Index results"),
        "facilities": _("Facilities and services"),
        "participation": _("Participation"),
        "actions": _("Actions and their impact"),
        "criteria": _("Evidence per criterion"),
    }
    for change in changes or []:
        change["label"] = labels.get(change["section"], change["section"])
    return render(
        request,
        "recognition/city/snapshot.html",
        {
            **_base(request, found),
            "snapshot": frozen,
            "content": frozen.content,
            "previous": previous,
            "changes": changes,
        },
    )
