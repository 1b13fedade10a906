from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from meirim.accounts import access
from meirim.geography import selectors
from meirim.geography.models import KnownCountry, Municipality, MunicipalityKind


@access.page(access.PUBLIC)
def municipality_list(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", "")
    region = request.GET.get("region", "")
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    municipalities = selectors.municipality_list(
        country=country, region=region, kind=kind, query=query
    )
    page = Paginator(municipalities, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "geography/municipality_list.html",
        {
            "page": page,
            "countries": [
                (code, KnownCountry(code).label if code in KnownCountry.values else code)
                for code in selectors.countries()
            ],
            "regions": selectors.region_list(country=country),
            "kinds": MunicipalityKind.choices,
            "filters": {"country": country, "region": region, "kind": kind, "q": query},
        },
    )


@access.page(access.PUBLIC)
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        municipality = selectors.municipality_get(code=code)
    except Municipality.DoesNotExist:
        raise Http404 from None
    children = municipality.children.order_by("kind", "code")
    return render(
        request,
        "geography/municipality_detail.html",
        {
            "municipality": municipality,
            "children": children,
            "can_see_data": access.may(request.user, "data.read_draft", municipality),
        },
    )
