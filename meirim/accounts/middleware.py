"""An absolute session lifetime beside the idle timeout.

``SESSION_COOKIE_AGE`` ends a session after inactivity; this ends it ``SESSION_MAX_SECONDS``
after login even if the user stays active, so a stolen or forgotten session cannot live forever.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LOGIN_TIME_KEY = "meirim_login_at"


def stamp_login_time(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Receiver of ``user_logged_in``: every login starts a new lifetime."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_TIME_KEY] = time.time()


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_TIME_KEY)
            if started is not None and time.time() - float(started) > settings.SESSION_MAX_SECONDS:
                # The request goes on as anonymous: pages that need a login send it there.
                logout(request)
        response = self.get_response(request)
        # Logins are stamped by stamp_login_time; a session that predates this rule (or was
        # opened without a login request) is stamped on its first request.
        if request.user.is_authenticated and LOGIN_TIME_KEY not in request.session:
            request.session[LOGIN_TIME_KEY] = time.time()
        return response
