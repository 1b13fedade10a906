"""What a client locked out by django-axes (too many failed sign-ins) receives.

Pages get the HTML page ``accounts/locked_out.html``; the JSON API gets a JSON body with a
translated message and a ``Retry-After`` header, so scripts can tell a lockout from any
other refusal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

API_PATH_PREFIX = "/api/"


def _cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, _cool_off_seconds() // 60)
    return ngettext(
        "Too many failed sign-in attempts: signing in with this user name is blocked "
        "for %(minutes)d minute.",
        "Too many failed sign-in attempts: signing in with this user name is blocked "
        "for %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: JSON for the API, the lockout page for everything else."""
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    if request.path.startswith(API_PATH_PREFIX):
        response: HttpResponse = JsonResponse({"detail": lockout_message()}, status=status)
        response["Retry-After"] = str(_cool_off_seconds())
        return response
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
