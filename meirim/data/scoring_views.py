"""The page that derives a draft version's goalposts from the approved national data.

It reads the cities' data, which the catalogue below may not import, so the data app serves
it; its address stays under the catalogue's scoring page (``config/urls.py``). The page first
says what will change (GET, or a POST without the confirmation) and acts only on a confirmed
POST, then shows what was set and what was skipped, with the reasons.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meirim.accounts import access
from meirim.catalogue import selectors as catalogue_selectors
from meirim.catalogue.errors import CatalogueLocked
from meirim.catalogue.forms import GoalpostsDeriveForm
from meirim.catalogue.models import CatalogueVersion
from meirim.catalogue.scoring import ScoringInvalid
from meirim.data.models import DataYear
from meirim.data.services.scoring import (
    derivable_indicators,
    goalposts_from_national_data,
    goalposts_source,
)


def _approved_years(version: CatalogueVersion | None) -> tuple[int | None, int | None]:
    if version is None:
        return None, None
    span = DataYear.objects.filter(version=version, state=DataYear.State.APPROVED).aggregate(
        first=Min("year"), last=Max("year")
    )
    return span["first"], span["last"]


def _year(raw: str | None, default: int | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) == 4 else default


@access.page("catalogue.edit")
@require_http_methods(["GET", "POST"])
def goalposts_derive(request: HttpRequest, version: str) -> HttpResponse:
    try:
        catalogue = catalogue_selectors.versions_visible_to(request.user).get(code=version)
    except CatalogueVersion.DoesNotExist:
        raise Http404 from None
    if catalogue.is_published:
        messages.error(
            request,
            _("A published catalogue version cannot change; copy it to a new version first."),
        )
        return redirect("catalogue:scoring", version=catalogue.code)
    if request.method == "POST":
        form = GoalpostsDeriveForm(request.POST)
    else:
        first, last = _approved_years(catalogue)
        if first is None:
            first, last = _approved_years(catalogue.based_on)
        form = GoalpostsDeriveForm(
            initial={
                "first_year": _year(request.GET.get("first_year"), first),
                "last_year": _year(request.GET.get("last_year"), last),
            }
        )
    summary = None
    if form.is_bound and form.is_valid():
        try:
            summary = goalposts_from_national_data(
                version=catalogue, years=form.years(), actor=request.user
            )
        except CatalogueLocked as error:
            messages.error(request, str(error))
            return redirect("catalogue:scoring", version=catalogue.code)
        except ScoringInvalid as error:
            form.add_error(None, str(error))
            summary = None
    if form.is_bound and not form.errors:
        years = form.years()
    else:
        first, last = (form.initial.get(name) for name in ("first_year", "last_year"))
        years = list(range(first, last + 1)) if first and last else []
    source = summary.source if summary else goalposts_source(catalogue, years)
    return render(
        request,
        "catalogue/goalposts_derive.html",
        {
            "version": catalogue,
            "form": form,
            "summary": summary,
            "source": source,
            "indicators": derivable_indicators(catalogue),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
