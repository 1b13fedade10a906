from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from meirim.accounts import access
from meirim.catalogue.selectors import latest_published_version, published_version
from meirim.geography.models import Municipality, Region
from meirim.portal import easyread, publicmap
from meirim.portal import profile as city_profile


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


def _municipality(code: str) -> Municipality:
    found = Municipality.objects.select_related("region").filter(code=code).first()
    if found is None:
        raise Http404
    return found


@access.page(access.PUBLIC)
def profile_page(request: HttpRequest, code: str) -> HttpResponse:
    """The city's public profile: status, results in plain words, plan, budget, voice."""
    place = _municipality(code)
    return render(request, "portal/profile.html", {"profile": city_profile.profile(place)})


@access.page(access.PUBLIC)
def easy_read(request: HttpRequest, code: str) -> HttpResponse:
    """The city's results for children, in short sentences with pictures."""
    place = _municipality(code)
    found = city_profile.profile(place)
    return render(
        request,
        "portal/easy_read.html",
        {
            "profile": found,
            "group": publicmap.status_group(found.status.code),
            "rights": easyread.RIGHTS,
            "pictures": _pictures(),
        },
    )


@access.page(access.PUBLIC)
def easy_programme(request: HttpRequest) -> HttpResponse:
    """The programme and the rights of children in a city, for children."""
    return render(
        request,
        "portal/easy_programme.html",
        {"rights": easyread.RIGHTS, "programme": easyread.PROGRAMME, "pictures": _pictures()},
    )


def _pictures() -> dict[str, Any]:
    return {
        "chart": easyread.picture("chart", _("A bar chart")),
        "plan": easyread.picture("plan", _("A list with ticks")),
        "coins": easyread.picture("coins", _("Coins")),
        "letter": easyread.picture("letter", _("A letter")),
        "star": easyread.picture("star", _("A star")),
        "people": easyread.picture("people", _("Three people together")),
    }


@access.page(access.PUBLIC)
def public_map(request: HttpRequest) -> HttpResponse:
    """The participating municipalities on a map drawn on the server, and the same as a table."""
    found = publicmap.public_map(
        version=published_version(),
        by=request.GET.get("by", "status"),
        node=request.GET.get("indicator", ""),
        year=request.GET.get("year"),
    )
    title = (
        _("Municipalities in the programme, by status")
        if found.by == "status"
        else _("Municipalities in the programme, by score")
    )
    return render(
        request,
        "portal/map.html",
        {
            "map": found,
            "svg": publicmap.render(found, title=title),
            "title": title,
            "legend": [(entry, publicmap.legend_icon(entry)) for entry in found.legend],
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
