"""The national council's pages (roster, cycles, criteria) and the public registry (statuses,
badge, decision summaries). Each view: the access helper, the form, one service or selector,
then render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meirim.accounts import access
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.recognition import badge as badges
from meirim.recognition import cycles, registry, roster
from meirim.recognition.council_forms import CriterionForm, CycleForm, MemberForm
from meirim.recognition.models import Criterion, Cycle
from meirim.recognition.status import current_recognition

MANAGE = "recognition.manage"


def _refusals(form: BaseForm, errors: list[tuple[str, str]]) -> None:
    """The service's refusals beside their fields (or above the form)."""
    for field, message in errors:
        form.add_error(field if field in form.fields else None, message)


def _may_manage(request: HttpRequest) -> bool:
    return access.may(request.user, MANAGE)


# --- Public registry ---------------------------------------------------------------------


@access.page(access.PUBLIC)
@require_GET
def registry_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/public/registry.html",
        {
            "current": registry.current(),
            "in_process": registry.in_process(),
            "history": registry.history(),
            "cycles": registry.public_cycles(False)[:5],
        },
    )


@access.page(access.PUBLIC)
@require_GET
def badge(request: HttpRequest, municipality: str) -> HttpResponse:
    """The SVG badge; 404 for a city without a current status (see ``badge``'s module)."""
    found = Municipality.objects.filter(code=municipality).first()
    recognition = current_recognition(found) if found else None
    if found is None or recognition is None:
        raise Http404
    response = HttpResponse(
        badges.badge_svg(recognition, found.name), content_type="image/svg+xml; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Language"] = request.LANGUAGE_CODE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.page(access.PUBLIC)
@require_GET
def decision_summary(request: HttpRequest, application: int) -> HttpResponse:
    decision = registry.published_decision(application)
    if decision is None:
        raise Http404
    recognition = getattr(decision, "recognition", None)
    return render(
        request,
        "recognition/public/decision.html",
        {"decision": decision, "application": decision.application, "recognition": recognition},
    )


# --- Roster --------------------------------------------------------------------------------


@access.page(access.PUBLIC, post=MANAGE)
def roster_page(request: HttpRequest) -> HttpResponse:
    form = MemberForm(request.POST or None) if _may_manage(request) else None
    if request.method == "POST" and form is not None and form.is_valid():
        roster.member_save(values=form.cleaned_data, actor=request.user)
        messages.success(request, _("The member is added to the council."))
        return redirect("recognition:roster")
    return render(
        request,
        "recognition/council/roster.html",
        {"members": roster.members(), "form": form, "can_edit": form is not None},
    )


@access.page(MANAGE)
def roster_member(request: HttpRequest, member: int) -> HttpResponse:
    found = roster.member_get(member)
    if found is None:
        raise Http404
    if request.method == "POST" and "remove" in request.POST:
        roster.member_remove(member=found, actor=request.user)
        messages.success(request, _("The member is removed from the council."))
        return redirect("recognition:roster")
    form = MemberForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        roster.member_save(values=form.cleaned_data, actor=request.user, member=found)
        messages.success(request, _("The member is saved."))
        return redirect("recognition:roster")
    return render(request, "recognition/council/member.html", {"member": found, "form": form})


# --- Cycles --------------------------------------------------------------------------------


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    found = Cycle.objects.filter(pk=pk).first()
    if found is None or (found.state == Cycle.State.DRAFT and not _may_manage(request)):
        raise Http404
    return found


@access.page(access.PUBLIC)
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/council/cycles.html",
        {"cycles": registry.public_cycles(_may_manage(request)), "can_edit": _may_manage(request)},
    )


@access.page(access.PUBLIC)
@require_GET
def cycle_page(request: HttpRequest, cycle: int) -> HttpResponse:
    found = _cycle(request, cycle)
    can_edit = _may_manage(request)
    items = list(found.criteria.all())
    codes = {
        code
        for item in items
        for code in (*item.indicators, *item.governance_questions, *item.participation_evidence)
    }
    entries = registry.catalogue_entries(codes)
    criteria_rows = [
        (
            item,
            [
                (code, entries.get(code))
                for code in (
                    *item.indicators,
                    *item.governance_questions,
                    *item.participation_evidence,
                )
            ],
        )
        for item in items
    ]
    return render(
        request,
        "recognition/council/cycle.html",
        {
            "cycle": found,
            "criteria": criteria_rows,
            "can_edit": can_edit,
            "actions": [(a, cycles.action_label(a)) for a in cycles.available_actions(found)]
            if can_edit
            else [],
        },
    )


