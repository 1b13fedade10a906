"""The results pages: a municipality's dashboard, comparisons, one indicator, the method.

Every page is public and shows approved data only. A municipality's own people, its region
officer and the national level may switch on a preview that adds the data not yet approved
(``?preview=1``), for that municipality only.
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from meirim.accounts import access
from meirim.catalogue import selectors as catalogue_selectors
from meirim.catalogue.models import CatalogueVersion
from meirim.common.i18n import language_pinned
from meirim.geography import selectors as geography_selectors
from meirim.reports import adapter, figures, selectors, store
from meirim.reports.adapter import Scope
from meirim.reports.templatetags import results as results_tags


def _version(request: HttpRequest) -> CatalogueVersion:
    version = selectors.published_version(request.GET.get("version") or None)
    if version is None:
        raise Http404
    return version


def _year(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


@access.page(access.PUBLIC)
def index(request: HttpRequest) -> HttpResponse:
    version = selectors.published_version(request.GET.get("version") or None)
    overview = selectors.results_index(version=version) if version else None
    return render(request, "reports/index.html", {"version": version, "overview": overview})


@access.page(access.PUBLIC)
def method(request: HttpRequest) -> HttpResponse:
    """The scoring method of the published version, read from the version itself."""
    version = catalogue_selectors.published_version(request.GET.get("version") or None)
    context: dict[str, object] = {
        "version": version,
        "draws": adapter.UNCERTAINTY["draws"],
        "weight_noise": round(100 * adapter.UNCERTAINTY["weight_noise"]),
        "bands": adapter.SCORE_BANDS,
    }
    if version is not None:
        scoring = catalogue_selectors.scoring_method(version)
        context |= {
            "method": scoring,
            "min_coverage": round(100 * scoring.min_coverage),
            "relative_tolerance": 100 * scoring.indicator_tolerance_relative,
            "absolute_tolerance": scoring.indicator_tolerance_absolute,
            "score_tolerance": scoring.score_tolerance_absolute,
            "categories": catalogue_selectors.scoring_tree(version),
            "indicators": catalogue_selectors.goalposts(version),
        }
    return render(request, "reports/method.html", context)


@access.page(access.PUBLIC)
def dashboard(request: HttpRequest, municipality_code: str) -> HttpResponse:
    version = _version(request)
    municipality = geography_selectors.municipality_find(municipality_code)
    if municipality is None:
        raise Http404
    user = request.user
    can_preview = user.is_authenticated and access.may(user, "data.read_draft", municipality)
    preview = request.GET.get("preview") == "1"
    if preview and not can_preview:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    baseline = _year(request, "baseline")
    explain = request.GET.get("explain") or None
    scope = Scope.preview(municipality) if preview else Scope.public()
    computed_at, updating = store.freshness(version, [municipality.pk])
    # The results part of the page is a function of these alone, so a cached copy is used
    # as it is and the results are only read (``board`` is lazy) when it must be drawn.
    stamp = computed_at.timestamp() if computed_at else 0
    fragment = (
        f"{version.code}:{scope.key}:{municipality.code}:{adapter.data_revision(version)}:s1:"
        f"{stamp}:{baseline}:{explain}"
    )
    load_board = functools.cache(
        lambda: selectors.dashboard(
            version=version,
            municipality=municipality,
            preview=preview,
            baseline=baseline,
            explain_node=explain,
        )
    )
    response = render(
        request,
        "reports/dashboard.html",
        {
            "municipality": municipality,
            "version": version,
            "computed_at": computed_at,
            "updating": updating,
            "preview": preview,
            "baseline": baseline,
            "fragment": fragment,
            "board": SimpleLazyObject(load_board),
            "results_part": lambda: _dashboard_results(request, version, load_board()),
            "can_preview": can_preview,
        },
    )
    if preview:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


def _dashboard_results(
    request: HttpRequest, version: CatalogueVersion, board: selectors.Dashboard
) -> SafeString:
    """The tables and charts of a dashboard (a Jinja2 template: about a thousand cells)."""
    template = engines["jinja2"].get_template("reports/dashboard_results.html")
    with language_pinned():
        html = template.render(
            {
                "board": board,
                "figures": figures.dashboard_figures(board),
                "min_coverage": round(100 * adapter.scoring_for_pages(version).min_coverage),
                "r": results_tags,
            },
            request,
        )
    return mark_safe(html)  # noqa: S308 - rendered with autoescape by Jinja2


@access.page(access.PUBLIC)
def compare(request: HttpRequest) -> HttpResponse:
    version = _version(request)
    comparison = selectors.comparison(
        version=version,
        codes=[code for code in request.GET.getlist("m") if code],
        node=request.GET.get("node") or adapter.ROOT,
        year_from=_year(request, "from"),
        year_to=_year(request, "to"),
        region=request.GET.get("region") or None,
    )
    return render(
        request,
        "reports/compare.html",
        {
            "comparison": comparison,
            "figures": figures.comparison_figures(comparison),
            "chosen": {row.municipality.code for row in comparison.rows},
            "year_from": _year(request, "from"),
            "year_to": _year(request, "to"),
            "max_compared": selectors.MAX_COMPARED,
        },
    )


@access.page(access.PUBLIC)
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    version = _version(request)
    item = selectors.indicator_get(version, code)
    if item is None:
        raise Http404
    overview = selectors.indicator_overview(
        version=version, indicator=item, year=_year(request, "year")
    )
    return render(
        request,
        "reports/indicator.html",
        {"overview": overview, "figures": figures.indicator_figures(overview)},
    )
