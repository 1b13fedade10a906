"""Reject NUL characters in requests before they reach a view.

PostgreSQL text columns cannot hold NUL (0x00): a query parameter or JSON string carrying one
would otherwise end in a database error (500) instead of a clear 400.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return True
    content_type = request.content_type or ""
    if content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    if content_type == "application/x-www-form-urlencoded":
        return any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.POST.lists()
        )
    return False


class RejectNullCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The request contains a NUL character, which is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Keep pages meant for one signed-in reader out of every shared and browser cache.

    Signed-in readers see unapproved data (drafts, previews, data entry) and personal pages, so
    every response to them is ``Cache-Control: private, no-store`` unless the view chose a
    policy itself. Anonymous readers only see approved, public data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
