"""Reject NUL characters and lone surrogates in requests before they reach a view.

PostgreSQL text columns cannot hold NUL (0x00), and no database driver can encode half of a
UTF-16 surrogate pair (JSON's ``"\\ud800"``): a query parameter or JSON string carrying one
would otherwise end in a database error (500) instead of a clear 400. The JSON API reads the
body whatever its Content-Type, so every body that is not a form is checked; a form's fields
are checked whether it is sent URL-encoded or as multipart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A JSON escape of a surrogate (\\ud800-\\udfff), or the raw UTF-8-like bytes of one, which
# Python's JSON reader lets through.
SURROGATE_HINT = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def _body_has_bad_text(body: bytes) -> bool:
    if b"\\u0000" in body or b"\x00" in body:
        return True
    if not SURROGATE_HINT.search(body):
        return False
    try:
        return _has_lone_surrogate(json.loads(body))
    except ValueError:
        return False  # not JSON: the view answers its own 400


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return True
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        return any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.POST.lists()
        )
    if content_type not in FORM_TYPES and request.method in ("POST", "PUT", "PATCH", "DELETE"):
        return _body_has_bad_text(request.body)
    return False


class RejectNullCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _has_nul(request)
        except RequestDataTooBig:
            if not request.path.startswith("/api/"):
                raise  # Django's own 400 page
            # An API client reads JSON, never Django's HTML error page.
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
            message = _("The request body is too large: at most %(size)s are accepted.") % {
                "size": filesizeformat(limit)
            }
            return JsonResponse({"detail": message}, status=413)
        if refused:
            message = _(
                "The request contains a NUL character or a broken Unicode character, which is "
                "not allowed."
            )
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
