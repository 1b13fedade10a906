"""Comments on a published decision summary: the public writes, moderators publish or hide.

The comments are shown on the decision summary page (``{% decision_comments decision %}``);
the forms post here and come back to it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.common.workflow import NotAllowed
from meirim.recognition import comments, registry
from meirim.recognition.models import DecisionComment
from meirim.voice import limits


@access.page(access.PUBLIC)
def decision_comment(request: HttpRequest, application: int) -> HttpResponse:
    decision = registry.published_decision(application)
    if decision is None:
        raise Http404
    here = reverse("recognition:decision_summary", args=[application])
    if request.method != "POST":
        return redirect(here)
    action = request.POST.get("action", "comment")
    if action == "moderate":
        if not comments.may_moderate(request.user, decision):
            raise PermissionDenied
        raw = str(request.POST.get("comment", ""))
        found = (
            DecisionComment.objects.filter(decision=decision, pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if found is None:
            raise Http404
        try:
            comments.comment_moderate(
                comment=found, state=request.POST.get("state", ""), actor=request.user
            )
            messages.success(request, _("The comment is moderated."))
        except NotAllowed as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        return redirect(here)
    if not limits.allow(request, "comment"):
        return render(
            request,
            "recognition/public/comment_limit.html",
            {"decision": decision, "back": here},
            status=429,
        )
    try:
        comments.comment_add(
            decision=decision,
            author_name=request.POST.get("author_name", ""),
            text=request.POST.get("text", ""),
        )
        messages.success(
            request, _("Thank you. Your comment is shown once a moderator has read it.")
        )
    except NotAllowed as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    return redirect(here)
