"""The read-only JSON API, ``/api/v1/``, with its OpenAPI schema at ``/api/v1/openapi.json``.

django-ninja is used because it derives the OpenAPI schema from typed pydantic schemas
and ships its documentation page's assets, so nothing is loaded from a CDN.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from meirim.api import (
    applications,
    assessment,
    budget,
    cycles,
    facilities,
    governance,
    opendata,
    participation,
    planning,
    portfolio,
    surveys,
    voice,
)
from meirim.api.access import PUBLIC, declared_access
from meirim.api.data import router as data_router
from meirim.api.pagination import OffsetParams, offset_page, page_schema
from meirim.api.schemas import (
    BaselineFigureOut,
    ErrorOut,
    GovernanceQuestionOut,
    IndicatorOut,
    ItemOut,
    MunicipalityOut,
    RegionOut,
    VersionDetailOut,
    VersionOut,
)
from meirim.catalogue import scoring
from meirim.catalogue import selectors as catalogue
from meirim.catalogue.models import (
    BaselineFigure,
    CatalogueItem,
    CatalogueVersion,
    Category,
    GovernanceQuestion,
    Indicator,
    SubDomain,
)
from meirim.common.workflow import NotAllowed
from meirim.geography import selectors as geography
from meirim.geography.models import Municipality, Region

api = NinjaAPI(
    title="meirim API",
    version="1",
    description="Open data of the Child-Friendly Cities programme: municipalities and the "
    "national index catalogue. Codes (C1–C6, S01–S11, I01…, B01…, G01…, A1–A7…) are stable keys. "
    "Every list comes in pages `{items, count, next}`: `limit` items per page (100 by "
    "default, at most 1000; a larger value is reduced to 1000) and `next`, the URL of the "
    "following page or null on the last one. Observations are paged by key (`after=<id>`, in "
    "`id` order, no total count); every other list by `offset`, with the total in `count`. "
    "`/cycles` and `/recognitions` are short lists returned whole, not paged.",
    urls_namespace="api-v1",
)


api.add_router("/", data_router)
# Phase 1: each workspace's operations live in their own module.
for _module in (governance, facilities, planning, participation, budget, portfolio):
    api.add_router("/", _module.router)
# Phase 2: cycles and the registry, applications and portfolios, the review and decisions.
for _module in (cycles, applications, assessment):
    api.add_router("/", _module.router)
# Children's voice and the public face: suggestions, surveys, open data.
for _module in (voice, surveys, opendata):
    api.add_router("/", _module.router)


@api.exception_handler(NotAllowed)
def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    """The same refusal as on the pages: 409, with the translated reasons."""
    return api.create_response(
        request,
        {"detail": _("Not allowed now."), "reasons": exc.reasons},
        status=409,
    )


def _validation_message(kind: str) -> str:
    """Pydantic's English message of a refused value, in the reader's language."""
    if kind == "missing":
        return _("This field is required.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind.startswith(("int_", "float_", "decimal_", "finite_")):
        return _("Enter a number.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a valid date.")
    if kind.startswith("string_"):
        return _("Enter a text.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind.startswith(("list_", "tuple_", "set_")):
        return _("Enter a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Enter an object.")
    return _("This value is not valid.")


@api.exception_handler(ValidationError)
def validation_refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 as django-ninja answers it (``loc``, ``type``), with ``msg`` translated."""
    errors = [
        {**error, "msg": _validation_message(str(error.get("type", "")))}
        for error in exc.errors
        if isinstance(error, dict)
    ]
    return api.create_response(request, {"detail": errors}, status=422)


def _names(obj: Any, prefix: str = "name") -> dict[str, str]:
    return {lang: getattr(obj, f"{prefix}_{lang}", "") or "" for lang in ("kk", "ru", "en", "ky")}


def _region(r: Region) -> dict[str, Any]:
    return {"code": r.code, "country": r.country, "names": _names(r)}


def _baseline_figure(f: BaselineFigure) -> dict[str, Any]:
    return {
        "code": f.code,
        "section": f.section.code,
        "order": f.order,
        "unit": f.unit,
        "names": _names(f),
    }


def _governance_question(q: GovernanceQuestion) -> dict[str, Any]:
    return {
        "code": q.code,
        "section": q.section.code,
        "subsection": q.subsection.code if q.subsection else None,
        "order": q.order,
        "names": _names(q),
    }


