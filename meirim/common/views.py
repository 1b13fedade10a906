from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meirim.accounts import access
from meirim.common.models import AuditEvent


@access.page("audit.read")
def audit_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "common/audit_list.html",
        {"page": page, "filters": {"action": action, "actor": actor}},
    )
