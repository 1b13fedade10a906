"""The strategy and action plan pages. Plain HTML forms: everything works without JavaScript."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meirim.accounts import access
from meirim.common import json_lists
from meirim.common.files import private_download
from meirim.common.programme import StaffRole, TargetAge
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.planning import selectors, services
from meirim.planning.forms import (
    ActionFilterForm,
    ActionForm,
    FromQuestionForm,
    GoalForm,
    PriorityForm,
    StrategyForm,
    StreamForm,
    action_initial,
)
from meirim.planning.models import Goal, PriorityArea


def _refused(
    request: HttpRequest, form: forms.Form | None, rejected: services.PlanRejected
) -> None:
    for name, problems in rejected.errors.items():
        for problem in problems:
            if form is not None and name in form.fields:
                form.add_error(name, problem)
            else:
                messages.error(request, problem)


def _context(request: HttpRequest, municipality: Municipality, **extra: Any) -> dict[str, Any]:
    return {
        "municipality": municipality,
        "can_edit": access.may(request.user, "preparation.edit", municipality),
        "today": datetime.date.today(),
        **extra,
    }


# --- Strategy -------------------------------------------------------------------------------


def _strategy_post(request: HttpRequest, place: Municipality, forms_: dict[str, Any]) -> bool:
    """Handle one of the strategy page's forms; True when it was written."""
    kind = request.POST.get("form", "")
    actor = request.user
    try:
        if kind == "strategy":
            strategy_form = forms_["strategy_form"] = StrategyForm(request.POST)
            if strategy_form.is_valid():
                services.strategy_save(
                    municipality=place, values=strategy_form.cleaned_data, actor=actor
                )
                messages.success(request, _("The strategy was saved."))
                return True
        elif kind == "goal":
            form = forms_["goal_form"] = GoalForm(request.POST)
            if form.is_valid():
                goal = None
                if request.POST.get("goal"):
                    goal = Goal.objects.filter(
                        strategy__municipality=place, pk=request.POST["goal"]
                    ).first()
                try:
                    services.goal_save(
                        municipality=place, values=form.cleaned_data, actor=actor, goal=goal
                    )
                except services.PlanRejected as rejected:
                    _refused(request, form, rejected)
                    return False
                messages.success(request, _("The goal was saved."))
                return True
        elif kind == "goal_delete":
            goals = Goal.objects.filter(
                strategy__municipality=place, pk=request.POST.get("goal") or 0
            )
            if found := goals.first():
                services.goal_delete(goal=found, actor=actor)
                messages.success(request, _("The goal was removed."))
            return True
        elif kind in ("priority", "candidate"):
            priority_form = PriorityForm(request.POST)
            if kind == "priority":
                forms_["priority_form"] = priority_form
            if priority_form.is_valid():
                data = priority_form.cleaned_data
                services.priority_add(
                    municipality=place,
                    title=data["title"],
                    source=data["source"],
                    reference=data["source_reference"],
                    description=data["description"],
                    actor=actor,
                )
                messages.success(request, _("The priority area was added."))
                return True
            if kind == "candidate":
                messages.error(request, _("The candidate could not be adopted."))
        elif kind == "priority_delete":
            areas = PriorityArea.objects.filter(
                strategy__municipality=place, pk=request.POST.get("priority") or 0
            )
            if found_area := areas.first():
                services.priority_delete(area=found_area, actor=actor)
                messages.success(request, _("The priority area was removed."))
            return True
        elif kind == "data_gap":
            action = services.data_gap_action(
                municipality=place, indicator=request.POST.get("indicator", ""), actor=actor
            )
            messages.success(
                request, _("Data-gap action %(code)s was drafted.") % {"code": action.code}
            )
            return True
        else:
            messages.error(request, _("Unknown form."))
    except services.PlanRejected as rejected:
        _refused(request, None, rejected)
    return False


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def strategy(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    place = municipality
    forms_: dict[str, Any] = {}
    if request.method == "POST" and _strategy_post(request, place, forms_):
        return redirect("planning:strategy", place.code)
    current = selectors.strategy_of(place)
    if "strategy_form" not in forms_:
        initial = {}
        if current is not None:
            initial = {name: getattr(current, name) for name in StrategyForm.base_fields}
        forms_["strategy_form"] = StrategyForm(initial=initial)
    forms_.setdefault("goal_form", GoalForm())
    forms_.setdefault("priority_form", PriorityForm())
    version = selectors.catalogue_version()
    rights = {item.code: item for item in selectors.list_items(version, "R")}
    goals = []
    if current is not None:
        can_edit = access.may(request.user, "preparation.edit", place)
        for goal in current.goals.all():
            edit = None
            if can_edit:
                edit = GoalForm(
                    initial={
                        "code": goal.code,
                        "title": goal.title,
                        "description": goal.description,
                        "rights": goal.rights,
                        "crc_articles": goal.crc_articles,
                        "indicators": ", ".join(goal.indicators or []),
                    },
                    auto_id=f"goal{goal.pk}_%s",
                )
            goals.append((goal, [rights.get(code) or code for code in goal.rights], edit))
    return render(
        request,
        "planning/strategy.html",
        _context(
            request,
            place,
            strategy=current,
            goals=goals,
            priorities=selectors.priorities_of(place),
            candidates=selectors.priority_candidates(place, version),
            gaps=selectors.data_gaps(place, version),
            **forms_,
        ),
    )


# --- Actions -------------------------------------------------------------------------------


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def actions(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    place = municipality
    stream_form = StreamForm()
    if request.method == "POST":
        stream_form = StreamForm(request.POST)
        if stream_form.is_valid():
            try:
                services.stream_save(
                    municipality=place,
                    code=stream_form.cleaned_data["code"],
                    title=stream_form.cleaned_data["title"],
                    actor=request.user,
                )
            except services.PlanRejected as rejected:
                _refused(request, stream_form, rejected)
            else:
                messages.success(request, _("The action stream was added."))
                return redirect("planning:actions", place.code)
    filters = ActionFilterForm(request.GET or None)
    qs = selectors.actions_for(place)
    filtered = False
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
            filtered = True
        if data["department"]:
            qs = qs.filter(department__icontains=data["department"])
            filtered = True
        if data["age"]:
            qs = json_lists.having_code(qs, "target_ages", data["age"])
            filtered = True
    today = datetime.date.today()
    rows = list(qs)
    overdue = {a.pk for a in rows if selectors.is_overdue(a, today)}
    return render(
        request,
        "planning/actions.html",
        _context(
            request,
            place,
            groups=selectors.grouped_actions(place, rows),
            overdue=overdue,
            filters=filters,
            filtered=filtered,
            stream_form=stream_form,
            summary=selectors.plan_summary(place, today),
            ages=dict(TargetAge.choices),
        ),
    )


def _save_action(
    request: HttpRequest, place: Municipality, form: ActionForm, action: Any
) -> Any | None:
    if not form.is_valid():
        return None
    try:
        return services.action_save(
            municipality=place,
            values=form.values(),
            actor=request.user,
            action=action,
            impact_file=form.cleaned_data.get("impact_file"),
            remove_impact_file=request.POST.get("remove_impact_file") == "yes",
        )
    except services.PlanRejected as rejected:
        _refused(request, form, rejected)
    except NotAllowed as refused:
        for reason in refused.reasons:
            form.add_error("status", reason)
            messages.error(request, reason)
    return None


@access.page("preparation.edit", municipality="municipality")
def action_add(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    place = municipality
    initial = {"status": "planned", "stream": request.GET.get("stream", "")}
    if initial["stream"]:
        initial["code"] = services.next_code(place, initial["stream"])
    form = ActionForm(initial=initial, municipality=place)
    if request.method == "POST":
        form = ActionForm(request.POST, request.FILES, municipality=place)
        saved = _save_action(request, place, form, None)
        if saved is not None:
            messages.success(request, _("Action %(code)s was added.") % {"code": saved.code})
            return redirect("planning:action", place.code, saved.code)
    return render(request, "planning/action.html", _context(request, place, form=form, action=None))


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def action(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    place = municipality
    found = selectors.action_by_code(place, code)
    if found is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("delete") == "yes":
            services.action_delete(action=found, actor=request.user)
            messages.success(request, _("Action %(code)s was removed.") % {"code": found.code})
            return redirect("planning:actions", place.code)
        form = ActionForm(request.POST, request.FILES, municipality=place)
        saved = _save_action(request, place, form, found)
        if saved is not None:
            messages.success(request, _("Action %(code)s was saved.") % {"code": saved.code})
            return redirect("planning:action", place.code, saved.code)
    else:
        form = ActionForm(initial=action_initial(found), municipality=place)
    return render(
        request,
        "planning/action.html",
        _context(
            request,
            place,
            form=form,
            action=found,
            overdue=selectors.is_overdue(found, datetime.date.today()),
            budget_lines=list(found.budget_lines.all()),
            staff_roles=dict(StaffRole.choices),
        ),
    )


@access.page("preparation.read", municipality="municipality")
@require_GET
def action_impact_file(request: HttpRequest, municipality: Municipality, code: str) -> Any:
    """The impact evidence file: private, served only to those who may read the plan."""
    found = selectors.action_by_code(municipality, code)
    if found is None:
        raise Http404
    return private_download(found.impact_file)


@access.page("preparation.read", municipality="municipality")
@require_GET
def timeline(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    today = datetime.date.today()
    chart = selectors.timeline(municipality, today)
    return render(
        request,
        "planning/timeline.html",
        _context(
            request,
            municipality,
            chart=chart,
            rows=[row for row in chart.rows if not row.header],
        ),
    )


@access.page("preparation.edit", municipality="municipality")
@require_POST
def action_from_question(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Turn a "planned" governance answer into a draft action of the plan."""
    place = municipality
    form = FromQuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year and the question's code."))
        return redirect("planning:actions", place.code)
    try:
        drafted = services.action_from_question(
            municipality=place,
            year=form.cleaned_data["year"],
            question=form.cleaned_data["question"],
            actor=request.user,
        )
    except services.AlreadyDrafted as already:
        for reason in already.reasons:
            messages.info(request, reason)
        return redirect("planning:action", place.code, already.action.code)
    except NotAllowed as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return redirect("planning:actions", place.code)
    except services.PlanRejected as rejected:
        _refused(request, None, rejected)
        return redirect("planning:actions", place.code)
    messages.success(
        request,
        _("Draft action %(code)s was created from question %(question)s.")
        % {
            "code": drafted.code,
            "question": drafted.governance_question or form.cleaned_data["question"],
        },
    )
    return redirect(reverse("planning:action", args=[place.code, drafted.code]))