def _item(item: CatalogueItem) -> dict[str, Any]:
    return {
        "list": item.list,
        "code": item.code,
        "order": item.order,
        "names": _names(item),
        "descriptions": _names(item, "description"),
        "extra": item.extra,
    }


class MunicipalityFilter(OffsetParams):
    country: str = ""
    region: str = ""
    kind: str = ""
    q: str = ""


class RegionFilter(OffsetParams):
    country: str = ""


RegionPage = page_schema(RegionOut, "RegionPage")


@api.get(
    "/regions",
    response=RegionPage,
    tags=["geography"],
    openapi_extra=declared_access(PUBLIC),
)
def list_regions(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    """Regions, by country and code, one page at a time.

    A page is `{items, count, next}`: `limit` items from `offset`, the total in `count`
    and `next` the URL of the following page (null on the last one).
    """
    qs = geography.region_list(country=filters.country).order_by("country", "code")
    return offset_page(qs, params=filters, request=request, item=_region)


def _municipality(m: Municipality) -> dict[str, Any]:
    return {
        "code": m.code,
        "country": m.country,
        "kind": m.kind,
        "region": m.region.code if m.region else None,
        "parent": m.parent.code if m.parent else None,
        "names": _names(m),
        "latitude": m.latitude,
        "longitude": m.longitude,
        "child_population": m.child_population,
    }


MunicipalityPage = page_schema(MunicipalityOut, "MunicipalityPage")


@api.get(
    "/municipalities",
    response=MunicipalityPage,
    tags=["geography"],
    openapi_extra=declared_access(PUBLIC),
)
def list_municipalities(request: HttpRequest, filters: Query[MunicipalityFilter]) -> Any:
    """Municipalities by country, region and code, one page at a time.

    `limit` items (100 by default, at most 1000) from `offset`; `count` is the total and
    `next` the URL of the following page (null on the last one).
    """
    qs = geography.municipality_list(
        country=filters.country, region=filters.region, kind=filters.kind, query=filters.q
    )
    return offset_page(qs, params=filters, request=request, item=_municipality)


@api.get(
    "/municipalities/{code}",
    response={200: MunicipalityOut, 404: ErrorOut},
    tags=["geography"],
    openapi_extra=declared_access(PUBLIC),
)
def get_municipality(request: HttpRequest, code: str) -> dict[str, Any]:
    try:
        return _municipality(geography.municipality_get(code=code))
    except Municipality.DoesNotExist:
        raise Http404 from None


def _version(request: HttpRequest, code: str) -> CatalogueVersion:
    try:
        return catalogue.versions_visible_to(request.user).get(code=code)
    except CatalogueVersion.DoesNotExist:
        raise Http404 from None


def _version_out(v: CatalogueVersion) -> dict[str, Any]:
    return {
        "code": v.code,
        "status": v.status,
        "based_on": v.based_on.code if v.based_on else None,
        "published_at": v.published_at,
    }


VersionPage = page_schema(VersionOut, "VersionPage")


@api.get(
    "/catalogue/versions",
    response=VersionPage,
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC),
)
def list_versions(request: HttpRequest, page: Query[OffsetParams]) -> Any:
    """Catalogue versions, newest first, one page at a time.

    A page is `{items, count, next}`: `limit` items from `offset`, the total in `count`
    and `next` the URL of the following page (null on the last one).
    """
    qs = catalogue.versions_visible_to(request.user).order_by("-created_at", "-id")
    return offset_page(qs, params=page, request=request, item=_version_out)


@api.get(
    "/catalogue/versions/{code}",
    response={200: VersionDetailOut, 404: ErrorOut},
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC, drafts="catalogue.edit"),
)
def get_version(request: HttpRequest, code: str) -> dict[str, Any]:
    """A version with its categories and sub-domains (each with its weight) and its
    `scoring_method`: set by the national council, fixed once the version is published.
    Each indicator carries its `weight` and goalposts (`lower_post`, `upper_post`, null when
    it is not scored) and where they come from (`posts_basis`)."""
    version = _version(request, code)
    method = catalogue.scoring_method(version)
    categories = Category.objects.filter(version=version).order_by("order")
    subdomains = SubDomain.objects.filter(version=version).select_related("category")
    return {
        **_version_out(version),
        "categories": [
            {"code": c.code, "order": c.order, "names": _names(c), "weight": c.weight}
            for c in categories
        ],
        "subdomains": [
            {
                "code": s.code,
                "order": s.order,
                "category": s.category.code,
                "names": _names(s),
                "weight": s.weight,
            }
            for s in subdomains.order_by("order")
        ],
        "scoring_method": {name: getattr(method, name) for name in scoring.METHOD_FIELDS},
    }


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "subdomain": i.subdomain.code,
        "category": i.subdomain.category.code,
        "order": i.order,
        "type": i.type,
        "sources": i.sources,
        "unit": i.unit,
        "denominator": i.denominator or None,
        "factor": i.factor,
        "direction": i.direction,
        "direction_basis": i.direction_basis,
        "data_type": i.data_type,
        "target": i.target,
        "names": _names(i),
        "note_en": i.note_en,
        "weight": i.weight,
        "lower_post": i.lower_post,
        "upper_post": i.upper_post,
        "posts_basis": i.posts_basis,
    }


