"""The portfolio pages: the national overview, a city's progress through Phase 1's steps, the
draft portfolio and its submission, the submitted versions (public, open for comment, with
the council's feedback and the city's replies), and their PDFs.

Plain HTML forms throughout; each POST names its ``action`` and is checked against the
access table before the one service it calls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.common.workflow import NotAllowed
from meirim.geography.models import Municipality, Region
from meirim.geography.selectors import municipality_find
from meirim.portfolio import assembly, rendering, selectors, services, steps
from meirim.portfolio.models import PortfolioDocument, PortfolioVersion, PublicComment
from meirim.portfolio.workflows import step_names
from meirim.voice import limits


def _refused(request: HttpRequest, refused: NotAllowed) -> None:
    for reason in refused.reasons:
        messages.error(request, reason)


def _step_rows(programme: steps.Programme) -> list[dict[str, Any]]:
    items = step_names()
    return [{"state": s, "item": items.get(s.step)} for s in programme.steps]


@access.page("preparation.overview")
def overview(request: HttpRequest) -> HttpResponse:
    """Every municipality in the reader's scope: its programme status and its eight steps."""
    places = access.municipalities_where(request.user, "preparation.overview")
    status = request.GET.get("status", "")
    region = request.GET.get("region", "")
    result = selectors.overview(places, status=status, region=region, page=request.GET.get("page"))
    regions = Region.objects.filter(
        pk__in=places.exclude(region__isnull=True).values("region_id")
    ).order_by("code")
    return render(
        request,
        "portfolio/overview.html",
        {
            "result": result,
            "statuses": [selectors.Status(code) for code in steps.STATUSES],
            "counts": [(selectors.Status(code), n) for code, n in result.counts.items()],
            "status": status,
            "region": region,
            "regions": regions,
            "step_codes": steps.STEPS,
            "page_obj": result.page,
            "filters": {k: v for k, v in (("status", status), ("region", region)) if v},
        },
    )


@access.page("preparation.read", municipality="municipality")
def progress(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The eight steps: what is done, what is missing, and the page that fixes it."""
    programme = steps.programme(municipality)
    return render(
        request,
        "portfolio/progress.html",
        {
            "municipality": municipality,
            "programme": programme,
            "rows": _step_rows(programme),
            "status": selectors.Status(programme.status),
        },
    )


@access.page("preparation.read", post="preparation.edit", municipality="municipality")
def portfolio(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The draft: its texts, a preview of Parts A and B, submission, versions, feedback."""
    user = request.user
    here = reverse("portfolio:portfolio", args=[municipality.code])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "save":
            services.portfolio_texts_save(
                municipality=municipality,
                introduction=request.POST.get("introduction", ""),
                self_assessment=request.POST.get("self_assessment", ""),
                actor=user,
            )
            messages.success(request, _("The portfolio's texts are saved."))
        elif action == "submit":
            access.require(user, "portfolio.submit", municipality)
            try:
                version = services.portfolio_submit(municipality=municipality, actor=user)
            except NotAllowed as refused:
                messages.error(request, _("The portfolio cannot be submitted yet:"))
                _refused(request, refused)
            else:
                messages.success(
                    request,
                    _("Version %(number)s of the portfolio is submitted to the national council.")
                    % {"number": version.number},
                )
        elif action == "reply":
            access.require(user, "portfolio.submit", municipality)
            feedback = selectors.feedback_item(municipality, request.POST.get("feedback", ""))
            if feedback is None:
                raise Http404
            try:
                services.feedback_reply(
                    feedback=feedback, reply=request.POST.get("reply", ""), actor=user
                )
            except NotAllowed as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("Your reply is saved."))
        else:
            messages.error(request, _("Nothing was changed."))
        return redirect(here)
    found = selectors.portfolio_find(municipality)
    programme = steps.programme(municipality)
    latest = selectors.latest_version(municipality)
    preview = assembly.portfolio_assemble(municipality)
    return render(
        request,
        "portfolio/portfolio.html",
        {
            "municipality": municipality,
            "portfolio": found,
            "programme": programme,
            "status": selectors.Status(programme.status),
            "rows": _step_rows(programme),
            "can_edit": access.may(user, "preparation.edit", municipality),
            "can_submit": access.may(user, "portfolio.submit", municipality),
            "versions": selectors.versions(municipality),
            "latest": latest,
            "feedback": selectors.feedback_of(latest) if latest else [],
            "feedback_returned": bool(latest and latest.feedback_returned_at),
            "step_items": step_names(),
            **rendering.context(preview, get_language() or "en"),
        },
    )


