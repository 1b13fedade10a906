from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.catalogue.selectors import latest_published_version
from meirim.geography.models import Municipality, Region


@access.page(access.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "municipality_count": Municipality.objects.count(),
            "region_count": Region.objects.count(),
            "catalogue": latest_published_version(),
        },
    )


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """JSON for the API (which never answers in HTML), a page for everything else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The API answers even its own failures in JSON."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Internal error; it has been logged.")}, status=500)
    return render(request, "500.html", status=500)
