"""The catalogue browser and the national council's catalogue maintenance pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meirim.accounts import access
from meirim.catalogue import scoring, selectors, services
from meirim.catalogue.forms import (
    CopyVersionForm,
    GoalpostsDeriveForm,
    ScoringMethodForm,
    ScoringTableForm,
    TargetForm,
)
from meirim.catalogue.models import CatalogueVersion, Indicator


def _version(request: HttpRequest, code: str) -> CatalogueVersion:
    try:
        return selectors.versions_visible_to(request.user).get(code=code)
    except CatalogueVersion.DoesNotExist:
        raise Http404 from None


@access.page(access.PUBLIC)
def version_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/version_list.html",
        {"versions": selectors.versions_visible_to(request.user)},
    )


@access.page(access.PUBLIC)
def version_detail(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "version": catalogue,
            "categories": selectors.category_tree(catalogue),
            "can_edit": access.may(request.user, "catalogue.edit"),
            "copy_form": CopyVersionForm(),
        },
    )


@access.page(access.PUBLIC)
def indicator_detail(request: HttpRequest, version: str, code: str) -> HttpResponse:
    catalogue = _version(request, version)
    try:
        indicator = selectors.indicator_get(catalogue, code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    form = TargetForm(initial={"target": indicator.target}, indicator=indicator)
    return _indicator_page(request, catalogue, indicator, form)


def _indicator_page(
    request: HttpRequest,
    catalogue: CatalogueVersion,
    indicator: Indicator,
    form: TargetForm,
    status: int = 200,
) -> HttpResponse:
    can_edit = access.may(request.user, "catalogue.edit") and not catalogue.is_published
    return render(
        request,
        "catalogue/indicator_detail.html",
        {
            "version": catalogue,
            "indicator": indicator,
            "can_edit": can_edit,
            "target_form": form,
        },
        status=status,
    )


@access.page(access.PUBLIC)
def baseline(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/baseline.html",
        {"version": catalogue, "sections": selectors.baseline_sections(catalogue)},
    )


@access.page(access.PUBLIC)
def governance(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/governance.html",
        {"version": catalogue, "sections": selectors.governance_sections(catalogue)},
    )


@access.page(access.PUBLIC)
def lists(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/lists.html",
        {"version": catalogue, "items": selectors.catalogue_items(catalogue)},
    )


@access.page("catalogue.edit")
@require_POST
def version_copy(request: HttpRequest, version: str) -> HttpResponse:
    source = _version(request, version)
    form = CopyVersionForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("code", []):
            messages.error(request, str(message))
        return redirect("catalogue:version", version=source.code)
    try:
        copy = services.catalogue_copy_version(
            source=source, code=form.cleaned_data["code"], actor=request.user
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("catalogue:version", version=source.code)
    messages.success(request, _("A new draft version was created."))
    return redirect("catalogue:version", version=copy.code)


@access.page("catalogue.edit")
@require_POST
def indicator_target(request: HttpRequest, version: str, code: str) -> HttpResponse:
    catalogue = _version(request, version)
    try:
        indicator = selectors.indicator_get(catalogue, code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    form = TargetForm(request.POST, indicator=indicator)
    if not form.is_valid():
        return _indicator_page(request, catalogue, indicator, form, status=400)
    try:
        services.indicator_set_target(
            indicator=indicator, target=form.cleaned_data["target"], actor=request.user
        )
    except services.TargetInvalid as error:
        form.add_error("target", str(error))
        return _indicator_page(request, catalogue, indicator, form, status=400)
    except services.CatalogueLocked as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The target was saved."))
    return redirect("catalogue:indicator", version=catalogue.code, code=indicator.code)


def _method_initial(method: Any) -> dict[str, Any]:
    return {name: getattr(method, name) for name in scoring.METHOD_FIELDS}


@access.page(access.PUBLIC, post="catalogue.edit")
@require_http_methods(["GET", "POST"])
def scoring_page(request: HttpRequest, version: str) -> HttpResponse:
    """The version's scoring method: read by everyone, edited by the council in a draft."""
    catalogue = _version(request, version)
    method = selectors.scoring_method(catalogue)
    tree = selectors.scoring_tree(catalogue)
    method_form = ScoringMethodForm(initial=_method_initial(method))
    table_form = ScoringTableForm(categories=tree)
    status = 200
    if request.method == "POST":
        if catalogue.is_published:
            messages.error(
                request,
                _("A published catalogue version cannot change; copy it to a new version first."),
            )
            return redirect("catalogue:scoring", version=catalogue.code)
        try:
            if request.POST.get("part") == "table":
                table_form = ScoringTableForm(request.POST, categories=tree)
                if table_form.is_valid():
                    try:
                        scoring.scoring_table_set(
                            version=catalogue,
                            category_weights=table_form.category_weights(),
                            subdomain_weights=table_form.subdomain_weights(),
                            indicators=table_form.indicator_rows(),
                            actor=request.user,
                        )
                    except scoring.ScoringInvalid as error:
                        table_form.add_service_errors(error.errors)
                    else:
                        messages.success(request, _("The weights and goalposts were saved."))
                        return redirect("catalogue:scoring", version=catalogue.code)
            else:
                method_form = ScoringMethodForm(request.POST)
                if method_form.is_valid():
                    try:
                        scoring.scoring_method_set(
                            version=catalogue, actor=request.user, **method_form.cleaned_data
                        )
                    except scoring.ScoringInvalid as error:
                        for name, problem in error.errors.items():
                            method_form.add_error(name, problem)
                    else:
                        messages.success(request, _("The scoring method was saved."))
                        return redirect("catalogue:scoring", version=catalogue.code)
        except services.CatalogueLocked as error:
            messages.error(request, str(error))
            return redirect("catalogue:scoring", version=catalogue.code)
        status = 400
    can_edit = access.may(request.user, "catalogue.edit") and not catalogue.is_published
    return render(
        request,
        "catalogue/scoring.html",
        {
            "version": catalogue,
            "method": method,
            "can_edit": can_edit,
            "method_form": method_form,
            "table_form": table_form,
            "derive_form": GoalpostsDeriveForm(),
        },
        status=status,
    )
