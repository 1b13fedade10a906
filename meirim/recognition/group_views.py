"""The community group's pages: the group and its members (recorded by the city or the
council), the group's read-only copy of the submitted portfolio and its confidential report.

The report's pages answer 404 to everyone who may not read it (R-8.1): not even its
existence is confirmed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.common.files import private_download
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.recognition import confidential, decisions, groups
from meirim.recognition.models import (
    Application,
    CommunityGroupMember,
    CommunityReport,
    Criterion,
    Cycle,
    PortfolioAttachment,
)
from meirim.recognition.review_forms import GroupForm, MemberForm, ReportForm


def application_of(municipality: Municipality, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("cycle", "municipality"),
        pk=pk,
        municipality=municipality,
    )


def confidential_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``access.page("recognition.confidential")`` whose refusal is 404, never 403."""
    checked = access.page("recognition.confidential", municipality="municipality")(view)

    @wraps(checked)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return checked(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None

    return wrapped


def _published_cycle() -> Cycle | None:
    return (
        Cycle.objects.exclude(state__in=[Cycle.State.DRAFT, Cycle.State.CLOSED])
        .order_by("-starts_on", "-pk")
        .first()
    )


@access.page("recognition.group_manage", municipality="municipality")
def group(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    found = groups.group_of(municipality)
    group_form = GroupForm(initial={"formed_on": found.formed_on} if found else None)
    member_form = MemberForm()
    cycle = _published_cycle()
    if request.method == "POST":
        what = request.POST.get("form")
        try:
            if what == "group":
                group_form = GroupForm(request.POST)
                if group_form.is_valid():
                    groups.group_save(
                        municipality=municipality,
                        formed_on=group_form.cleaned_data["formed_on"],
                        actor=request.user,
                    )
                    messages.success(request, _("The group was saved."))
                    return redirect("recognition:group", municipality=municipality.code)
            elif what == "member":
                member_form = MemberForm(request.POST)
                if member_form.is_valid():
                    groups.member_save(
                        municipality=municipality,
                        values=member_form.values(),
                        username=member_form.cleaned_data["username"],
                        actor=request.user,
                    )
                    messages.success(request, _("The member was added."))
                    return redirect("recognition:group", municipality=municipality.code)
            elif what == "endorse" and cycle is not None:
                groups.criteria_endorse(municipality=municipality, cycle=cycle, actor=request.user)
                messages.success(request, _("The group endorsed the cycle's criteria."))
                return redirect("recognition:group", municipality=municipality.code)
        except NotAllowed as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
    return render(
        request,
        "recognition/group/group.html",
        {
            "municipality": municipality,
            "group": found,
            "members": list(found.members.select_related("user")) if found else [],
            "has_young": groups.has_young_member(municipality),
            "group_form": group_form,
            "member_form": member_form,
            "cycle": cycle,
            "criteria": list(Criterion.objects.filter(cycle=cycle)) if cycle else [],
        },
    )


@access.page("recognition.group_manage", municipality="municipality")
def group_member(request: HttpRequest, municipality: Municipality, member: int) -> HttpResponse:
    found = get_object_or_404(
        CommunityGroupMember.objects.select_related("user"),
        pk=member,
        group__municipality=municipality,
    )
    if request.method == "POST" and "delete" in request.POST:
        groups.member_remove(member=found, actor=request.user)
        messages.success(request, _("The member was removed."))
        return redirect("recognition:group", municipality=municipality.code)
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            try:
                groups.member_save(
                    municipality=municipality,
                    values=form.values(),
                    username=form.cleaned_data["username"],
                    actor=request.user,
                    member=found,
                )
            except NotAllowed as refused:
                for reason in refused.reasons:
                    messages.error(request, reason)
            else:
                messages.success(request, _("The member was saved."))
                return redirect("recognition:group", municipality=municipality.code)
    else:
        form = MemberForm(
            initial={
                "name": found.name,
                "kind": found.kind,
                "age_band": found.age_band,
                "organisation": found.organisation,
                "joined_on": found.joined_on,
                "username": found.user.get_username() if found.user else "",
            }
        )
    return render(
        request,
        "recognition/group/member.html",
        {"municipality": municipality, "member": found, "form": form},
    )


@access.page("recognition.group", municipality="municipality")
def group_copy(
    request: HttpRequest, municipality: Municipality, application: int
) -> HttpResponseBase:
    """The group's read-only copy of the submitted portfolio, with its attachments (served
    by :func:`group_attachment`), the review period and the member list."""
    found = application_of(municipality, application)
    if not confidential.is_group_member(request.user, municipality):
        raise Http404
    attachments = PortfolioAttachment.objects.filter(application=found).select_related("criterion")
    snapshot = decisions.latest_snapshot(found)
    review_end = None
    if found.portfolio_submitted_at is not None:
        review_end = timezone.localdate(found.portfolio_submitted_at) + datetime.timedelta(
            days=found.cycle.community_review_days
        )
    return render(
        request,
        "recognition/group/copy.html",
        {
            "municipality": municipality,
            "application": found,
            "snapshot": snapshot,
            "content": snapshot.content if snapshot else None,
            "attachments": list(attachments),
            "review_end": review_end,
            "deadline": decisions.group_deadline(found),
            "members": list(CommunityGroupMember.objects.filter(group__municipality=municipality)),
        },
    )


@confidential_page
def community_report(
    request: HttpRequest, municipality: Municipality, application: int
) -> HttpResponse:
    found = application_of(municipality, application)
    if not confidential.may_read(request.user, found):
        raise Http404
    writer = confidential.may_write(request.user, found)
    report = confidential.report_for(request.user, found)
    if report is None and not writer:
        raise Http404
    criteria = list(Criterion.objects.filter(cycle=found.cycle))
    editable = writer and (report is None or report.submitted_at is None)
    form = None
    if editable:
        form = _report_form(request, found, report, criteria)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            verdicts = [
                groups.VerdictIn(c.code, data[f"verdict_{c.code}"], data[f"comment_{c.code}"])
                for c in criteria
                if data[f"verdict_{c.code}"]
            ]
            files = []
            if data.get("file"):
                files.append((data["file_title"] or data["file"].name, data["file"]))
            send = "send" in request.POST
            try:
                groups.report_save(
                    application=found,
                    actor=request.user,
                    text=data["text"],
                    verdicts=verdicts,
                    files=files,
                    send=send,
                )
            except NotAllowed as refused:
                for reason in refused.reasons:
                    messages.error(request, reason)
            else:
                messages.success(
                    request,
                    _("The report was sent to the national council.")
                    if send
                    else _("The draft was saved."),
                )
                return redirect(
                    "recognition:community_report",
                    municipality=municipality.code,
                    application=found.pk,
                )
    elif request.method == "POST":
        messages.error(request, _("The report was sent; it can no longer be changed."))
    return render(
        request,
        "recognition/group/report.html",
        {
            "municipality": municipality,
            "application": found,
            "report": report,
            "verdicts": list(report.verdicts.select_related("criterion")) if report else [],
            "files": list(report.files.all()) if report else [],
            "form": form,
            "deadline": decisions.group_deadline(found),
        },
    )


def _report_form(
    request: HttpRequest,
    application: Application,
    report: CommunityReport | None,
    criteria: list[Criterion],
) -> ReportForm:
    if request.method == "POST":
        return ReportForm(request.POST, request.FILES, criteria=criteria)
    initial: dict[str, Any] = {}
    if report is not None:
        initial["text"] = report.text
        for verdict in report.verdicts.select_related("criterion"):
            initial[f"verdict_{verdict.criterion.code}"] = verdict.verdict
            initial[f"comment_{verdict.criterion.code}"] = verdict.comment
    return ReportForm(initial=initial, criteria=criteria)


@confidential_page
def community_report_file(
    request: HttpRequest, municipality: Municipality, application: int, file: int
) -> HttpResponseBase:
    found = application_of(municipality, application)
    stored = confidential.file_for(request.user, found, file)
    if stored is None:
        raise Http404
    return private_download(stored.file)


@access.page("recognition.group", municipality="municipality")
def group_attachment(
    request: HttpRequest, municipality: Municipality, application: int, attachment: int
) -> HttpResponseBase:
    """A file of the portfolio, for the group's members (who do not read the city's
    workspaces otherwise)."""
    found = application_of(municipality, application)
    if not confidential.is_group_member(request.user, municipality):
        raise Http404
    return private_download(
        get_object_or_404(PortfolioAttachment, application=found, pk=attachment).file
    )


@access.page("recognition.group", municipality="municipality", post="recognition.group")
def group_work(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The group's own page: the city's submitted portfolios to read and report on, with
    their deadlines, the published criteria to endorse (D-9), and the members."""
    if not confidential.is_group_member(request.user, municipality):
        raise Http404
    cycle = _published_cycle()
    if request.method == "POST" and cycle is not None:
        try:
            groups.criteria_endorse(municipality=municipality, cycle=cycle, actor=request.user)
            messages.success(request, _("The group endorsed the cycle's criteria."))
        except NotAllowed as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        return redirect("recognition:group_work", municipality=municipality.code)
    applications = [
        {
            "application": found,
            "deadline": decisions.group_deadline(found),
            "sent": found.community_report_received_at is not None,
        }
        for found in Application.objects.filter(
            municipality=municipality, portfolio_submitted_at__isnull=False
        )
        .exclude(state=Application.State.WITHDRAWN)
        .select_related("cycle")
        .order_by("-portfolio_submitted_at")
    ]
    return render(
        request,
        "recognition/group/work.html",
        {
            "municipality": municipality,
            "group": groups.group_of(municipality),
            "applications": applications,
            "cycle": cycle,
            "criteria": list(Criterion.objects.filter(cycle=cycle)) if cycle else [],
            "members": list(CommunityGroupMember.objects.filter(group__municipality=municipality)),
        },
    )
