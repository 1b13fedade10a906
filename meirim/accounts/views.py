from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meirim.accounts.menu import capabilities_for


@login_required
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {"roles": capabilities_for(request.user)})