def _version_or_404(code: str, number: int) -> tuple[Municipality, PortfolioVersion]:
    municipality = municipality_find(code)
    if municipality is None:
        raise Http404
    version = selectors.version_get(municipality, number)
    if version is None:
        raise Http404
    return municipality, version


@access.page(access.PUBLIC)
def version(request: HttpRequest, municipality: str, number: int) -> HttpResponse:
    """A submitted version, frozen: public for comment; the council's feedback form."""
    place, found = _version_or_404(municipality, number)
    user = request.user
    council = access.may(user, "portfolio.feedback", place)
    # The council and the city's designated people (as for children's suggestions) moderate.
    moderator = council or access.may(user, "voice.moderate", place)
    here = reverse("portfolio:version", args=[place.code, found.number])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "comment" and not limits.allow(request, "comment"):
            messages.error(
                request,
                _("You have sent many comments today. Thank you! Please come back tomorrow."),
            )
            return _version_page(request, place, found, moderator, council, status=429)
        try:
            if action == "comment":
                services.comment_add(
                    version=found,
                    author_name=request.POST.get("author_name", ""),
                    text=request.POST.get("text", ""),
                )
                messages.success(
                    request,
                    _("Thank you. Your comment is shown once a moderator has read it."),
                )
            elif action == "moderate":
                if not moderator:
                    raise PermissionDenied
                _council_post(request, place, found, action)
            elif action in ("feedback", "return_feedback"):
                if not council:
                    raise PermissionDenied
                _council_post(request, place, found, action)
            else:
                messages.error(request, _("Nothing was changed."))
        except NotAllowed as refused:
            _refused(request, refused)
        return redirect(here)
    return _version_page(request, place, found, moderator, council)


def _version_page(
    request: HttpRequest,
    place: Municipality,
    found: PortfolioVersion,
    moderator: bool,
    council: bool,
    status: int = 200,
) -> HttpResponse:
    items = step_names()
    feedback = selectors.feedback_of(found)
    latest = selectors.latest_version(place)
    return render(
        request,
        "portfolio/version.html",
        {
            "municipality": place,
            "version": found,
            "feedback": feedback,
            "comments": selectors.comments_of(found, moderator=moderator),
            "moderator": moderator,
            "can_write_feedback": council
            and latest == found
            and found.portfolio.state == "submitted",
            "step_items": [(code, items.get(code)) for code in steps.STEPS],
            "kinds": PortfolioDocument.Kind.choices,
            **rendering.context(found.content, get_language() or "en"),
        },
        status=status,
    )


def _council_post(
    request: HttpRequest, place: Municipality, found: PortfolioVersion, action: str
) -> None:
    user = request.user
    if action == "feedback":
        written = 0
        for code in steps.STEPS:
            comment = request.POST.get(f"comment-{code}", "").strip()
            if not comment:
                continue
            services.feedback_add(
                version=found,
                step=code,
                comment=comment,
                requests_changes=request.POST.get(f"changes-{code}") == "on",
                actor=user,
            )
            written += 1
        if written:
            messages.success(request, _("Your feedback is saved."))
        else:
            messages.error(request, _("Write a comment on at least one step."))
    elif action == "return_feedback":
        services.feedback_return(municipality=place, actor=user)
        messages.success(request, _("The feedback is returned to the city."))
    else:
        raw = str(request.POST.get("comment", ""))
        moderated = (
            PublicComment.objects.filter(version=found, pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if moderated is None:
            raise Http404
        services.comment_moderate(
            comment=moderated, state=request.POST.get("state", ""), actor=user
        )
        messages.success(request, _("The comment is moderated."))


@access.page(access.PUBLIC)
def pdf(request: HttpRequest, municipality: str, number: int, kind: str) -> HttpResponseBase:
    """A submitted version's PDF in the reader's language: the file when built; otherwise
    a page that asks for it and reloads itself until it is ready."""
    place, found = _version_or_404(municipality, number)
    if kind not in PortfolioDocument.Kind.values:
        raise Http404
    language = (get_language() or "en")[:2]
    document = services.document_request(version=found, kind=kind, language=language)
    if document.state == PortfolioDocument.State.READY and document.file:
        filename = f"{place.code}-v{found.number}-{kind}-{language}.pdf"
        return FileResponse(
            document.file.open("rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=filename,
        )
    return render(
        request,
        "portfolio/pdf_pending.html",
        {
            "municipality": place,
            "version": found,
            "document": document,
            "kind_label": PortfolioDocument.Kind(kind).label,
        },
    )
