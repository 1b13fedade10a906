"""The council and governance self-assessment pages, under ``preparation/<municipality>/``.

Each view: the form, the access helper, one service (or selector), then render or redirect.
Plain HTML forms: answering works without JavaScript, one section per page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meirim.accounts import access
from meirim.common.files import private_download
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.governance import selectors, services
from meirim.governance.forms import (
    AdditionalQuestionForm,
    CouncilForm,
    MeetingForm,
    MemberForm,
    ParticipantForm,
    RoundOpenForm,
    RoundReportForm,
    section_answers,
)
from meirim.governance.models import (
    Answer,
    AssessmentRound,
    CouncilMeeting,
    CouncilMember,
    GovernanceAnswer,
)


def _errors(request: HttpRequest, errors: list[tuple[str, str]]) -> None:
    for _field, message in errors:
        messages.error(request, message)


def _file(request: HttpRequest, name: str) -> UploadedFile[Any] | None:
    return request.FILES.get(name)


# --- Council -----------------------------------------------------------------------------


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def council(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    found = selectors.council_get(municipality)
    form = CouncilForm(request.POST or None, request.FILES or None, instance=found)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "tor_document"}
        try:
            services.council_save(
                municipality=municipality,
                values=values,
                actor=request.user,
                tor_document=_file(request, "tor_document"),
            )
        except services.Rejected as rejected:
            _errors(request, rejected.errors)
        else:
            messages.success(request, _("The council is saved."))
            return redirect("governance:council", municipality=municipality.code)
    return render(
        request,
        "governance/council.html",
        {
            "municipality": municipality,
            "council": found,
            "form": form,
            "can_edit": access.may(request.user, "preparation.edit", municipality),
        },
    )


@access.page("preparation.read", municipality="municipality")
@require_GET
def council_tor_document(request: HttpRequest, municipality: Municipality) -> FileResponse:
    found = selectors.council_get(municipality)
    if found is None:
        raise Http404
    return private_download(found.tor_document)


def _member(municipality: Municipality, member: int | None) -> CouncilMember | None:
    if member is None:
        return None
    try:
        return selectors.member_get(municipality, member)
    except CouncilMember.DoesNotExist:
        raise Http404 from None


@access.page("preparation.edit", municipality="municipality")
def council_member_edit(
    request: HttpRequest, municipality: Municipality, member: int | None = None
) -> HttpResponse:
    found = _member(municipality, member)
    form = MemberForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        services.member_save(
            municipality=municipality,
            values=form.cleaned_data,
            actor=request.user,
            member=found,
        )
        messages.success(request, _("The member is saved."))
        return redirect("governance:council", municipality=municipality.code)
    return render(
        request,
        "governance/member.html",
        {"municipality": municipality, "member": found, "form": form},
    )


@access.page("preparation.edit", municipality="municipality")
@require_POST
def council_member_remove(
    request: HttpRequest, municipality: Municipality, member: int
) -> HttpResponse:
    found = _member(municipality, member)
    assert found is not None
    services.member_remove(member=found, actor=request.user)
    messages.success(request, _("The member is removed."))
    return redirect("governance:council", municipality=municipality.code)


def _meeting(municipality: Municipality, meeting: int | None) -> CouncilMeeting | None:
    if meeting is None:
        return None
    try:
        return selectors.meeting_get(municipality, meeting)
    except CouncilMeeting.DoesNotExist:
        raise Http404 from None


@access.page("preparation.edit", municipality="municipality")
def meeting_edit(
    request: HttpRequest, municipality: Municipality, meeting: int | None = None
) -> HttpResponse:
    found = _meeting(municipality, meeting)
    form = MeetingForm(request.POST or None, request.FILES or None, instance=found)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "minutes_document"}
        try:
            services.meeting_save(
                municipality=municipality,
                values=values,
                actor=request.user,
                meeting=found,
                minutes_document=_file(request, "minutes_document"),
            )
        except services.Rejected as rejected:
            _errors(request, rejected.errors)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("governance:council", municipality=municipality.code)
    return render(
        request,
        "governance/meeting.html",
        {"municipality": municipality, "meeting": found, "form": form},
    )


@access.page("preparation.edit", municipality="municipality")
@require_POST
def meeting_remove(request: HttpRequest, municipality: Municipality, meeting: int) -> HttpResponse:
    found = _meeting(municipality, meeting)
    assert found is not None
    services.meeting_remove(meeting=found, actor=request.user)
    messages.success(request, _("The meeting is removed."))
    return redirect("governance:council", municipality=municipality.code)


@access.page("preparation.read", municipality="municipality")
@require_GET
def meeting_document(
    request: HttpRequest, municipality: Municipality, meeting: int
) -> FileResponse:
    found = _meeting(municipality, meeting)
    assert found is not None
    return private_download(found.minutes_document)


# --- Assessment rounds -------------------------------------------------------------------


@access.page("preparation.read", post="governance.manage", municipality="municipality")
def rounds(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                opened = services.round_open(
                    municipality=municipality,
                    year=form.cleaned_data["year"],
                    mode=form.cleaned_data["mode"],
                    actor=request.user,
                )
            except services.Rejected as rejected:
                _errors(request, rejected.errors)
            else:
                messages.success(
                    request, _("The assessment of %(year)s is open.") % {"year": opened.year}
                )
                return redirect(
                    "governance:round", municipality=municipality.code, year=opened.year
                )
        else:
            messages.error(request, _("Give the year and the mode of the assessment."))
    version = selectors.catalogue_version()
    found = selectors.rounds_of(municipality)
    return render(
        request,
        "governance/rounds.html",
        {
            "municipality": municipality,
            "rounds": [(r, selectors.round_summary(r, version)) for r in found],
            "form": form,
            "can_manage": access.may(request.user, "governance.manage", municipality),
        },
    )


def _round(municipality: Municipality, year: int) -> AssessmentRound:
    found = selectors.round_get(municipality, year)
    if found is None:
        raise Http404
    return found


def _round_url(municipality: Municipality, year: int, section: str = "") -> str:
    url = reverse("governance:round", kwargs={"municipality": municipality.code, "year": year})
    return f"{url}?{urlencode({'section': section})}" if section else url


def _action_from_question_url(municipality: Municipality) -> str | None:
    try:
        return reverse("planning:action_from_question", kwargs={"municipality": municipality.code})
    except NoReverseMatch:
        return None


@access.page("preparation.read", post="governance.answer", municipality="municipality")
def round(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    found = _round(municipality, year)
    version = selectors.catalogue_version()
    sections = selectors.round_sections(found, version)
    codes = [s.code for s in sections]
    user = request.user
    answer_all = access.may(user, "governance.manage", municipality)
    mine = set() if answer_all else selectors.assigned_sections(found, user)
    can_answer = access.may(user, "governance.answer", municipality) and (
        found.state == AssessmentRound.State.OPEN
    )
    wanted = request.GET.get("section", "") or request.POST.get("section", "")
    if wanted not in codes:
        wanted = next((c for c in codes if c in mine), codes[0] if codes else "")
    current = next((s for s in sections if s.code == wanted), None)
    if request.method == "POST":
        if current is None:
            raise Http404
        items = section_answers(request.POST, [row.code for row in current.rows])
        files: dict[str, UploadedFile[Any]] = {
            row.code: request.FILES[f"{row.code}-evidence_file"]  # type: ignore[misc]
            for row in current.rows
            if f"{row.code}-evidence_file" in request.FILES
        }
        try:
            services.answers_save(round=found, answers=items, files=files, actor=user)
        except services.SectionRefused as refused:
            messages.error(request, str(refused))
        except services.Rejected as rejected:
            _errors(request, rejected.errors)
        except NotAllowed as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(
                request, _("The answers of %(section)s are saved.") % {"section": current.code}
            )
        return redirect(_round_url(municipality, year, current.code))
    editable = can_answer and (answer_all or wanted in mine) and bool(current and current.rows)
    index = codes.index(wanted) if wanted in codes else 0
    return render(
        request,
        "governance/round.html",
        {
            "municipality": municipality,
            "round": found,
            "sections": sections,
            "current": current,
            "previous_section": codes[index - 1] if index > 0 else "",
            "next_section": codes[index + 1] if index + 1 < len(codes) else "",
            "editable": editable,
            "can_answer": can_answer,
            "mine": mine,
            "answer_all": answer_all,
            "summary": selectors.round_summary(found, version),
            "previous_round": selectors.previous_round(found),
            "participants": list(found.participants.all()),
            "assignments": selectors.assignments(found) if answer_all else [],
            "department_heads": selectors.department_heads(municipality) if answer_all else [],
            "can_manage": answer_all,
            "is_open": found.state == AssessmentRound.State.OPEN,
            "choices": Answer.choices,
            "report_form": RoundReportForm(
                initial={
                    "mode": found.mode,
                    "agreed_assessment": found.agreed_assessment,
                    "rights_summary": found.rights_summary,
                }
            ),
            "participant_form": ParticipantForm(),
            "question_form": AdditionalQuestionForm(),
            "action_from_question_url": _action_from_question_url(municipality),
            "may_plan": access.may(user, "preparation.edit", municipality),
        },
    )


@access.page("governance.manage", municipality="municipality")
@require_POST
def round_manage(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    """The coordinator's changes to a round: report, participants, sections, questions, state."""
    found = _round(municipality, year)
    op = request.POST.get("op", "")
    section = request.POST.get("section", "")
    user = request.user
    try:
        if op == "report":
            form = RoundReportForm(request.POST)
            if not form.is_valid():
                raise services.Rejected([("mode", _("Choose the mode of the assessment."))])
            services.round_save(round=found, values=form.cleaned_data, actor=user)
            messages.success(request, _("The report is saved."))
        elif op == "participant_add":
            services.participant_add(
                round=found,
                name=request.POST.get("name", ""),
                agency=request.POST.get("agency", ""),
                position=request.POST.get("position", ""),
                actor=user,
            )
        elif op == "participant_remove":
            services.participant_remove(
                round=found, participant_id=_int(request.POST.get("participant")), actor=user
            )
        elif op == "assign":
            services.section_assign(
                round=found,
                section=request.POST.get("assign_section", ""),
                assignee_id=_int(request.POST.get("assignee")),
                actor=user,
            )
        elif op == "unassign":
            services.section_unassign(
                round=found, assignment_id=_int(request.POST.get("assignment")), actor=user
            )
        elif op == "question_add":
            added = services.additional_question_add(
                round=found, text=request.POST.get("text", ""), actor=user
            )
            messages.success(request, _("Question %(code)s is added.") % {"code": added.code})
            section = selectors.ADDITIONAL_SECTION
        elif op == "close":
            services.round_close(round=found, actor=user)
            messages.success(request, _("The assessment of %(year)s is closed.") % {"year": year})
        elif op == "reopen":
            services.round_reopen(round=found, actor=user)
            messages.success(
                request, _("The assessment of %(year)s is open again.") % {"year": year}
            )
        else:
            messages.error(request, _("Nothing was changed."))
    except services.Rejected as rejected:
        _errors(request, rejected.errors)
    except NotAllowed as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    return redirect(_round_url(municipality, year, section))


def _int(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0


@access.page("preparation.read", municipality="municipality")
@require_GET
def round_report(request: HttpRequest, municipality: Municipality, year: int) -> HttpResponse:
    found = _round(municipality, year)
    version = selectors.catalogue_version()
    return render(
        request,
        "governance/round_report.html",
        {
            "municipality": municipality,
            "round": found,
            "sections": selectors.round_sections(found, version),
            "summary": selectors.round_summary(found, version),
            "previous_round": selectors.previous_round(found),
            "gaps": selectors._items(found, Answer.NO),
            "planned": selectors._items(found, Answer.PLANNED),
            "participants": list(found.participants.all()),
        },
    )


@access.page("preparation.read", municipality="municipality")
@require_GET
def answer_evidence(
    request: HttpRequest, municipality: Municipality, year: int, code: str
) -> FileResponse:
    found = GovernanceAnswer.objects.filter(
        round__municipality=municipality, round__year=year, code=code
    ).first()
    if found is None:
        raise Http404
    return private_download(found.evidence_file)