IndicatorPage = page_schema(IndicatorOut, "IndicatorPage")


@api.get(
    "/catalogue/versions/{code}/indicators",
    response={200: IndicatorPage, 404: ErrorOut},
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC, drafts="catalogue.edit"),
)
def list_indicators(request: HttpRequest, code: str, page: Query[OffsetParams]) -> Any:
    """A version's indicators in catalogue order, one page at a time.

    A page is `{items, count, next}`: `limit` items from `offset`, the total in `count`
    and `next` the URL of the following page (null on the last one).
    """
    version = _version(request, code)
    qs = Indicator.objects.filter(version=version).select_related("subdomain__category")
    return offset_page(qs.order_by("order", "code"), params=page, request=request, item=_indicator)


@api.get(
    "/catalogue/versions/{code}/indicators/{indicator}",
    response={200: IndicatorOut, 404: ErrorOut},
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC, drafts="catalogue.edit"),
)
def get_indicator(request: HttpRequest, code: str, indicator: str) -> dict[str, Any]:
    version = _version(request, code)
    try:
        return _indicator(catalogue.indicator_get(version, indicator))
    except Indicator.DoesNotExist:
        raise Http404 from None


BaselineFigurePage = page_schema(BaselineFigureOut, "BaselineFigurePage")


@api.get(
    "/catalogue/versions/{code}/baseline-figures",
    response={200: BaselineFigurePage, 404: ErrorOut},
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC, drafts="catalogue.edit"),
)
def list_baseline_figures(request: HttpRequest, code: str, page: Query[OffsetParams]) -> Any:
    """A version's baseline figures in catalogue order, one page at a time.

    A page is `{items, count, next}`: `limit` items from `offset`, the total in `count`
    and `next` the URL of the following page (null on the last one).
    """
    version = _version(request, code)
    qs = BaselineFigure.objects.filter(version=version).select_related("section")
    return offset_page(
        qs.order_by("order", "code"), params=page, request=request, item=_baseline_figure
    )


GovernanceQuestionPage = page_schema(GovernanceQuestionOut, "GovernanceQuestionPage")


@api.get(
    "/catalogue/versions/{code}/governance-questions",
    response={200: GovernanceQuestionPage, 404: ErrorOut},
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC, drafts="catalogue.edit"),
)
def list_governance_questions(request: HttpRequest, code: str, page: Query[OffsetParams]) -> Any:
    """A version's governance questions in catalogue order, one page at a time.

    A page is `{items, count, next}`: `limit` items from `offset`, the total in `count`
    and `next` the URL of the following page (null on the last one).
    """
    version = _version(request, code)
    qs = GovernanceQuestion.objects.filter(version=version).select_related("section", "subsection")
    return offset_page(
        qs.order_by("order", "code"), params=page, request=request, item=_governance_question
    )


class ItemFilter(OffsetParams):
    list: str = ""


ItemPage = page_schema(ItemOut, "ItemPage")


@api.get(
    "/catalogue/versions/{code}/items",
    response={200: ItemPage, 404: ErrorOut},
    tags=["catalogue"],
    openapi_extra=declared_access(PUBLIC, drafts="catalogue.edit"),
)
def list_items(request: HttpRequest, code: str, filters: Query[ItemFilter]) -> Any:
    """A version's coded list items (of one `list`, or all), one page at a time.

    A page is `{items, count, next}`: `limit` items from `offset`, the total in `count`
    and `next` the URL of the following page (null on the last one).
    """
    version = _version(request, code)
    qs = CatalogueItem.objects.filter(version=version)
    if filters.list:
        qs = qs.filter(list=filters.list)
    return offset_page(
        qs.order_by("list", "order", "code"), params=filters, request=request, item=_item
    )