@access.page(MANAGE)
def cycle_add(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None, initial={"name": "", "call_text": ""})
    if request.method == "POST" and form.is_valid():
        try:
            created = cycles.cycle_create(values=form.cleaned_data, actor=request.user)
        except cycles.Rejected as refused:
            _refusals(form, refused.errors)
        else:
            messages.success(request, _("The cycle is created as a draft; now add its criteria."))
            return redirect("recognition:criteria", cycle=created.pk)
    return render(request, "recognition/council/cycle_form.html", {"form": form, "cycle": None})


@access.page(MANAGE)
def cycle_edit(request: HttpRequest, cycle: int) -> HttpResponse:
    found = _cycle(request, cycle)
    dates_only = found.state in cycles.DATE_ONLY_STATES
    frozen = found.state not in (Cycle.State.DRAFT, *cycles.DATE_ONLY_STATES)
    form = CycleForm(request.POST or None, instance=found, dates_only=dates_only)
    if request.method == "POST":
        if frozen:
            messages.error(request, cycles._closed_reason(found))
        elif form.is_valid():
            try:
                cycles.cycle_update(cycle=found, values=form.cleaned_data, actor=request.user)
            except cycles.Rejected as refused:
                _refusals(form, refused.errors)
            except cycles.Frozen as refused:
                messages.error(request, refused.reason)
            else:
                messages.success(request, _("The cycle is saved."))
                return redirect("recognition:cycle", cycle=found.pk)
    return render(
        request,
        "recognition/council/cycle_form.html",
        {"form": form, "cycle": found, "dates_only": dates_only, "frozen": frozen},
        status=409 if request.method == "POST" and frozen else 200,
    )


@access.page(MANAGE)
@require_POST
def cycle_transition(request: HttpRequest, cycle: int) -> HttpResponse:
    found = _cycle(request, cycle)
    action = request.POST.get("action", "")
    try:
        cycles.cycle_transition(cycle=found, action=action, actor=request.user)
    except NotAllowed as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": cycles.action_label(action)})
    return redirect("recognition:cycle", cycle=found.pk)


# --- Criteria ------------------------------------------------------------------------------


@access.page(MANAGE)
def criteria(request: HttpRequest, cycle: int) -> HttpResponse:
    found = _cycle(request, cycle)
    form = CriterionForm(request.POST or None, initial={"order": found.criteria.count() + 1})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            cycles.criterion_save(cycle=found, values=form.cleaned_data, actor=request.user)
        except cycles.Rejected as refused:
            _refusals(form, refused.errors)
        except cycles.Frozen as refused:
            messages.error(request, refused.reason)
            status = 409
        else:
            messages.success(request, _("The criterion is added."))
            return redirect("recognition:criteria", cycle=found.pk)
    return render(
        request,
        "recognition/council/criteria.html",
        {"cycle": found, "criteria": found.criteria.all(), "form": form},
        status=status,
    )


@access.page(MANAGE)
def criterion(request: HttpRequest, cycle: int, criterion: int) -> HttpResponse:
    found = _cycle(request, cycle)
    item = Criterion.objects.filter(cycle=found, pk=criterion).first()
    if item is None:
        raise Http404
    form = CriterionForm(request.POST or None, instance=item)
    status = 200
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                cycles.criterion_delete(criterion=item, actor=request.user)
                messages.success(request, _("The criterion is deleted."))
                return redirect("recognition:criteria", cycle=found.pk)
            if form.is_valid():
                cycles.criterion_save(
                    cycle=found, values=form.cleaned_data, actor=request.user, criterion=item
                )
                messages.success(request, _("The criterion is saved."))
                return redirect("recognition:criteria", cycle=found.pk)
        except cycles.Rejected as refused:
            _refusals(form, refused.errors)
        except cycles.Frozen as refused:
            messages.error(request, refused.reason)
            status = 409
    context: dict[str, Any] = {"cycle": found, "criterion": item, "form": form}
    return render(request, "recognition/council/criterion.html", context, status=status)
