"""The review's pages: the council's list of a cycle's applications, reviewers and their
conflicts, scores, site visits, the side-by-side review and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meirim.accounts import access
from meirim.common.files import private_download
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality
from meirim.recognition import decisions, reviews, workflows
from meirim.recognition.group_views import application_of
from meirim.recognition.models import (
    Application,
    Criterion,
    Cycle,
    Decision,
    ReviewAssignment,
    SiteVisit,
)
from meirim.recognition.review_forms import (
    AssignForm,
    ConflictForm,
    DecisionForm,
    ScoreForm,
    VisitForm,
)


def _refusals(request: HttpRequest, refused: NotAllowed) -> None:
    for reason in refused.reasons:
        messages.error(request, reason)


def _redirect(name: str, application: Application) -> HttpResponse:
    return redirect(
        f"recognition:{name}",
        municipality=application.municipality.code,
        application=application.pk,
    )


@access.page("recognition.decide")
@require_GET
def applications(request: HttpRequest, cycle: int) -> HttpResponse:
    found = get_object_or_404(Cycle, pk=cycle)
    rows = (
        Application.objects.filter(cycle=found)
        .select_related("municipality", "decision")
        .prefetch_related(
            Prefetch(
                "review_assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer"),
            )
        )
        .order_by("municipality__code")
    )
    return render(
        request, "recognition/review/applications.html", {"cycle": found, "applications": rows}
    )


@access.page("recognition.review")
@require_GET
def my_reviews(request: HttpRequest) -> HttpResponse:
    assignments = ReviewAssignment.objects.filter(reviewer_id=request.user.pk).select_related(
        "application__municipality", "application__cycle"
    )
    return render(request, "recognition/review/my_reviews.html", {"assignments": assignments})


@access.page("recognition.decide", municipality="municipality")
def reviewers(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = application_of(municipality, application)
    available = list(reviews.reviewers_available())
    form = AssignForm(reviewers=available)
    if request.method == "POST":
        form = AssignForm(request.POST, reviewers=available)
        if form.is_valid():
            try:
                reviews.reviewer_assign(
                    application=found, username=form.cleaned_data["reviewer"], actor=request.user
                )
            except NotAllowed as refused:
                _refusals(request, refused)
            else:
                messages.success(request, _("The reviewer was assigned."))
                return _redirect("reviewers", found)
    return render(
        request,
        "recognition/review/reviewers.html",
        {
            "municipality": municipality,
            "application": found,
            "assignments": found.review_assignments.select_related("reviewer"),
            "form": form,
        },
    )


def _own_assignment(request: HttpRequest, application: Application) -> ReviewAssignment:
    assignment = reviews.assignment_for(request.user, application)
    if assignment is None:
        raise Http404
    return assignment


@access.page("recognition.review", municipality="municipality")
def conflict(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = application_of(municipality, application)
    assignment = _own_assignment(request, found)
    form = ConflictForm(
        initial={
            "conflict": "yes" if assignment.conflict == "declared" else "no",
            "note": assignment.conflict_note,
        }
    )
    if request.method == "POST":
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                reviews.conflict_declare(
                    assignment=assignment,
                    conflict=form.cleaned_data["conflict"] == "yes",
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except NotAllowed as refused:
                _refusals(request, refused)
            else:
                messages.success(request, _("Your declaration was recorded."))
                return _redirect("score", found)
    return render(
        request,
        "recognition/review/conflict.html",
        {
            "municipality": municipality,
            "application": found,
            "assignment": assignment,
            "form": form,
        },
    )


@access.page("recognition.review", municipality="municipality")
def score(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    """The reviewer's scores, beside the city's frozen (non-confidential) portfolio."""
    found = application_of(municipality, application)
    assignment = _own_assignment(request, found)
    criteria = list(Criterion.objects.filter(cycle=found.cycle))
    initial: dict[str, object] = {}
    for saved in assignment.scores.select_related("criterion"):
        code = saved.criterion.code
        initial[f"score_{code}"] = saved.score
        initial[f"comment_{code}"] = saved.comment
        initial[f"evidence_{code}"] = saved.evidence_cited
    form = ScoreForm(initial=initial, criteria=criteria)
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reviews.scores_save(
                    assignment=assignment,
                    scores=[
                        reviews.ScoreIn(
                            c.code,
                            data[f"score_{c.code}"],
                            data[f"comment_{c.code}"],
                            data[f"evidence_{c.code}"],
                        )
                        for c in criteria
                    ],
                    actor=request.user,
                )
            except NotAllowed as refused:
                _refusals(request, refused)
            else:
                messages.success(request, _("Your scores were saved."))
                return _redirect("score", found)
    snapshot = decisions.latest_snapshot(found)
    return render(
        request,
        "recognition/review/score.html",
        {
            "municipality": municipality,
            "application": found,
            "assignment": assignment,
            "form": form,
            "may_score": assignment.conflict == ReviewAssignment.Conflict.NONE,
            "content": snapshot.content if snapshot else None,
        },
    )


@access.page("recognition.decide", municipality="municipality")
def visits(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = application_of(municipality, application)
    form = VisitForm()
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES)
        if form.is_valid():
            reviews.visit_add(application=found, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The site visit was recorded."))
            return _redirect("visits", found)
    return render(
        request,
        "recognition/review/visits.html",
        {
            "municipality": municipality,
            "application": found,
            "visits": found.site_visits.all(),
            "form": form,
        },
    )


@access.page("recognition.decide", municipality="municipality")
@require_GET
def visit_file(
    request: HttpRequest, municipality: Municipality, application: int, visit: int
) -> HttpResponseBase:
    found = application_of(municipality, application)
    return private_download(get_object_or_404(SiteVisit, pk=visit, application=found).file)


@access.page("recognition.decide", municipality="municipality")
@require_GET
def review(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    """The council's side by side: the city's claim, the group's verdict (audited read),
    each reviewer's score, the mean and the disagreements; the rubric and the decision."""
    found = application_of(municipality, application)
    return render(request, "recognition/review/review.html", _review_context(request, found))


