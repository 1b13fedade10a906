from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy

from meirim.accounts import access
from meirim.accounts.client_ip import client_ip
from meirim.accounts.menu import capabilities_for

PASSWORD_RESET_WINDOW_SECONDS = 3600


@access.page("account.own")
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {"roles": capabilities_for(request.user)})


class RateLimitedPasswordResetView(PasswordResetView):
    """Django's password reset, sending at most PASSWORD_RESET_LIMIT mails an hour per client
    address and per e-mail address.

    Over the limit the answer is the same as always ("if an account exists, a mail is on its
    way"), so the page never tells whether an account exists, and nobody can flood a mailbox.
    """

    template_name = "accounts/form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        within_limits = [
            _count_within_limit(f"password-reset:address:{client_ip(self.request)}"),
            _count_within_limit(f"password-reset:email:{digest}"),
        ]
        if all(within_limits):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def _count_within_limit(key: str) -> bool:
    """Count one request under ``key`` in the shared cache; is it within the hourly limit?"""
    cache.add(key, 0, timeout=PASSWORD_RESET_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=PASSWORD_RESET_WINDOW_SECONDS)
        count = 1
    return count <= settings.PASSWORD_RESET_LIMIT
