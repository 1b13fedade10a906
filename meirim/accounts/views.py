from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meirim.accounts import access
from meirim.accounts.menu import capabilities_for


@access.page("account.own")
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {"roles": capabilities_for(request.user)})