def _review_context(request: HttpRequest, application: Application) -> dict[str, object]:
    rows, report = decisions.side_by_side(request.user, application)
    means = {row.criterion.code: row.mean for row in rows}
    return {
        "municipality": application.municipality,
        "application": application,
        "rows": rows,
        "report": report,
        "recommendation": decisions.rubric_recommendation(application.cycle, means),
        "assignments": application.review_assignments.select_related("reviewer"),
        "visits": application.site_visits.all(),
        "deadline": decisions.group_deadline(application),
        "decision": Decision.objects.filter(application=application).first(),
        "form": DecisionForm(criteria=[row.criterion for row in rows]),
        "reasons_against": workflows.APPLICATION.reasons_against(
            application, "decide", actor=request.user, may=workflows.may_act, context={}
        ),
    }


@access.page("recognition.decide", municipality="municipality")
def decide(request: HttpRequest, municipality: Municipality, application: int) -> HttpResponse:
    found = application_of(municipality, application)
    criteria = list(Criterion.objects.filter(cycle=found.cycle))
    form = DecisionForm(criteria=criteria)
    if request.method == "POST":
        form = DecisionForm(request.POST, criteria=criteria)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decisions.decide(
                    application=found,
                    level=data["level"],
                    reasons=data["reasons"],
                    recommendations=data["recommendations"],
                    criterion_reasons=form.criterion_reasons(),
                    actor=request.user,
                )
            except NotAllowed as refused:
                _refusals(request, refused)
            else:
                messages.success(request, _("The decision was recorded."))
                return _redirect("decide", found)
    reasons_against = workflows.APPLICATION.reasons_against(
        found, "decide", actor=request.user, may=workflows.may_act, context={}
    )
    decision = Decision.objects.filter(application=found).select_related("recognition").first()
    return render(
        request,
        "recognition/review/decide.html",
        {
            "municipality": municipality,
            "application": found,
            "form": form,
            "reasons_against": reasons_against if decision is None else [],
            "decision": decision,
            "outcome": decisions.outcome(decision) if decision else "",
            "recognition": getattr(decision, "recognition", None) if decision else None,
        },
    )
